"""What deleting a narrative costs on the embedded store, against rebuilding the graph without it.

    .venv/bin/python bench/removal.py --narratives 2000 --deletions 20

Generated narratives are extracted once and written (timed: the graph). Then ``--deletions`` narratives,
drawn with the seed, are deleted one at a time (each timed), and a second store is built from the others
(timed: the rebuild that deleting spares). Then it compares the two graphs record for record (the times
of writing aside) and counts the records that differ, by kind. Prints Markdown.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.progress import track  # noqa: E402

from evaluation.narratives import generate_narratives  # noqa: E402
from graph import pipeline  # noqa: E402
from graph.build import NarrativeMeta  # noqa: E402
from graph.stores.factory import open_store  # noqa: E402
from graph.stores.protocol import NarrativeInput  # noqa: E402
from graph.stores.transfer import export_lines  # noqa: E402
from nlp import Extractor, Narrative  # noqa: E402
from nlp.extract import content_hash  # noqa: E402


def written(store: object, inputs: list[NarrativeInput], batch: int) -> float:
    start = time.perf_counter()
    for i in track(range(0, len(inputs), batch), description="writing the graph", transient=True):
        pipeline.write(store, inputs[i:i + batch])  # type: ignore[attr-defined]
    return time.perf_counter() - start


def export(store: object) -> list[str]:
    out = []
    for line in export_lines(store):  # type: ignore[arg-type]
        record = json.loads(line)
        record.pop("ingested_at", None)
        out.append(json.dumps(record, sort_keys=True))
    return out


def _kind(line: str) -> str:
    record = json.loads(line)
    return record.get("type") or record.get("label") or record["kind"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--narratives", type=int, default=2_000)
    parser.add_argument("--deletions", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--batch", type=int, default=64, help="narratives per store transaction")
    args = parser.parse_args()
    generated = list(generate_narratives(args.narratives, args.seed))
    extractor = Extractor()
    extractions = list(track(extractor.extract_many(Narrative(g.text, id=g.id) for g in generated),
                             total=len(generated), description="extracting", transient=True))
    inputs = [NarrativeInput(x, NarrativeMeta(g.id, g.metadata.get("organisation"), g.metadata.get("date"),
                                              grading=g.metadata.get("source_grading")), g.text, content_hash(g.text))
              for x, g in zip(extractions, generated, strict=True)]
    gone = random.Random(args.seed).sample(range(len(inputs)), args.deletions)
    with tempfile.TemporaryDirectory() as home:
        store = open_store(Path(home) / "all")
        write_seconds = written(store, inputs, args.batch)
        stats = store.stats()
        timings, touched = [], []
        for index in gone:
            start = time.perf_counter()
            change = pipeline.delete_narrative(store, inputs[index].content_hash)
            timings.append(time.perf_counter() - start)
            touched.append(len(change.nodes_deleted) + len(change.nodes_changed))
        left = export(store)
        store.close()
        rebuilt = open_store(Path(home) / "rebuilt")
        rebuild_seconds = written(rebuilt, [item for i, item in enumerate(inputs) if i not in set(gone)], args.batch)
        again = export(rebuilt)
        rebuilt.close()
    differ = Counter(_kind(line) for line in set(left) ^ set(again))
    mean = statistics.mean(timings)
    print(f"{len(inputs)} generated narratives (seed {args.seed}), {args.batch} per transaction; graph: "
          f"{stats['total_nodes']:,} nodes, {stats['total_relationships']:,} relationships; {args.deletions} "
          f"narratives deleted one at a time (nodes deleted or folded again per deletion: median "
          f"{statistics.median(touched):.0f}, max {max(touched)})\n")
    print(f"Against the rebuild: {len(left):,} records after the deletions, {len(again):,} rebuilt; "
          f"{len(set(left) & set(again)):,} identical; differing (either side): "
          + (", ".join(f"{n} {kind}" for kind, n in sorted(differ.items())) or "none") + "\n")
    print("| step | seconds |")
    print("|---|---|")
    print(f"| writing the graph ({len(inputs)} narratives) | {write_seconds:.1f} |")
    print(f"| one deletion: median | {statistics.median(timings):.3f} |")
    print(f"| one deletion: mean | {mean:.3f} |")
    print(f"| one deletion: slowest | {max(timings):.3f} |")
    print(f"| rebuilding without the {args.deletions} | {rebuild_seconds:.1f} |")
    print(f"\nratio (one deletion, mean / the rebuild it spares): {mean / rebuild_seconds:.4f}; "
          f"a deletion costs as much as writing {mean / (write_seconds / len(inputs)):.1f} narratives")


if __name__ == "__main__":
    main()
