"""The workspace in a real browser on the 10,000-narrative benchmark graph: each page's server time and the
graph explorer drawing 2,000 nodes, in one run.

    .venv/bin/python bench/workspace.py [--graph bench/.cache/graph-10000-seed11.jsonl] [--loads 20]

1. The graph of the ingest benchmark's 10,000 generated narratives (``bench/ingest.py --narratives 10000
   --export``) is imported with ``sightline import`` into a fresh ``SIGHTLINE_HOME``; keys for every role are
   created; ``sightline serve`` starts on loopback with ``SIGHTLINE_API_NEIGHBOURHOOD_LIMIT`` raised to the
   explorer's node count. An NGO submits one narrative (so its pages have a submission to show) and an
   analyst orders one report (so the report page has one to read); both jobs finish before measuring.
2. Headless Debian Chromium (as in the browser tests) signs in as each role and opens each page of
   ``web.catalogue`` ``--loads`` times, after one unmeasured load. Every response of the server carries
   ``Server-Timing: app;dur=…`` (the server's own time to the first byte, ``api.middleware``), which the
   browser exposes for the page and for each ``/v1`` call its script made. A page's server time is the page
   plus all its ``/v1`` calls; p50 and p95 over the loads, and the slowest call. The floor, measured in the
   same run, is ``/v1/health`` (a request that does nothing).
3. The explorer opens the neighbourhood of the best-connected entity, depth 2, limit ``--explorer-nodes``,
   ``--loads`` times; the page reports ``data-draw-ms`` (data received to layout drawn) and the run also
   takes navigation start to ``data-ready``.
Prints Markdown tables; ``--json`` writes everything.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.api_server import make_key, start, wait_for_job  # noqa: E402
from tests.browser import Workspace, new_browser, sign_in, wait_idle  # noqa: E402
from web.catalogue import PAGES  # noqa: E402

TIMINGS = """
const nav = performance.getEntriesByType('navigation')[0];
const app = (e) => (e.serverTiming || []).filter(t => t.name === 'app').map(t => t.duration)[0];
const calls = performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/'))
  .map(e => ({url: new URL(e.name).pathname, server: app(e), wall: e.duration}));
return {page: app(nav), calls: calls, ready: performance.now()};
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def sightline(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"sightline {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def hub(graph: Path) -> str:
    """The entity with the most relationships in the exported graph (not a narrative)."""
    degree: Counter[str] = Counter()
    with graph.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("kind") in ("edge", "relationship") or "source" in record:
                if record.get("type") == "MENTIONED_IN":
                    continue
                degree[record.get("source")] += 1
                degree[record.get("target")] += 1
    return next(node for node, _ in degree.most_common() if node and not node.startswith("narrative:"))


def page_urls(ws: Workspace, entity: str, report_job: str, narrative: str) -> dict[str, str]:
    fill = {"entity_id": quote(entity, safe=":/+"), "job_id": report_job, "narrative_id": quote(narrative, safe="")}
    urls = {}
    for page in PAGES:
        path = page.path.replace(":path", "")
        for name, value in fill.items():
            path = path.replace("{" + name + "}", value)
        urls[page.name] = path
    urls["explore"] = f"/explore?id={quote(entity, safe='')}"
    return urls


def measure_pages(ws: Workspace, urls: dict[str, str], loads: int, only: set[str] | None = None) -> dict[str, Any]:
    driver = new_browser()
    results: dict[str, Any] = {}
    try:
        for role in ("analyst", "ngo", "partner", "admin"):
            sign_in(driver, ws, role)
            for page in [p for p in PAGES if role in p.roles and p.name not in results
                         and (only is None or p.name in only)]:
                totals, slowest = [], []
                for attempt in range(loads + 1):
                    driver.get(ws.base + urls[page.name])
                    wait_idle(driver, timeout=600)
                    timing = driver.execute_script(TIMINGS)
                    calls = [c["server"] or 0.0 for c in timing["calls"]]
                    if attempt:  # the first load is not measured (caches)
                        totals.append((timing["page"] or 0.0) + sum(calls))
                        slowest.append(max(calls, default=0.0))
                results[page.name] = {"role": role, "calls": len(timing["calls"]),
                                      "p50_ms": round(statistics.median(totals), 1),
                                      "p95_ms": round(percentile(totals, 0.95), 1),
                                      "slowest_call_p95_ms": round(percentile(slowest, 0.95), 1)}
                print(f"{page.name}: {results[page.name]}", file=sys.stderr)
    finally:
        driver.quit()
    return results


def measure_explorer(ws: Workspace, entity: str, nodes: int, loads: int) -> dict[str, Any]:
    driver = new_browser()
    draws, readies, counts = [], [], []
    try:
        sign_in(driver, ws, "analyst")
        url = f"{ws.base}/explore?id={quote(entity, safe='')}&depth=2&limit={nodes}"
        for attempt in range(loads + 1):
            driver.get(url)
            wait_idle(driver, timeout=120)
            drawn = driver.execute_script("const m = document.getElementById('main').dataset;"
                                          "return {draw: Number(m.drawMs), nodes: Number(m.nodes || 0),"
                                          " ready: performance.now()};")
            if attempt:
                draws.append(drawn["draw"])
                readies.append(drawn["ready"])
                counts.append(drawn["nodes"])
    finally:
        driver.quit()
    return {"nodes_drawn": max(counts, default=0), "draw_p50_ms": round(statistics.median(draws), 1),
            "draw_p95_ms": round(percentile(draws, 0.95), 1), "ready_p50_ms": round(statistics.median(readies), 1),
            "ready_p95_ms": round(percentile(readies, 0.95), 1)}


def floor(ws: Workspace, loads: int) -> float:
    times = []
    with httpx.Client(base_url=ws.base) as client:
        for _ in range(loads * 5):
            response = client.get("/v1/health")
            times.append(float(response.headers["server-timing"].split("dur=")[1]))
    return round(percentile(times, 0.95), 2)


def prepare(ws: Workspace) -> tuple[str, str, float]:
    """One NGO submission and one report ordered, the server's whole-graph analysis computed (what the first
    analyst view after a change of the graph waits for: timed), then both jobs finished.
    Returns (narrative id, report job id, seconds the first analysis took)."""
    ngo = httpx.Client(base_url=ws.base, headers={"Authorization": f"Bearer {ws.keys['ngo']}"}, timeout=120)
    submitted = ngo.post("/v1/narratives", json={"text": "Maria was recruited in Iasi by Ion Popescu, who took "
                                                         "her passport and drove her to Milan to work in a bar."})
    analyst = httpx.Client(base_url=ws.base, headers={"Authorization": f"Bearer {ws.keys['analyst']}"}, timeout=3600)
    job = wait_for_job(ngo, submitted.json()["job_id"], timeout=900)
    ordered = analyst.post("/v1/reports", json={"formats": ["md", "html"]})  # the worker analyses meanwhile
    started = time.perf_counter()
    assert analyst.get("/v1/analysis/communities", params={"limit": 1}).status_code == 200
    first_analysis = time.perf_counter() - started
    print(f"first analysis on the server: {first_analysis:.0f} s (the worker's report job ran meanwhile)",
          file=sys.stderr)
    report = wait_for_job(analyst, ordered.json()["job_id"], timeout=3600)
    assert job["status"] == "done" and report["status"] == "done", (job, report)
    narrative = ngo.get("/v1/narratives").json()[0]["id"]
    return narrative, ordered.json()["job_id"], round(first_analysis, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", type=Path, default=ROOT / "bench" / ".cache" / "graph-10000-seed11.jsonl")
    parser.add_argument("--loads", type=int, default=20)
    parser.add_argument("--explorer-nodes", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", help="measure only these pages (comma-separated names) and skip the explorer")
    args = parser.parse_args()
    if not args.graph.exists():
        raise SystemExit(f"{args.graph} is missing: run bench/ingest.py --narratives 10000 --export {args.graph}")
    home = Path(tempfile.mkdtemp(prefix="sightline-bench-workspace-"))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SIGHTLINE_")}, "SIGHTLINE_HOME": str(home)}
    started = time.perf_counter()
    sightline(env, "import", str(args.graph))
    print(f"imported in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    keys = {role: make_key(home, role, "Org A") for role in ("analyst", "ngo", "partner", "admin")}
    server = start(home, {"SIGHTLINE_API_NEIGHBOURHOOD_LIMIT": str(args.explorer_nodes),
                          "SIGHTLINE_API_AUTH_FAILURES_PER_MINUTE": "0"}, timeout=300)
    ws = Workspace(server, keys)
    try:
        narrative, report_job, first_analysis = prepare(ws)
        entity = hub(args.graph)
        only = set(args.only.split(",")) if args.only else None
        pages = measure_pages(ws, page_urls(ws, entity, report_job, narrative), args.loads, only)
        explorer = measure_explorer(ws, entity, args.explorer_nodes, args.loads) if only is None else None
        result = {"graph": args.graph.name, "loads": args.loads, "floor_health_p95_ms": floor(ws, args.loads),
                  "first_analysis_seconds": first_analysis,
                  "pages": pages, "explorer": explorer}
    finally:
        server.stop()
    print("\n| page | role | /v1 calls | server p50 ms | server p95 ms | p95 / 200 ms target | slowest call p95 ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, r in result["pages"].items():
        print(f"| {name} | {r['role']} | {r['calls']} | {r['p50_ms']} | {r['p95_ms']} | {r['p95_ms'] / 200:.2f} "
              f"| {r['slowest_call_p95_ms']} |")
    print(f"\nfloor (/v1/health server time p95): {result['floor_health_p95_ms']} ms; the server's first whole-graph "
          f"analysis (before any page was measured): {result['first_analysis_seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    e = result["explorer"]
    if e is None:
        return
    print(f"explorer: {e['nodes_drawn']} nodes; draw p50 {e['draw_p50_ms']} ms, p95 {e['draw_p95_ms']} ms "
          f"(ratio to the 2,000 ms target {e['draw_p95_ms'] / 2000:.2f}); navigation to ready p95 {e['ready_p95_ms']} ms")


if __name__ == "__main__":
    main()
