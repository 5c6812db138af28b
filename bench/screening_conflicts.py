"""Name recall when the bank's date of birth conflicts (1 to 10 years off), per variation class.

    .venv/bin/python bench/screening_conflicts.py

The set is ``evaluation.screening_conflicts.build`` over the committed evaluation set: every person pair
with a flagged date of birth, the query's date moved 1 to 10 years; the non-matches twice, with a
conflicting date and with the flagged person's own date and country. Prints a Markdown table: recall per
true class, false-positive rate per negative class, at the default threshold, by default and with
``require_dob_match``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation import screening_conflicts as conflicts
from evaluation import screening_eval as ev
from screening.index import DEFAULT_THRESHOLD, match_entity


def main() -> None:
    evaluation = ev.read()
    pairs = conflicts.build(evaluation)
    rows: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
    for c in pairs:
        entity = evaluation.by_id[c.pair.entity_id]
        found = [match_entity(c.query, entity, require_dob_match=r) for r in (False, True)]
        rows[c.variation].append((c.pair.label, *(h is not None and h.score >= DEFAULT_THRESHOLD for h in found)))
    print("| class | pairs | default: recall / false-positive rate | --require-dob-match |")
    print("|---|---|---|---|")
    totals: dict[str, list[int]] = {"true": [0, 0, 0], "false": [0, 0, 0]}
    for variation in sorted(rows, key=lambda v: (not rows[v][0][0], v)):
        items = rows[variation]
        label = items[0][0]
        plain, strict = sum(i[1] for i in items), sum(i[2] for i in items)
        what = "recall" if label else "false positives"
        print(f"| {variation} ({what}) | {len(items):,} | {plain / len(items):.3f} | {strict / len(items):.3f} |")
        if variation != conflicts.NAMESAKE:
            bucket = totals["true" if label else "false"]
            bucket[0] += len(items)
            bucket[1] += plain
            bucket[2] += strict
    t, f = totals["true"], totals["false"]
    print(f"| **all true pairs (recall)** | {t[0]:,} | **{t[1] / t[0]:.3f}** | {t[2] / t[0]:.3f} |")
    print(f"| **all non-matches but namesakes (false-positive rate)** | {f[0]:,} | **{f[1] / f[0]:.4f}** | "
          f"{f[2] / f[0]:.4f} |")


if __name__ == "__main__":
    main()
