# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: install run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[model,test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The main job: extract every sample narrative to out/extractions.jsonl.
run: install
	$(VENV)/bin/sightline extract data/samples -o out/extractions.jsonl
	@echo "extractions written to out/extractions.jsonl"

test: install
	$(PY) -m pytest -q

bench: install
	$(PY) bench/extract.py --narratives 2000

clean:
	rm -rf $(VENV) out .pytest_cache
