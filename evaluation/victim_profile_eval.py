"""How well ``nlp.victim_profile`` reads stated sex, age, citizenship and origin, per attribute.

The sets are hand-written (``data/eval/victim_profile_dev.jsonl`` for tuning, ``..._test.jsonl`` held
back): one JSON object per line, ``{"id", "text", "expected": {name or "narrator": {"sex", "age",
"citizenship", "origin"}}}``. An attribute absent from a person's expectation was not stated, so a value
extracted for it is a false positive; a person the file does not list is expected to have nothing.

Scoring is per (narrative, person, attribute value): a predicted value equal to the expected one is a true
positive; a predicted value that is wrong or not expected is a false positive; an expected value not
predicted (or predicted wrong) is a false negative. Citizenship counts each country separately.
Run: ``python -m evaluation.victim_profile_eval --split test [-v]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluation.extraction_eval import Score as Counts  # true/false positives, precision and recall
from nlp.extract import Extractor
from nlp.extraction import NARRATOR, Extraction
from nlp.identifiers import fold

ATTRIBUTES = ("sex", "age", "citizenship", "origin")
DATA = Path(__file__).resolve().parents[1] / "data" / "eval"


@dataclass(slots=True)
class Score:
    by_attribute: dict[str, Counts] = field(default_factory=lambda: {a: Counts() for a in ATTRIBUTES})
    errors: list[str] = field(default_factory=list)

    def overall(self) -> Counts:
        total = Counts()
        for counts in self.by_attribute.values():
            total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
        return total

    def table(self) -> str:
        lines = ["| attribute | TP | FP | FN | precision | recall |", "|---|---|---|---|---|---|"]
        for name, c in [*self.by_attribute.items(), ("all", self.overall())]:
            lines.append(f"| {name} | {c.tp} | {c.fp} | {c.fn} | {c.precision:.2f} | {c.recall:.2f} |")
        return "\n".join(lines)


def load(split: str, path: Path | None = None) -> list[dict[str, Any]]:
    """The items of one split (``dev`` or ``test``) or of an explicit file."""
    source = path or DATA / f"victim_profile_{split}.jsonl"
    return [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]


def predicted(extraction: Extraction) -> dict[str, dict[str, Any]]:
    """Person name (entity value) or "narrator" -> the attributes extracted for them."""
    out: dict[str, dict[str, Any]] = {}
    for profile in extraction.profiles:
        entity = extraction.entity(profile.person)
        name = NARRATOR if profile.person == NARRATOR else entity.value if entity else profile.person
        values = {"sex": profile.sex, "age": profile.age, "citizenship": profile.citizenship or None,
                  "origin": profile.origin}
        out[name] = {k: v for k, v in values.items() if v is not None}
    return out


def _same_person(expected: str, name: str) -> bool:
    a, b = set(fold(expected).split()), set(fold(name).split())
    return expected == name or bool(a) and bool(b) and (a <= b or b <= a)


def _values(attribute: str, value: Any) -> set[Any]:
    if value is None:
        return set()
    return set(value) if attribute == "citizenship" else {value}


def score_item(item: dict[str, Any], extraction: Extraction, score: Score) -> None:
    found = predicted(extraction)
    matched: set[str] = set()
    for person, expected in item["expected"].items():
        name = next((n for n in found if n not in matched and _same_person(person, n)), None)
        if name is not None:
            matched.add(name)
        got = found.get(name, {}) if name else {}
        _compare(item["id"], person, expected, got, score)
    for name, got in found.items():
        if name not in matched:
            _compare(item["id"], name, {}, got, score)


def _compare(item_id: str, person: str, expected: dict[str, Any], got: dict[str, Any], score: Score) -> None:
    for attribute in ATTRIBUTES:
        want, have = _values(attribute, expected.get(attribute)), _values(attribute, got.get(attribute))
        counts = score.by_attribute[attribute]
        counts.tp += len(want & have)
        counts.fp += len(have - want)
        counts.fn += len(want - have)
        if want != have:
            score.errors.append(f"{item_id} {person} {attribute}: expected {sorted(want, key=str)} "
                                f"got {sorted(have, key=str)}")


def evaluate(items: Iterable[dict[str, Any]], extractor: Extractor | None = None) -> Score:
    extractor = extractor or Extractor()
    score = Score()
    for item in items:
        score_item(item, extractor.extract(item["text"], id=item["id"]), score)
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score stated victim attributes against a hand-written set.")
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--file", type=Path, help="another JSON-lines set in the same format")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    try:
        items = load(args.split, args.file)
    except (OSError, ValueError) as error:
        parser.exit(2, f"cannot read the evaluation set: {type(error).__name__}\n")
    score = evaluate(items)
    print(f"victim profile, {args.file or args.split} ({len(items)} items)")
    print(score.table())
    if args.verbose:
        print("\n".join(score.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
