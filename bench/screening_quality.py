"""Screening quality on the evaluation set: precision, recall and F1 across thresholds, Sightline and logic-v2.

    .venv/bin/python bench/screening_quality.py               # the committed set (data/screening)
    .venv/bin/python bench/screening_quality.py --regenerate  # rebuild it first (deterministic)

Three views, printed as Markdown:

1. **Labelled pairs** (each query with the flagged entity it was made from, true or hard negative, and
   random people with up to three flagged people sharing a name token): precision, recall and F1 for
   Sightline's name score and nomenklatura's logic-v2 at each threshold, and the best-F1 threshold of each.
   This is where ``DEFAULT_THRESHOLD`` comes from.
2. **Recall per variation class** and **false positives per negative class** at each matcher's default.
3. **The index end to end** at the default: every query against the whole list through
   ``ScreeningIndex.screen`` (limit 5): a true query counts when its entity is among the matches, every other
   match is a false one; identifier queries alone; and whether blocking returned exactly what a full scan
   returns (sampled: every fifth name query).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from screening_compare import (  # noqa: E402
    LOGIC_V2_THRESHOLD, THRESHOLDS, best, logic_v2, metrics, score_pairs, sightline,
)

from evaluation import screening_eval as ev  # noqa: E402
from screening.index import DEFAULT_THRESHOLD, ScreeningIndex  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regenerate", action="store_true", help="rebuild data/screening before measuring")
    args = parser.parse_args()
    console = Console(stderr=True)
    if args.regenerate:
        ev.write(ev.build())
    evaluation = ev.read()
    pairs = evaluation.name_pairs()
    labels = [p.label for p in pairs]
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        scored = {}
        for name, scorer in (("Sightline", sightline), ("logic-v2", logic_v2())):
            task = progress.add_task(f"{name}: pairs", total=len(pairs))
            scored[name] = score_pairs(evaluation, pairs, scorer, lambda t=task: progress.advance(t))[0]
        index = ScreeningIndex(evaluation.flagged)
        task = progress.add_task("index: all queries", total=len(evaluation.queries))
        answers = {}
        for query in evaluation.queries:
            answers[query.qid] = index.screen_hits(query.query)
            progress.advance(task)
        sample = [q for q in evaluation.queries if q.query.name][::5]
        task = progress.add_task("blocking against a full scan", total=len(sample))
        differences = 0
        for query in sample:
            blocked = [(h.entity_id, h.score) for h in index.screen_hits(query.query, limit=10_000)]
            scanned = [(h.entity_id, h.score) for h in index.scan_hits(query.query, limit=10_000)]
            differences += blocked != scanned
            progress.advance(task)

    ours, theirs = scored["Sightline"], scored["logic-v2"]
    positives = sum(labels)
    print(f"Evaluation set: {len(evaluation.flagged):,} flagged entities, {len(evaluation.queries):,} queries, "
          f"{len(pairs):,} labelled name pairs ({positives:,} true, {len(pairs) - positives:,} not).\n")
    print("| threshold | Sightline precision | recall | F1 | logic-v2 precision | recall | F1 |")
    print("|---|---|---|---|---|---|---|")
    for threshold in sorted({*THRESHOLDS, DEFAULT_THRESHOLD}):
        a, b = metrics(ours, labels, threshold), metrics(theirs, labels, threshold)
        mark = " (Sightline default)" if threshold == DEFAULT_THRESHOLD else ""
        mark += " (logic-v2 default, yente)" if threshold == LOGIC_V2_THRESHOLD else ""
        print(f"| {threshold:.2f}{mark} | {a.precision:.3f} | {a.recall:.3f} | {a.f1:.3f} | "
              f"{b.precision:.3f} | {b.recall:.3f} | {b.f1:.3f} |")
    for name, scores in (("Sightline", ours), ("logic-v2", theirs)):
        m = best(scores, labels)
        print(f"\nBest F1 for {name}: {m.f1:.3f} at {m.threshold:.2f} (precision {m.precision:.3f}, "
              f"recall {m.recall:.3f}).", end="")
    print("\n")

    kinds = sorted({p.variation for p in pairs})
    print(f"| class | pairs | Sightline at {DEFAULT_THRESHOLD} | logic-v2 at {LOGIC_V2_THRESHOLD} |")
    print("|---|---|---|---|")
    for kind in kinds:
        rows = [(p.label, a, b) for p, a, b in zip(pairs, ours, theirs) if p.variation == kind]
        true = rows[0][0]
        ours_n = sum(1 for _, a, _ in rows if a >= DEFAULT_THRESHOLD)
        theirs_n = sum(1 for _, _, b in rows if b >= LOGIC_V2_THRESHOLD)
        what = "recall" if true else "false positives"
        cell = (lambda n: f"{n / len(rows):.3f}") if true else (lambda n: f"{n:,}")
        print(f"| {kind} ({what}) | {len(rows):,} | {cell(ours_n)} | {cell(theirs_n)} |")

    counts: Counter[str] = Counter()
    for query in evaluation.queries:
        found = [h.entity_id for h in answers[query.qid]]
        group = "identifier" if not query.query.name else "name"
        if query.expected:
            counts[f"{group} true"] += 1
            counts[f"{group} found"] += query.expected in found
        counts[f"{group} reported"] += len(found)
        # whom the query really is: its flagged entity's name, or for a negative the name it was sent with
        own = evaluation.by_id[query.expected].name if query.expected else query.query.name
        for eid in found:
            if eid == query.expected:
                continue
            counts[f"{group} false"] += 1
            other = evaluation.by_id[eid]
            counts[f"{group} namesake"] += bool(own and other.name and ev.namesakes(own, other.name, other.kind))
    print(f"\nThe index end to end at {DEFAULT_THRESHOLD} (every query against all {len(evaluation.flagged):,} "
          "flagged entities, up to 5 matches each). The list itself holds namesakes (people drawn from the same "
          "pools): a match to another flagged entity whose name has the same tokens as the true one, or all of "
          "one's tokens in the other, is counted as false but nothing in the names could tell them apart; the "
          "last column leaves those out.\n")
    print("| queries | true queries | found | recall | matches reported | false matches | of which namesakes on "
          "the list | precision | precision without namesakes |")
    print("|---|---|---|---|---|---|---|---|---|")
    for group in ("name", "identifier"):
        reported, false, same = (counts[f"{group} {k}"] for k in ("reported", "false", "namesake"))
        print(f"| {group} | {counts[f'{group} true']:,} | {counts[f'{group} found']:,} | "
              f"{counts[f'{group} found'] / counts[f'{group} true']:.3f} | {reported:,} | {false:,} | {same:,} | "
              f"{(reported - false) / max(reported, 1):.3f} | {(reported - false) / max(reported - same, 1):.3f} |")
    print(f"\nBlocking against a full scan (all thresholds' matches, {len(sample):,} name queries): "
          f"{differences} differences.")


if __name__ == "__main__":
    main()
