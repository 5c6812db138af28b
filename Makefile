# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: install sysdeps browser postgres run test bench clean vendor

# FollowTheMoney's PyICU is built from source against Debian's ICU.
# WeasyPrint (PDF reports) needs Pango and HarfBuzz-Subset at run time; install them from Debian when missing.
SYSLIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
sysdeps:
	@if ! pkg-config --exists icu-i18n 2>/dev/null || ! command -v g++ >/dev/null; then \
		echo "installing ICU headers and a C++ compiler to build PyICU for FollowTheMoney (apt-get)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libicu-dev g++ pkg-config; \
	fi
	@missing=""; for lib in $(SYSLIBS); do ldconfig -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing system libraries for PDF reports:$$missing (apt-get)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		$$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; \
	fi

# The workspace's browser tests drive Debian's Chromium through its chromedriver; install both when missing.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing Chromium and chromedriver for the workspace's browser tests (apt-get)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

# The service-state contract suite runs against a real PostgreSQL (tests/postgres_server.py starts a throw-away
# one from Debian's binaries); install them when missing (postgresql-15, or the release's own PostgreSQL).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "installing PostgreSQL for the service-state tests (apt-get)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		{ $$SUDO apt-get install -y -qq postgresql-15 || $$SUDO apt-get install -y -qq postgresql; }; \
	fi

# Refresh the workspace's front-end libraries (pinned in the script) from the npm registry; commit the result.
vendor:
	web/static/vendor/refresh.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[model,test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: sysdeps $(STAMP)

# The main job: ingest the sample narratives into the embedded store, analyse the graph, write the report, and
# beside it a pseudonymised HTCDS export and a k-anonymous aggregate table (docs/sharing.md).
run: install
	$(VENV)/bin/sightline ingest data/samples
	$(VENV)/bin/sightline analyse
	$(VENV)/bin/sightline report --out out
	$(VENV)/bin/sightline export --format htcds -o out/htcds
	$(VENV)/bin/sightline aggregate --by year,type_of_exploitation -o out/aggregates.csv
	@echo ""
	@echo "The workspace (browser): $(VENV)/bin/sightline serve   then open http://127.0.0.1:8000/"
	@echo "Sign in with an API key:  $(VENV)/bin/sightline keys create --role analyst --org \"Your organisation\""
	@echo "  (roles: analyst, ngo, partner, admin; the key is printed once, on the last line)"

# pycanon (an independent k-anonymity check of the released tables) pins exact old pandas/numpy releases it
# runs fine without; it is installed without its pins, for the tests only.
PYCANON := $(VENV)/.pycanon-1.3.6
$(PYCANON): $(STAMP)
	$(PY) -m pip install --quiet --no-deps pycanon==1.3.6 beartype==0.22.2 "tabulate>=0.9,<1"
	touch $(PYCANON)

# Two pytest workers (pytest-xdist), one per core; each test file runs whole on one worker, so a file's
# module fixtures (a server, a browser) start once. TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
test: install browser postgres $(PYCANON)
	$(PY) -m pytest -q $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

# The benchmarks recorded in docs/benchmarks.md (long: about an hour on two cores).
bench: install
	$(PY) -m pip install --quiet -e ".[model,test,bench]"
	$(PY) bench/extract.py --narratives 2000
	mkdir -p bench/.cache
	$(PY) bench/ingest.py --narratives 10000 --export bench/.cache/graph-10000-seed11.jsonl
	$(PY) bench/neo4j_write.py --graph bench/.cache/graph-10000-seed11.jsonl
	$(PY) bench/analysis.py
	$(PY) bench/api_load.py
	$(PY) bench/screening_quality.py
	$(PY) bench/screening.py
	mkdir -p bench/results
	$(PY) bench/quality.py --json bench/results/quality-test.json
	$(PY) -m bench.mpc

clean:
	rm -rf $(VENV) out .pytest_cache
