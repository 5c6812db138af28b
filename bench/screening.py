"""Screening at 100,000 flagged entities: latency, throughput and quality, against logic-v2, in one run.

    .venv/bin/python bench/screening.py                      # 100,000 flagged entities
    .venv/bin/python bench/screening.py --flagged 20000      # quick

One process, one thread (so one core). Steps:

1. **Watchlist**: ``--flagged`` entities (85% people of eleven nationalities with surnames derived from the
   pools so that the list is not mostly namesakes, 15% companies), with phones, emails, IBANs and wallets
   (``evaluation.screening_eval.flagged_people``). Indexed by ``ScreeningIndex``; build time and memory.
2. **Identifier queries**: half flagged identifiers written as a bank would (spaced, national with a region,
   tagged, upper case), half valid identifiers nobody flagged. **Name queries**: half a flagged person's
   name under one variation class each (``POSITIVE_VARIATIONS``), half people drawn from the same pools who
   are no one's namesake (``Register``). Each query is timed alone (p50/p99 latency), then all of a kind
   go through ``screen_many`` (batch throughput).
3. **logic-v2 on the same pairs**: every name query paired with the candidates Sightline's blocking finds
   for it at a low bar (0.5, so logic-v2 sees more than Sightline keeps); both scorers score the same
   pairs. Reported per matcher: recall (the flagged person a true query was made from scores at least the
   matcher's threshold), false alarms (share of the no-one's-namesake queries with any match), pairs per
   second, and queries per second as a screening service (Sightline: index end to end; logic-v2: its
   pairs per query at its pairs per second, with retrieval for free).
4. **The evaluation set's labelled pairs** (``data/screening``) scored by both: precision and recall.

Prints Markdown tables for docs/benchmarks.md. Needs the ``bench`` extra for logic-v2.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from screening_compare import LOGIC_V2_THRESHOLD, logic_v2, metrics, score_pairs, sightline  # noqa: E402

from evaluation import screening_eval as ev  # noqa: E402
from evaluation.screening_synthetic import make_person  # noqa: E402
from screening.index import DEFAULT_THRESHOLD, ScreeningIndex  # noqa: E402
from screening.keys import identifier_key  # noqa: E402
from screening.models import IDENTIFIER_KINDS, FlaggedEntity, ScreenQuery  # noqa: E402

CANDIDATE_BAR = 0.5


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def watchlist(n: int, seed: int) -> tuple[list[FlaggedEntity], list[tuple[FlaggedEntity, object, bool]]]:
    rng = random.Random(seed)
    n_people = n * 85 // 100
    people = ev.flagged_people(rng, n_people, diverse=True)
    companies = ev.flagged_companies(rng, n - n_people, n_people)
    return [e for e, *_ in people] + [e for e, *_ in companies], people  # type: ignore[return-value]


def identifier_queries(rng: random.Random, flagged: list[FlaggedEntity], n: int) -> list[ScreenQuery]:
    holders = [(e, kind, value) for e in flagged for kind, values in e.identifiers.items() for value in values]
    hits = [ev.identifier_variant(rng, *rng.choice(holders)) for _ in range(n // 2)]
    taken = {(kind, identifier_key(kind, value)) for _, kind, value in holders}
    misses: list[ScreenQuery] = []
    while len(misses) < n - n // 2:
        kind = IDENTIFIER_KINDS[len(misses) % 4]
        query = ev.unflagged_identifier(rng, kind)
        if (kind, identifier_key(kind, query.identifiers[kind][0])) not in taken:  # type: ignore[index]
            misses.append(query)
    return hits + misses


def name_queries(rng: random.Random, flagged: list[FlaggedEntity], people: list, n: int
                 ) -> tuple[list[ScreenQuery], list[str | None]]:
    """Name queries and, for each, the flagged entity it was made from (``None`` for no one's namesake)."""
    queries: list[ScreenQuery] = []
    truth: list[str | None] = []
    for k, (entity, person, native) in enumerate(rng.sample(people, n // 2)):
        variation = ev.POSITIVE_VARIATIONS[k % len(ev.POSITIVE_VARIATIONS)]
        queries.append(ScreenQuery("person", name=ev.positive_person(rng, person, variation, native)))
        truth.append(entity.id)
    register = ev.Register(flagged)
    while len(queries) < n:
        person = make_person(rng, middle_p=0.15, diverse=True)
        if not register.ambiguous(person.name()):
            queries.append(ScreenQuery("person", name=person.name(), birth_date=person.birth_date
                                       if rng.random() < 0.4 else None))
            truth.append(None)
    return queries, truth


def percentile(values: Sequence[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def timed_one_by_one(index: ScreeningIndex, queries: Sequence[ScreenQuery], advance: Callable[[], None]
                     ) -> list[float]:
    """Milliseconds per query, each measured alone on this process's CPU clock (other jobs on the machine
    stretch the wall clock, not this)."""
    latencies = []
    for query in queries:
        start = time.process_time()
        index.screen(query)
        latencies.append((time.process_time() - start) * 1000)
        advance()
    return latencies


def throughput(run: Callable[[], object], n: int) -> tuple[float, float]:
    """``(queries per CPU second, queries per wall second)`` of one batch."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return n / (time.process_time() - cpu), n / (time.perf_counter() - wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flagged", type=int, default=100_000)
    parser.add_argument("--identifier-queries", type=int, default=20_000)
    parser.add_argument("--name-queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--compare-queries", type=int, default=400,
                        help="name queries whose candidate pairs logic-v2 also scores (it is slow)")
    args = parser.parse_args()
    load = os.getloadavg()
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    rng = random.Random(args.seed + 1)

    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("generating the watchlist", total=None)
        flagged, people = watchlist(args.flagged, args.seed)
        id_queries = identifier_queries(rng, flagged, args.identifier_queries)
        queries, truth = name_queries(rng, flagged, people, args.name_queries)
        progress.update(task, description="indexing")
        rss_before = rss_mib()
        start = time.perf_counter()
        index = ScreeningIndex(flagged)
        build_seconds = time.perf_counter() - start
        rss_after = rss_mib()
        progress.remove_task(task)

        rows = []
        for label, batch in (("identifiers", id_queries), ("names", queries)):
            task = progress.add_task(f"{label}: one by one", total=len(batch))
            latencies = timed_one_by_one(index, batch, lambda t=task: progress.advance(t))
            progress.update(task, description=f"{label}: batch", completed=0)
            cpu_rate, wall_rate = throughput(lambda b=batch: index.screen_many(b), len(batch))
            results = index.screen_many(batch)
            progress.remove_task(task)
            rows.append((label, len(batch), percentile(latencies, 50), percentile(latencies, 99), cpu_rate,
                         wall_rate, sum(1 for r in results if r)))
        id_hits = index.screen_many(id_queries)
        id_recall = sum(1 for q, r in zip(id_queries[: len(id_queries) // 2], id_hits) if r) / (len(id_queries) // 2)
        id_false = sum(1 for r in id_hits[len(id_queries) // 2:] if r)

        # logic-v2 on the same pairs: each name query with the candidates blocking finds at a low bar
        compared = list(range(0, len(queries), max(1, len(queries) // args.compare_queries)))[: args.compare_queries]
        task = progress.add_task("candidate pairs", total=len(compared))
        pairs: list[tuple[int, FlaggedEntity]] = []
        for k in compared:
            for entity_id in dict.fromkeys(index.name_candidates(queries[k], threshold=CANDIDATE_BAR)):
                pairs.append((k, index.entity(entity_id)))  # type: ignore[arg-type]
            progress.advance(task)
        progress.remove_task(task)
        scored = {}
        for name, scorer in (("Sightline", sightline), ("logic-v2", logic_v2())):
            task = progress.add_task(f"{name}: {len(pairs):,} pairs", total=len(pairs))
            start = time.process_time()
            scores = []
            for k, entity in pairs:
                scores.append(scorer(queries[k], entity))
                progress.advance(task)
            scored[name] = (scores, len(pairs) / (time.process_time() - start))
            progress.remove_task(task)

        evaluation = ev.read()
        eval_pairs = evaluation.name_pairs()
        eval_scores = {}
        for name, scorer in (("Sightline", sightline), ("logic-v2", logic_v2())):
            task = progress.add_task(f"evaluation pairs: {name}", total=len(eval_pairs))
            eval_scores[name] = score_pairs(evaluation, eval_pairs, scorer, lambda t=task: progress.advance(t))
            progress.remove_task(task)

    print(f"Watchlist: {len(flagged):,} flagged entities ({len(people):,} people), "
          f"{sum(len(v) for e in flagged for v in e.identifiers.values()):,} identifiers, "
          f"name vocabulary {index.vocabulary_size():,} tokens. Index built in {build_seconds:.1f} s; "
          f"peak RSS {rss_before:,.0f} MiB before, {rss_after:,.0f} MiB after.\n")
    print(f"Load average at the start {load[0]:.1f}, at the end {os.getloadavg()[0]:.1f} (2 cores shared with other "
          "jobs): CPU-clock figures are this process's own; wall-clock ones include waiting for a core.\n")
    print("| queries | n | p50 latency (ms CPU) | p99 latency (ms CPU) | batch queries per CPU second | "
          "batch queries per wall second | with a match |")
    print("|---|---|---|---|---|---|---|")
    for label, n, p50, p99, cpu_rate, wall_rate, matched in rows:
        print(f"| {label} | {n:,} | {p50:.3f} | {p99:.3f} | {cpu_rate:,.0f} | {wall_rate:,.0f} | {matched:,} |")
    print(f"\nIdentifier recall on flagged identifiers in other formats: {id_recall:.4f}; "
          f"false matches on {len(id_queries) - len(id_queries) // 2:,} unflagged identifiers: {id_false}.\n")

    n_pos = sum(1 for k in compared if truth[k])
    n_neg = len(compared) - n_pos
    per_query = len(pairs) / len(compared)
    print(f"Name matching on the same {len(pairs):,} pairs: {len(compared):,} of the name queries with the "
          f"{per_query:.1f} candidates per query that blocking finds at a bar of {CANDIDATE_BAR}:\n")
    print("| matcher | threshold | recall ({:,} true queries) | false alarms ({:,} others) | pairs per CPU second | "
          "queries per CPU second as a service |".format(n_pos, n_neg))
    print("|---|---|---|---|---|---|")
    name_rate = rows[1][4]  # Sightline end to end: blocking, scoring, ranking
    for name, threshold in (("Sightline", DEFAULT_THRESHOLD), ("logic-v2", LOGIC_V2_THRESHOLD)):
        scores, rate = scored[name]
        found, alarms = set(), set()
        for (k, entity), score in zip(pairs, scores):
            if score >= threshold:
                if truth[k] == entity.id:
                    found.add(k)
                elif truth[k] is None:
                    alarms.add(k)
        service = name_rate if name == "Sightline" else rate / per_query
        print(f"| {name} | {threshold} | {len(found) / n_pos:.3f} | {len(alarms) / n_neg:.3f} | {rate:,.0f} | "
              f"{service:,.0f} |")
    (ours, ours_rate), (theirs, their_rate) = eval_scores["Sightline"], eval_scores["logic-v2"]
    labels = [p.label for p in eval_pairs]
    print(f"\nEvaluation set (data/screening, {len(eval_pairs):,} labelled name pairs, {sum(labels):,} true):\n")
    print("| matcher | threshold | precision | recall | F1 | pairs per CPU second |")
    print("|---|---|---|---|---|---|")
    for name, scores, rate, threshold in (("Sightline", ours, ours_rate, DEFAULT_THRESHOLD),
                                          ("logic-v2", theirs, their_rate, LOGIC_V2_THRESHOLD)):
        m = metrics(scores, labels, threshold)
        print(f"| {name} | {threshold} | {m.precision:.3f} | {m.recall:.3f} | {m.f1:.3f} | {rate:,.0f} |")
    print(f"\nRatios: Sightline scores pairs {ours_rate / their_rate:.1f}x as fast as logic-v2 on the evaluation "
          f"set and {scored['Sightline'][1] / scored['logic-v2'][1]:.1f}x on the {len(flagged):,}-entity list's "
          "candidates.")


if __name__ == "__main__":
    main()
