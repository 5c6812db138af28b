"""Time and peak memory of the sharing releases (issue 18) at 10,000 and 100,000 victims.

    python bench/sharing.py [--victims 10000,100000] [--json bench/results/sharing.json]

For each size a generated population (``evaluation.sharing_population``: invented names and values, real
cities) is loaded into a fresh embedded store; then each release runs in a process of its own, so that its
peak resident memory is its own: the baseline (projecting the store to networkx and building the victim
cases, which every release does first), the HTCDS export (CSV, JSON, README), the pseudonymised graph JSON
lines, the FollowTheMoney export, and three aggregate tables through a fresh ledger. Times are reported as
a ratio to the baseline measured in the same run. The synthetic release has its own benchmark
(bench/sharing_synthetic.py).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STAGES = ("baseline", "htcds", "graph", "ftm", "aggregate")
KEY = "bench-sharing-export-key-0123456789"


def _stage(stage: str, home: Path, out: Path) -> dict[str, float]:
    from graph.stores.factory import open_store
    from sharing.cases import victim_cases
    from sharing.exports import ExportRequest, run_export
    from sharing.pseudonyms import Pseudonymiser

    store = open_store(home)
    started = time.perf_counter()
    count = 0
    if stage == "baseline":
        count = len(victim_cases(store.project()))
    elif stage == "aggregate":
        from sharing.aggregates import aggregate, frame_of_store
        from sharing.release_ledger import ReleaseLedger
        from state.db import ApiDatabase

        frame = frame_of_store(store)
        db = ApiDatabase(out / "api.sqlite")
        for by in (("year", "sex"), ("country_of_origin", "country_of_exploitation"), ("age_band", "type_of_exploitation")):
            table = aggregate(frame, by, 11, ReleaseLedger(db))
            table.write_csv(out / f"aggregate-{'-'.join(by)}.csv")
            count += len(table.cells)
        db.close()
    else:
        target = out / ("htcds" if stage == "htcds" else f"{stage}.jsonl")
        count = run_export(store, ExportRequest(stage), target, Pseudonymiser.from_secret(KEY)).records
    seconds = time.perf_counter() - started
    store.close()
    return {"seconds": round(seconds, 2), "records": count,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _load(victims: int, home: Path) -> dict[str, float]:
    from evaluation.sharing_population import generate, load
    from graph.stores.factory import open_store

    started = time.perf_counter()
    population = generate(victims)
    store = open_store(home)
    load(population, store)
    store.close()
    return {"victims": population.victims, "narratives": population.narratives, "records": len(population.records),
            "load_seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--victims", default="10000,100000")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "sharing.json")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(args.stage, args.home, args.out)))
        return
    results = []
    for victims in (int(v) for v in args.victims.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-sharing-") as tmp:
            home, out = Path(tmp) / "home", Path(tmp) / "out"
            out.mkdir()
            row: dict[str, object] = {"size": victims, **_load(victims, home)}
            for stage in STAGES:
                done = subprocess.run([sys.executable, __file__, "--stage", stage, "--home", str(home), "--out", str(out)],
                                      capture_output=True, text=True, check=True)
                row[stage] = json.loads(done.stdout.strip().splitlines()[-1])
                print(victims, stage, row[stage], flush=True)
            base = row["baseline"]["seconds"]  # type: ignore[index]
            for stage in STAGES[1:]:
                row[stage]["ratio_to_baseline"] = round(row[stage]["seconds"] / base, 2)  # type: ignore[index]
            results.append(row)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
