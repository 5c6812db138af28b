"""Analysis at scale: communities, key actors, brokers and exposure on synthetic graphs, in one run.

    .venv/bin/python bench/analysis.py                 # ~10k and ~100k nodes
    .venv/bin/python bench/analysis.py --sizes 10000   # quick

For each size, one synthetic graph in the projection's shape (``evaluation.synthetic_graph``, planted
networks) goes through every stage of ``analyse`` separately, timed with ``perf_counter``; python-louvain
and networkx's ``louvain_communities`` run on the same projection with the same seed, side by side, and
their time ratio and modularity are reported, with the purity of their communities against the planted
networks (share of members in their community's majority network). The end-to-end ``analyse`` call is
timed too. Peak memory is the process's peak resident set (``ru_maxrss``) after each size; sizes run
smallest first, so each reading is that size's peak. A last table compares the projection with and
without shared places creating ties (``places_create_ties``), on the first size. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from evaluation.synthetic_graph import synthetic_graph  # noqa: E402
from graph.analysis import analyse  # noqa: E402
from graph.analysis.actors import brokers, key_actors  # noqa: E402
from graph.analysis.communities import detect_communities, person_projection  # noqa: E402
from graph.analysis.corridors import corridors  # noqa: E402
from graph.analysis.exposure import ExposureParams, exposure_all  # noqa: E402
from graph.analysis.hotspots import hotspots  # noqa: E402
from graph.analysis.social import social_view  # noqa: E402

T = TypeVar("T")
STAGES = ["generate", "social view + projection", "python-louvain", "networkx louvain", "key actors", "brokers",
          "exposure", "corridors + hotspots", "analyse() end to end"]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def purity(members: list[list[str]], planted: dict[str, int]) -> float:
    """Share of persons whose community's majority planted network is their own."""
    total = sum(len(m) for m in members)
    return sum(Counter(planted[n] for n in m).most_common(1)[0][1] for m in members) / total


def run_size(nodes: int, seed: int, progress: Progress) -> dict[str, Any]:
    task = progress.add_task(f"{nodes:,} nodes", total=len(STAGES))
    row: dict[str, Any] = {"target": nodes}

    def timed(stage: str, fn: Callable[[], T]) -> T:
        progress.update(task, description=f"{nodes:,} nodes: {stage}")
        start = time.perf_counter()
        value = fn()
        row[stage] = time.perf_counter() - start
        progress.advance(task)
        return value

    G = timed("generate", lambda: synthetic_graph(nodes, seed))
    planted = G.graph["networks"]

    def project() -> tuple[nx.Graph, nx.Graph]:
        S = social_view(G)
        return S, person_projection(G, view=S)

    S, P = timed("social view + projection", project)
    pl = timed("python-louvain", lambda: detect_communities(P, seed=seed, method="python-louvain", G=G, view=S))
    nxl = timed("networkx louvain", lambda: detect_communities(P, seed=seed, method="networkx", G=G, view=S))
    actors = timed("key actors", lambda: key_actors(P, pl[1], G, 5, seed=seed))
    found = timed("brokers", lambda: brokers(P, pl[1], 10, G=G, seed=seed))
    exposed = timed("exposure", lambda: exposure_all(G, ExposureParams(), view=S))
    timed("corridors + hotspots", lambda: (corridors(G), hotspots(G)))
    result = timed("analyse() end to end", lambda: analyse(G, seed=seed))
    progress.remove_task(task)
    row.update(
        nodes=G.number_of_nodes(), edges=G.number_of_edges(), persons=P.number_of_nodes(),
        projection_edges=P.number_of_edges(), n_actors=len(actors), n_brokers=len(found), exposed=len(exposed),
        contributions=sum(len(e.contributions) for e in exposed), json_mib=len(result.to_json()) / 2**20,
        peak=peak_mib(),
    )
    for name, (communities, _, q) in (("pl", pl), ("nx", nxl)):
        row[f"{name}_q"] = q
        row[f"{name}_n"] = len(communities)
        row[f"{name}_large"] = sum(1 for c in communities if c.size >= 3)
        row[f"{name}_purity"] = purity([c.members for c in communities], planted)
    return row


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    console = Console(stderr=True)
    rows = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        for size in sorted(args.sizes):
            rows.append(run_size(size, args.seed, progress))
            console.log(f"{size:,} nodes done in {sum(rows[-1][s] for s in STAGES):.1f} s")
    ablated = ablation(min(args.sizes), args.seed)

    print("| graph | nodes | edges | persons | projection edges | " + " | ".join(f"{s} (s)" for s in STAGES)
          + " | peak RSS (MiB) |")
    print("|---" * (6 + len(STAGES)) + "|")
    for r in rows:
        print(f"| ~{r['target'] // 1000}k | {r['nodes']:,} | {r['edges']:,} | {r['persons']:,} | "
              f"{r['projection_edges']:,} | " + " | ".join(f"{r[s]:.2f}" for s in STAGES) + f" | {r['peak']:,.0f} |")
    print()
    print("| graph | python-louvain (s) | Q | communities (3+) | purity | networkx (s) | Q | communities (3+) "
          "| purity | time networkx / python-louvain |")
    print("|---" * 10 + "|")
    for r in rows:
        print(f"| ~{r['target'] // 1000}k | {r['python-louvain']:.2f} | {r['pl_q']:.4f} | {r['pl_n']:,} "
              f"({r['pl_large']:,}) | {r['pl_purity']:.3f} | {r['networkx louvain']:.2f} | {r['nx_q']:.4f} | "
              f"{r['nx_n']:,} ({r['nx_large']:,}) | {r['nx_purity']:.3f} | "
              f"{r['networkx louvain'] / r['python-louvain']:.2f} |")
    print()
    print("| graph | key actors listed | brokers | persons scored for exposure | contributions | "
          "exposure: persons/s | result JSON (MiB) |")
    print("|---" * 7 + "|")
    for r in rows:
        print(f"| ~{r['target'] // 1000}k | {r['n_actors']:,} | {r['n_brokers']} | {r['exposed']:,} | "
              f"{r['contributions']:,} | {r['exposed'] / r['exposure']:,.0f} | {r['json_mib']:.1f} |")
    print()
    print(f"Shared places in the projection (~{min(args.sizes) // 1000}k graph, python-louvain):")
    print()
    print("| shared places | projection edges | communities | Q | purity | projection + louvain (s) |")
    print("|---" * 6 + "|")
    for a in ablated:
        label = "create ties" if a["create"] else "reinforce existing ties (default)"
        print(f"| {label} | {a['edges']:,} | {a['communities']:,} | {a['q']:.4f} | {a['purity']:.3f} | "
              f"{a['seconds']:.2f} |")


if __name__ == "__main__":
    main()
