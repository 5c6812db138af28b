"""Batch extraction throughput against bare spaCy nlp.pipe of the same model, in one run.

    .venv/bin/python bench/extract.py --narratives 2000

Both sides process the same generated narratives with the same batch size in one process; peak
memory (resident set, from the OS) is read after each side. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.progress import track  # noqa: E402

from evaluation.narratives import generate_narratives  # noqa: E402
from nlp import Extractor, Narrative  # noqa: E402
from nlp.pipeline import load_model  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--narratives", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    texts = [n.text for n in generate_narratives(args.narratives, args.seed)]
    words = sum(len(t.split()) for t in texts)

    extractor = Extractor()
    extractor.full  # load both pipelines before timing  # noqa: B018
    bare = load_model(extractor.config)
    list(bare.pipe(texts[:20]))
    list(extractor.extract_many(texts[:20]))

    start = time.perf_counter()
    for _ in track(bare.pipe(texts, batch_size=args.batch_size), total=len(texts), description="bare nlp.pipe",
                   transient=True):
        pass
    bare_seconds = time.perf_counter() - start
    bare_peak = peak_mib()

    start = time.perf_counter()
    narratives = (Narrative(t, id=str(i)) for i, t in enumerate(texts))
    for _ in track(extractor.extract_many(narratives, batch_size=args.batch_size), total=len(texts),
                   description="sightline", transient=True):
        pass
    ours_seconds = time.perf_counter() - start
    ours_peak = peak_mib()

    print(f"{len(texts)} generated narratives (seed {args.seed}), {words:,} words, batch size {args.batch_size}\n")
    print("| pipeline | narratives/s | words/s | peak RSS after (MiB) |")
    print("|---|---|---|---|")
    print(f"| bare spaCy nlp.pipe | {len(texts) / bare_seconds:.1f} | {words / bare_seconds:,.0f} | {bare_peak:.0f} |")
    print(f"| Sightline extract_many | {len(texts) / ours_seconds:.1f} | {words / ours_seconds:,.0f} | {ours_peak:.0f} |")
    print(f"\nratio (Sightline / bare spaCy throughput): {bare_seconds / ours_seconds:.2f}")


if __name__ == "__main__":
    main()
