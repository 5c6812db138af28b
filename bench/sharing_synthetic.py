"""Benchmark of the DP synthetic release (sharing.synthetic): utility against the fair baseline, time, memory.

    flock /tmp/heavy.lock .venv/bin/python bench/sharing_synthetic.py [--sizes 10000 100000] [--epsilons 1 4]

For each population size and epsilon, in a fresh process (so that its peak resident memory is its own):
generate that many victim cases (``evaluation.case_population``: invented, with known correlations),
synthesise as many records with MST (default 1000 mirror-descent iterations), and measure

- utility: mean total variation distance of all 1- and 2-way marginals against the real (generated)
  cases, for MST and for the fair baseline (each column sampled on its own from its noisy 1-way marginal,
  same epsilon and delta), plus three 2-way marginals that carry the generated structure;
- time: to synthesise (encode, measure, select, fit, sample, filter: everything but the evaluation) and
  the evaluation separately;
- memory: the child's peak resident set (``resource.getrusage``, includes JAX/XLA's native buffers) and
  the peak of Python allocations (``tracemalloc``, which does not see JAX's buffers).

A figure on generated data proves little about real data: the structure is the generator's.
Results: bench/results/sharing_synthetic.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "sharing_synthetic.json"
STRUCTURE = [("sex", "isSexualExploitation"), ("citizenship", "country_of_origin"),
             ("isForcedLabour", "meansDebtBondage")]


def one(size: int, epsilon: float, iterations: int, seed: int) -> dict:
    """One measurement, in this process (the parent starts one process per measurement)."""
    sys.path.insert(0, str(ROOT))
    from evaluation.case_population import generate_cases
    from sharing.synthetic import synthesise_cases, to_htcds

    frame = generate_cases(size, seed=seed)
    stages: dict[str, float] = {}
    start = time.perf_counter()
    tracemalloc.start()

    def step(message: str) -> None:
        stages[message] = time.perf_counter() - start

    cases, report = synthesise_cases(frame, epsilon, seed=seed, records=size, iterations=iterations, step=step)
    rows = to_htcds(cases)
    total = time.perf_counter() - start
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    evaluating = stages["evaluating against the real cases and the independent baseline"]
    sampling = stages["sampling synthetic records"]
    utility = report.evaluation["utility"]
    return {
        "population": size, "records": len(rows), "epsilon_asked": epsilon,
        "epsilon_spent": report.epsilon, "delta": report.delta, "iterations": iterations,
        "seconds_synthesise": round(evaluating, 2), "seconds_fit": round(sampling - stages["fitting the graphical model"], 2),
        "seconds_evaluate": round(total - evaluating, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_python_mb": round(python_peak / 2**20, 1),
        "mae_one_way": {"mst": utility["synthetic"]["one_way"]["mean"],
                        "independent": utility["independent_baseline"]["one_way"]["mean"]},
        "mae_two_way": {"mst": utility["synthetic"]["two_way"]["mean"],
                        "independent": utility["independent_baseline"]["two_way"]["mean"]},
        "mae_before_unique_filter": {"one_way": utility["synthetic_without_filter"]["one_way"]["mean"],
                                     "two_way": utility["synthetic_without_filter"]["two_way"]["mean"]},
        "structure": {"/".join(p): {"mst": report.errors[p], "independent": report.baseline_errors[p]} for p in STRUCTURE},
        "edges": len(report.release["edges"]),
        "real_uniques": report.evaluation["quasi_identifiers"]["real_unique_combinations"],
        "uniques_reproduced_before_filter": report.evaluation["quasi_identifiers"]["synthetic_matching_real_unique_before_filter"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--epsilons", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "EPSILON"), help=argparse.SUPPRESS)
    parser.add_argument("-o", "--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(int(args.one[0]), float(args.one[1]), args.iterations, args.seed)))
        return
    runs = []
    for size in args.sizes:
        for epsilon in args.epsilons:
            child = subprocess.run([sys.executable, __file__, "--one", str(size), str(epsilon), "--iterations",
                                    str(args.iterations), "--seed", str(args.seed)], capture_output=True, text=True,
                                   cwd=ROOT, check=True)
            result = json.loads(child.stdout.strip().splitlines()[-1])
            runs.append(result)
            print(f"{size:>7} cases  eps {epsilon:g}: {result['seconds_synthesise']:.1f} s, "
                  f"{result['peak_rss_mb']:.0f} MB peak RSS; 2-way MAE MST {result['mae_two_way']['mst']:.4f} "
                  f"vs independent {result['mae_two_way']['independent']:.4f}", flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "benchmark": "sharing_synthetic", "command": "flock /tmp/heavy.lock .venv/bin/python bench/sharing_synthetic.py",
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "note": "generated population (evaluation.case_population): proves little about real data",
        "runs": runs}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
