"""Deterministic synthetic texts with gold entity spans, built from Faker data and our own templates.

    .venv/bin/python bench/devset/faker_texts.py -o out.jsonl [--count N] [--seed S]

Each record: {"id", "text", "locale", "split", "entities", "distractors", "hard", "genre"}.

- ``entities``: gold spans {"start", "end", "label", "value"} sorted by start, offsets into ``text``
  as it is (zero-width and direction characters included). Labels: PERSON, LOCATION, ORGANIZATION,
  PHONE, EMAIL, IBAN, URL, MONEY, DATE.
- ``distractors``: digit-bearing strings put in the text to tempt a phone finder, each
  {"start", "end", "kind", "entity"}; ``entity`` is None for non-entities (times, case numbers,
  SSNs, ID numbers, postcodes, plates, ...) and "DATE"/"MONEY" where the string is also a gold span.
- ``hard``: which hard cases the text carries ("invisible", "allcaps", "surname_repeat").
- ``genre``: the kind of text (intake, police, tip, bank, advert, chat, court, survivor, labour, ad,
  contact).

Span conventions (as data/eval/ANNOTATION.md): PERSON without titles, every mention (surnames
alone, given names alone, ALL-CAPS); a leading "the" is outside ORGANIZATION and LOCATION spans;
"Houston, TX" is two LOCATION spans, a one-line full address is one LOCATION span; named
businesses, agencies, NGOs and advert websites written as brands are ORGANIZATION; DATE covers
word dates, numeric dates, years and periods ("three months"); MONEY needs a currency.

Every text is generated from its own seed (seed, index), so ``generate(n)`` is a prefix of
``generate(m)`` for n < m, and the split is a stable hash of the id.

This module is the entry point (``generate`` and the command line); the work is done in the package:
``locale_profiles`` and ``transliteration`` (locales), ``render_context`` (per-text state),
``people``, ``places``, ``organisations``, ``contact_identifiers``, ``money_amounts``, ``dates`` and
``distractors`` (values), ``genre_templates`` and ``extra_templates`` (the sentences),
``template_expansion``, ``sentence_plan``, ``hard_cases`` and ``text_assembly`` (the generator), and
``record_checks`` (``verify``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

if not __package__:
    # Run as a script: sys.path[0] is bench/devset/, but the package is imported as ``devset``.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devset.record_checks import LABELS, verify  # noqa: E402
from devset.text_assembly import generate  # noqa: E402

__all__ = ["generate", "main"]


def _write_jsonl(records: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _print_summary(records: list[dict], output: Path) -> None:
    """Counts per split and label, share of texts with a phone, locales and hard cases."""
    splits = Counter(r["split"] for r in records)
    per: dict[str, Counter[str]] = {s: Counter() for s in ("dev", "test")}
    for r in records:
        per[r["split"]].update(e["label"] for e in r["entities"])
    print(f"texts: {len(records)}  dev: {splits['dev']}  test: {splits['test']}  -> {output}")
    print(f"{'label':<14}{'dev':>8}{'test':>8}{'total':>8}")
    for lab in LABELS:
        d, t = per["dev"][lab], per["test"][lab]
        print(f"{lab:<14}{d:>8}{t:>8}{d + t:>8}")
    with_phone = sum(any(e["label"] == "PHONE" for e in r["entities"]) for r in records)
    hard = Counter(h for r in records for h in r["hard"])
    print(f"texts with a phone: {with_phone} ({with_phone / max(len(records), 1):.0%}); "
          f"locales: {len({r['locale'] for r in records})}; hard cases: {dict(hard)}")


def main(argv: list[str] | None = None) -> int:
    """Write the records to ``-o`` as JSON lines and print a summary; 1 if ``verify`` found problems."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", required=True, type=Path)
    ap.add_argument("--count", type=int, default=2400)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args(argv)
    records = generate(args.count, args.seed)
    problems = verify(records)
    for p in problems[:20]:
        print("PROBLEM", p, file=sys.stderr)
    _write_jsonl(records, args.output)
    _print_summary(records, args.output)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
