"""Analysis at scale: every stage of ``analyse()`` on synthetic graphs, networkx against igraph, in one run.

    .venv/bin/python bench/analysis.py                          # 10k, 100k and 1M nodes (about 15 minutes)
    .venv/bin/python bench/analysis.py --sizes 10000 100000     # without the million
    .venv/bin/python bench/analysis.py --ablation               # also: shared places creating ties

For each size, one synthetic graph in the projection's shape (``evaluation.synthetic_graph``, planted
networks). First ``analyse()`` end to end with each backend (``igraph`` first, then ``networkx``), then every
stage on its own: the social view and person projection (shared by both backends), then per backend
communities (python-louvain or Leiden, with the community descriptions), key actors and brokers (igraph adds
the one conversion of the projection), then the stages both backends share (exposure, corridors and
hotspots). networkx runs only up to ``--networkx-max`` nodes (default 100,000: at a million its stages would
take the better part of an hour); above it, each networkx stage is projected from its measured growth
between the two largest sizes it ran at (time ~ size^b), and marked as projected.

Memory: each stage's peak resident set, exact: the kernel's high-water mark (VmHWM) is reset before the stage
(``/proc/self/clear_refs``) and read after it, so it is the whole process (the graph included) at its largest
during that stage. The end-to-end run comes right after generation, so its peak is the graph plus one
analysis. Communities are checked too: modularity, purity against the planted networks (share of persons whose
community's majority network is their own) and how many communities are not connected in the projection.
Results go to ``bench/results/analysis.json``; Markdown tables are printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import igraph as ig  # noqa: E402
import leidenalg  # noqa: E402
import networkx as nx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from evaluation.synthetic_graph import synthetic_graph  # noqa: E402
from graph.analysis import analyse  # noqa: E402
from graph.analysis import igraph_backend as igb  # noqa: E402
from graph.analysis.actors import brokers, key_actors  # noqa: E402
from graph.analysis.communities import detect_communities, person_projection  # noqa: E402
from graph.analysis.corridors import corridors  # noqa: E402
from graph.analysis.exposure import ExposureParams, exposure_all  # noqa: E402
from graph.analysis.hotspots import hotspots  # noqa: E402
from graph.analysis.social import social_view  # noqa: E402

T = TypeVar("T")
BACKEND_STAGES = {"networkx": ["communities", "key actors", "brokers"],
                  "igraph": ["convert to igraph", "communities", "key actors", "brokers"]}
SHARED_STAGES = ["social view + projection", "exposure", "corridors + hotspots"]
OUT = ROOT / "bench" / "results" / "analysis.json"


def reset_peak() -> None:
    """Reset the kernel's peak-RSS mark for this process (Linux >= 4.0), so the next reading is one stage's."""
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_mib() -> float:
    with open("/proc/self/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024  # type: ignore[union-attr]


def purity(members: list[list[str]], planted: dict[str, int]) -> float:
    """Share of persons whose community's majority planted network is their own."""
    total = sum(len(m) for m in members)
    return sum(Counter(planted[n] for n in m).most_common(1)[0][1] for m in members) / total


def disconnected(ip: igb.IGraphProjection, members: list[list[str]]) -> int:
    """Communities whose members are not connected within the community (Louvain can produce them)."""
    return sum(1 for m in members if len(m) > 1
               and not ip.graph.induced_subgraph([ip.index[n] for n in m]).is_connected())


def run_size(nodes: int, seed: int, networkx_max: int, progress: Progress,
             e2e_only: bool = False) -> dict[str, Any]:
    backends: list[igb.Backend] = ["igraph", "networkx"] if nodes <= networkx_max else ["igraph"]
    total = 2 + len(backends) + len(SHARED_STAGES) + sum(len(BACKEND_STAGES[b]) for b in backends)
    task = progress.add_task(f"{nodes:,} nodes", total=total)
    row: dict[str, Any] = {"target": nodes, "stages": {}, "backends_run": backends}

    def timed(stage: str, fn: Callable[[], T]) -> T:
        progress.update(task, description=f"{nodes:,} nodes: {stage}")
        reset_peak()
        start = time.perf_counter()
        value = fn()
        row["stages"][stage] = {"seconds": round(time.perf_counter() - start, 3), "peak_mib": round(peak_mib(), 1)}
        progress.advance(task)
        return value

    G = timed("generate", lambda: synthetic_graph(nodes, seed))
    planted = G.graph["networks"]
    row.update(nodes=G.number_of_nodes(), edges=G.number_of_edges())
    for backend in backends:
        result = timed(f"{backend}: analyse() end to end", lambda: analyse(G, seed=seed, backend=backend))  # noqa: B023
        row[f"{backend}_result"] = {"communities": len(result.communities), "modularity": result.modularity,
                                    "actors": len(result.actors), "brokers": len(result.brokers),
                                    "exposed": len(result.exposure)}
        del result
    if e2e_only:
        progress.remove_task(task)
        return row

    def project() -> tuple[nx.Graph, nx.Graph]:
        S = social_view(G)
        return S, person_projection(G, view=S)

    S, P = timed("social view + projection", project)
    row.update(persons=P.number_of_nodes(), projection_edges=P.number_of_edges())
    ip = igb.to_igraph(P)
    for backend in backends:
        converted = timed("igraph: convert to igraph", lambda: igb.to_igraph(P)) if backend == "igraph" else None
        found = timed(f"{backend}: communities", lambda: detect_communities(  # noqa: B023
            P, seed=seed, G=G, view=S, backend=backend, converted=converted))  # noqa: B023
        communities, partition, q = found
        members = [c.members for c in communities]
        row[f"{backend}_communities"] = {
            "modularity": q, "communities": len(communities), "of_3_or_more": sum(1 for m in members if len(m) >= 3),
            "purity": purity(members, planted), "disconnected": disconnected(ip, members)}
        timed(f"{backend}: key actors", lambda: key_actors(P, partition, G, 5, seed=seed, backend=backend,  # noqa: B023
                                                           converted=converted))  # noqa: B023
        timed(f"{backend}: brokers", lambda: brokers(P, partition, 10, G=G, seed=seed, backend=backend,  # noqa: B023
                                                     converted=converted))  # noqa: B023
    timed("exposure", lambda: exposure_all(G, ExposureParams(), view=S, keep=20))
    timed("corridors + hotspots", lambda: (corridors(G), hotspots(G)))
    progress.remove_task(task)
    return row


def project_networkx(rows: list[dict[str, Any]]) -> None:
    """Fill in networkx stage times above ``--networkx-max`` from the growth between the two largest sizes run."""
    ran = [r for r in rows if "networkx" in r["backends_run"]]
    if len(ran) < 2:
        return
    a, b = ran[-2], ran[-1]
    for r in rows:
        if "networkx" in r["backends_run"]:
            continue
        projected: dict[str, Any] = {}
        for stage in [f"networkx: {s}" for s in BACKEND_STAGES["networkx"]] + ["networkx: analyse() end to end"]:
            if stage not in a["stages"] or stage not in b["stages"]:
                continue
            ta, tb = a["stages"][stage]["seconds"], b["stages"][stage]["seconds"]
            exponent = math.log(tb / ta) / math.log(b["nodes"] / a["nodes"]) if ta > 0 and tb > 0 else 1.0
            projected[stage] = {"seconds": round(tb * (r["nodes"] / b["nodes"]) ** exponent, 1),
                                "exponent": round(exponent, 2), "from_sizes": [a["nodes"], b["nodes"]]}
        r["networkx_projected"] = projected


def ablation(nodes: int, seed: int) -> list[dict[str, Any]]:
    """Shared places creating ties versus only reinforcing them (the default), on one graph."""
    G = synthetic_graph(nodes, seed)
    S = social_view(G)
    rows = []
    for create in (False, True):
        start = time.perf_counter()
        P = person_projection(G, view=S, places_create_ties=create)
        communities, _, q = detect_communities(P, seed=seed)
        rows.append({"create": create, "edges": P.number_of_edges(), "communities": len(communities), "q": q,
                     "purity": purity([c.members for c in communities], G.graph["networks"]),
                     "seconds": time.perf_counter() - start})
    return rows


def print_tables(rows: list[dict[str, Any]]) -> None:
    def cell(r: dict[str, Any], stage: str) -> str:
        if stage in r["stages"]:
            s = r["stages"][stage]
            return f"{s['seconds']:,.2f} s / {s['peak_mib'] / 1024:.2f} GiB"
        p = r.get("networkx_projected", {}).get(stage)
        return f"~{p['seconds']:,.0f} s (projected, n^{p['exponent']})" if p else "–"

    stages = ["generate", "social view + projection"]
    for backend in ("networkx", "igraph"):
        stages += [f"{backend}: {s}" for s in BACKEND_STAGES[backend]]
    stages += ["exposure", "corridors + hotspots", "networkx: analyse() end to end", "igraph: analyse() end to end"]
    print("| stage | " + " | ".join(f"~{r['nodes'] // 1000:,}k nodes" for r in rows) + " |")
    print("|---" * (1 + len(rows)) + "|")
    print("| nodes / edges / persons / projection edges | " + " | ".join(
        f"{r['nodes']:,} / {r['edges']:,} / {r['persons']:,} / {r['projection_edges']:,}" for r in rows) + " |")
    for stage in stages:
        print(f"| {stage} | " + " | ".join(cell(r, stage) for r in rows) + " |")
    print()
    print("| graph | backend | communities (3+) | modularity | purity | not connected |")
    print("|---" * 6 + "|")
    for r in rows:
        for backend in ("networkx", "igraph"):
            c = r.get(f"{backend}_communities")
            if c:
                print(f"| ~{r['nodes'] // 1000:,}k | {backend} | {c['communities']:,} ({c['of_3_or_more']:,}) | "
                      f"{c['modularity']:.4f} | {c['purity']:.3f} | {c['disconnected']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--networkx-max", type=int, default=100_000, help="largest size networkx runs at")
    parser.add_argument("--ablation", action="store_true", help="also compare shared places creating ties")
    parser.add_argument("--e2e-only", action="store_true", help="only generation and analyse() end to end")
    parser.add_argument("--json", type=Path, default=OUT, help="where the results go")
    args = parser.parse_args()
    console = Console(stderr=True)
    rows: list[dict[str, Any]] = []
    started = time.time()
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        for size in sorted(args.sizes):
            rows.append(run_size(size, args.seed, args.networkx_max, progress, args.e2e_only))
            console.log(f"{size:,} nodes done: " + ", ".join(
                f"{k} {v['seconds']:.1f} s" for k, v in rows[-1]["stages"].items() if "end to end" in k))
            gc.collect()
            write(args, started, rows)  # after every size: a million-node run that fails keeps the smaller ones
    out = write(args, started, rows)
    if not args.e2e_only:
        print_tables(rows)
    if args.ablation:
        out["ablation"] = ablation(min(args.sizes), args.seed)
        args.json.write_text(json.dumps(out, indent=2) + "\n")
        print()
        print("| shared places | projection edges | communities | Q | purity | projection + louvain (s) |")
        print("|---" * 6 + "|")
        for a in out["ablation"]:
            label = "create ties" if a["create"] else "reinforce existing ties (default)"
            print(f"| {label} | {a['edges']:,} | {a['communities']:,} | {a['q']:.4f} | {a['purity']:.3f} | "
                  f"{a['seconds']:.2f} |")


def write(args: argparse.Namespace, started: float, rows: list[dict[str, Any]]) -> dict[str, Any]:
    project_networkx(rows)
    out: dict[str, Any] = {
        "command": " ".join(["bench/analysis.py", *sys.argv[1:]]), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                          time.gmtime(started)),
        "machine": {"cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(), "python": platform.python_version(),
                    "networkx": nx.__version__, "igraph": ig.__version__, "leidenalg": leidenalg.__version__},
        "seed": args.seed, "networkx_max": args.networkx_max, "sizes": rows,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    main()
