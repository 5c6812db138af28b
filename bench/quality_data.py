"""The evaluation sets of bench/quality.py, read into one shape.

Three sets, each split dev / test (tune on dev, report test):

- ``faker``: texts from our own templates filled by Faker in many locales (``bench/devset/faker_texts.py``),
  entity spans only; generated on the fly from a fixed seed, split by a hash of the id.
- ``handwritten``: court, police, survivor and NGO narratives written by hand from
  ``data/eval/ANNOTATION.md`` by people who did not read the rules, with spans, relations and roles
  (``data/eval/handwritten``); odd numbers are dev, even numbers test.
- ``samples``: the original gold set of ``data/gold``. It was written together with the rules, so it is
  reported for regressions only, never as evidence of quality on unseen text; it has no split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.extraction_eval import parse_gold

ROOT = Path(__file__).resolve().parents[1]
HANDWRITTEN = ROOT / "data/eval/handwritten"
SAMPLES_GOLD = ROOT / "data/gold"
SAMPLES_META = ROOT / "data/samples/metadata.csv"
SETS = ("faker", "handwritten", "samples")


@dataclass(slots=True)
class EvalDoc:
    id: str
    text: str
    region: str | None
    kind: str  # court | police | survivor | ngo | template
    entities: list[tuple[int, int, str, str | None]]
    relations: set[tuple[str, str, str]] = field(default_factory=set)  # (head surface, TYPE, tail surface)
    roles: set[tuple[str, str]] = field(default_factory=set)  # (person surface, role)
    has_facts: bool = False


def _meta(source: str) -> dict[str, str]:
    facts = source.partition("\n---\n")[2]
    found = {}
    for line in facts.splitlines():
        if line.startswith("meta:") and "|" in line:
            key, _, value = line[5:].partition("|")
            found[key.strip()] = value.strip()
    return found


def _from_gold(path: Path, region: str | None = None, kind: str = "survivor") -> EvalDoc:
    source = path.read_text(encoding="utf-8")
    gold = parse_gold(source)
    meta = _meta(source)
    return EvalDoc(path.stem, gold.text, meta.get("region") or region, meta.get("kind", kind),
                   [(e.start, e.end, e.label, e.value) for e in gold.entities], gold.relations, gold.roles,
                   has_facts=True)


def handwritten_split(stem: str) -> str:
    number = re.search(r"(\d+)$", stem)
    return "dev" if number and int(number.group(1)) % 2 == 1 else "test"


def load_handwritten(split: str) -> list[EvalDoc]:
    return [_from_gold(p) for p in sorted(HANDWRITTEN.glob("*.gold")) if split in ("all", handwritten_split(p.stem))]


def load_samples() -> list[EvalDoc]:
    from quality_samples import (
        regions as sample_regions,  # the metadata reader the data/gold table uses
    )

    regions = sample_regions([SAMPLES_META])
    return [_from_gold(p, regions.get(p.stem) or None) for p in sorted(SAMPLES_GOLD.glob("*.gold"))]


def load_faker(split: str, count: int = 2400, seed: int = 14) -> list[EvalDoc]:
    from devset.faker_texts import generate

    docs = []
    for item in generate(count=count, seed=seed):
        if split not in ("all", item["split"]):
            continue
        entities = [(e["start"], e["end"], e["label"], e.get("value")) for e in item["entities"]]
        docs.append(EvalDoc(item["id"], item["text"], None, "template", entities))
    return docs


def load(name: str, split: str) -> list[EvalDoc]:
    if name == "faker":
        return load_faker(split)
    if name == "handwritten":
        return load_handwritten(split)
    if name == "samples":
        return load_samples()
    raise ValueError(f"unknown evaluation set {name!r}; known: {', '.join(SETS)}")
