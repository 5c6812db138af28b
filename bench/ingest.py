"""What the graph costs: ingest into the embedded store against extraction alone, in one run.

    .venv/bin/python bench/ingest.py --narratives 10000

The generated narratives are extracted once (timed: extraction alone); the same extractions are then
built into graph fragments, resolved against the store and written in batches (timed: the graph's share).
An ingest is exactly these two steps in sequence, so ingest throughput is N / (extraction + graph) and the
ratio ingest / extraction shows what the graph costs. A second pass writes everything again to time the
"already stored" path. Peak resident memory is read after each step. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.progress import track  # noqa: E402

from evaluation.narratives import generate_narratives  # noqa: E402
from graph import pipeline  # noqa: E402
from graph.build import NarrativeMeta  # noqa: E402
from graph.stores.factory import open_store  # noqa: E402
from graph.stores.protocol import NarrativeInput  # noqa: E402
from nlp import Extractor, Narrative  # noqa: E402
from nlp.extract import content_hash  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--narratives", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--batch", type=int, default=64, help="narratives per store transaction")
    parser.add_argument("--export", type=Path, help="also write the resulting graph here (for bench/neo4j_write.py)")
    args = parser.parse_args()
    generated = list(generate_narratives(args.narratives, args.seed))

    extractor = Extractor()
    list(extractor.extract_many([g.text for g in generated[:20]]))  # load the model before timing

    start = time.perf_counter()
    narratives = (Narrative(g.text, id=g.id) for g in generated)
    extractions = list(track(extractor.extract_many(narratives), total=len(generated), description="extracting",
                             transient=True))
    extract_seconds = time.perf_counter() - start
    extract_peak = peak_mib()

    inputs = [NarrativeInput(x, NarrativeMeta(g.id, g.metadata.get("organisation"), g.metadata.get("date"),
                                              grading=g.metadata.get("source_grading")), g.text, content_hash(g.text))
              for x, g in zip(extractions, generated, strict=True)]
    with tempfile.TemporaryDirectory() as home:
        store = open_store(Path(home))
        start = time.perf_counter()
        for i in track(range(0, len(inputs), args.batch), description="writing the graph", transient=True):
            pipeline.write(store, inputs[i:i + args.batch])
        graph_seconds = time.perf_counter() - start
        graph_peak = peak_mib()
        start = time.perf_counter()
        for i in range(0, len(inputs), args.batch):
            pipeline.write(store, inputs[i:i + args.batch])
        again_seconds = time.perf_counter() - start
        stats = store.stats()
        size = (Path(home) / "graph.sqlite").stat().st_size / 2**20
        if args.export:
            from graph.stores.transfer import export_lines

            args.export.write_text("\n".join(export_lines(store)) + "\n", encoding="utf-8")
        store.close()

    n = len(generated)
    ingest_seconds = extract_seconds + graph_seconds
    print(f"{n} generated narratives (seed {args.seed}), {args.batch} per transaction; graph: "
          f"{stats['total_nodes']:,} nodes, {stats['total_relationships']:,} relationships, {size:.0f} MiB on disk\n")
    print("| step | seconds | narratives/s | peak RSS after (MiB) |")
    print("|---|---|---|---|")
    print(f"| extraction alone | {extract_seconds:.1f} | {n / extract_seconds:.1f} | {extract_peak:.0f} |")
    print(f"| graph: build + resolve + write | {graph_seconds:.1f} | {n / graph_seconds:.1f} | {graph_peak:.0f} |")
    print(f"| ingest (extraction + graph) | {ingest_seconds:.1f} | {n / ingest_seconds:.1f} | {graph_peak:.0f} |")
    print(f"| writing again (all already stored) | {again_seconds:.1f} | {n / again_seconds:.1f} | {peak_mib():.0f} |")
    print(f"\nratio (ingest / extraction-alone throughput): {extract_seconds / ingest_seconds:.2f}")


if __name__ == "__main__":
    main()
