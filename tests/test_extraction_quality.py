"""Extraction quality on the hand-annotated gold set, against thresholds set from measured values.

Measured values (bench/quality.py, recorded in docs/extraction.md) sit a few points above each
threshold; a drop below means a real regression.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nlp.evaluation import parse_gold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from quality_samples import load_gold, measure, regions  # noqa: E402

GOLD = ROOT / "data/gold"
F1_MINIMUM = {"PHONE": 0.95, "EMAIL": 0.95, "IBAN": 0.95, "CRYPTO_WALLET": 0.95, "URL": 0.9,
              "PERSON": 0.82, "LOCATION": 0.85, "ORGANIZATION": 0.68, "MONEY": 0.9, "DATE": 0.65}


@pytest.fixture(scope="module")
def result() -> dict:
    return measure(load_gold(GOLD), regions([ROOT / "data/samples/metadata.csv"]))


def test_gold_files_match_their_samples() -> None:
    files = sorted(GOLD.glob("*.gold"))
    assert len(files) >= 30
    with_facts = 0
    for path in files:
        gold = parse_gold(path.read_text(encoding="utf-8"))
        sample = (ROOT / "data/samples" / f"{path.stem}.txt").read_text(encoding="utf-8").rstrip("\n")
        assert gold.text == sample, path.name
        with_facts += bool(gold.relations and gold.indicators)
    assert with_facts >= 15


@pytest.mark.parametrize("label", list(F1_MINIMUM))
def test_f1_per_label(result: dict, label: str) -> None:
    assert result["ours"][label].f1 >= F1_MINIMUM[label]


@pytest.mark.parametrize("label", ["PERSON", "LOCATION", "ORGANIZATION"])
def test_clearly_beats_the_bare_model(result: dict, label: str) -> None:
    assert result["ours"][label].f1 >= result["baseline"][label].f1 + 0.1


def test_facts_are_measured(result: dict) -> None:
    facts = result["facts"]
    assert facts["indicators"].precision >= 0.85 and facts["indicators"].recall >= 0.5
    assert facts["legs"].f1 >= 0.5
    assert facts["relations"].precision >= 0.45 and facts["roles"].precision >= 0.6
