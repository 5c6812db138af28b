"""Start-up and shutdown time of the local Neo4j (graph/neo4j_local/server.py), and its memory when idle.

    .venv/bin/python bench/neo4j_start.py --runs 3

Each run starts the detached launcher in a temporary SIGHTLINE_HOME twice: the first start creates the
store (what `make test` pays once), the second reopens it (a daily `sightline neo4j start`). "start" is
measured from the call until the Python driver's verify_connectivity() succeeds, so it includes compiling
Launcher.java (single-file source launch) and the JVM start. The classpath is resolved before timing
(Maven runs at most once per pom.xml; that one-off cost is reported separately when it happens).
Prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.neo4j_local import server as neo4j_server  # noqa: E402
from graph.neo4j_local.toolchain import ensure_classpath  # noqa: E402
from state.settings import Settings  # noqa: E402


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def once(settings: Settings) -> tuple[float, float, float]:
    began = time.perf_counter()
    info = neo4j_server.start(settings.local_neo4j())
    started = time.perf_counter() - began
    time.sleep(2.0)  # let start-up work (index sampling, JIT) settle before reading memory
    memory = rss_mib(info.pid)
    began = time.perf_counter()
    result = neo4j_server.stop(settings.home)
    stopped = time.perf_counter() - began
    if not (result.was_running and result.clean):
        raise SystemExit(f"unclean stop: {result}")
    return started, stopped, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--heap", default="512m")
    parser.add_argument("--page-cache", default="64m")
    args = parser.parse_args()

    rows: dict[str, list[tuple[float, float, float]]] = {"first start (new store)": [], "restart (existing store)": []}
    with tempfile.TemporaryDirectory() as scratch:
        began = time.perf_counter()
        ensure_classpath(Path(scratch) / "classpath-probe")
        resolve = time.perf_counter() - began
        for run in range(args.runs):
            settings = Settings(home=Path(scratch) / f"run{run}", neo4j_heap=args.heap,
                                neo4j_page_cache=args.page_cache)
            rows["first start (new store)"].append(once(settings))
            rows["restart (existing store)"].append(once(settings))

    print(f"classpath: {resolve:.2f}s (cached unless pom.xml changed; Maven runs only when it is not)\n")
    print(f"| case (heap {args.heap}, page cache {args.page_cache}, {args.runs} runs, medians) "
          "| start to Bolt answering | clean stop | RSS when idle |")
    print("|---|---:|---:|---:|")
    for case, samples in rows.items():
        start, stop, memory = (statistics.median(column) for column in zip(*samples))
        print(f"| {case} | {start:.1f} s | {stop:.1f} s | {memory:.0f} MiB |")


if __name__ == "__main__":
    main()
