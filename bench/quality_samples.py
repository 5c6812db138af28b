"""Regression check on data/gold (exact spans): Sightline against the bare spaCy model, per label.

    .venv/bin/python bench/quality_samples.py            # prints a Markdown table

data/gold was written together with the rules, so these figures guard against regressions and say
little about unseen text; bench/quality.py measures that, on held-back hand-written and templated sets.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.extraction_eval import (  # noqa: E402
    Gold, baseline_entities, parse_gold, predicted_entities, score_entities, score_facts,
)
from nlp import Extractor, Narrative  # noqa: E402
from nlp.extraction import IDENTIFIER_LABELS, LABELS  # noqa: E402


def load_gold(folder: Path) -> dict[str, Gold]:
    return {p.stem: parse_gold(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.gold"))}


def measure(gold: dict[str, Gold], region_of: dict[str, str] | None = None) -> dict:
    extractor = Extractor()
    narratives = [Narrative(g.text, id=k, region=(region_of or {}).get(k)) for k, g in gold.items()]
    extractions = list(extractor.extract_many(narratives))
    ours = score_entities([(g, predicted_entities(x)) for g, x in zip(gold.values(), extractions)],
                          list(LABELS), IDENTIFIER_LABELS)
    from nlp.pipeline import load_model

    model = load_model(extractor.config)
    docs = list(model.pipe(g.text for g in gold.values()))
    baseline = score_entities([(g, baseline_entities(d)) for g, d in zip(gold.values(), docs)],
                              list(LABELS), IDENTIFIER_LABELS)
    facts = score_facts(list(zip(gold.values(), extractions)))
    return {"ours": ours, "baseline": baseline, "facts": facts, "narratives": len(gold)}


def regions(metadata: list[Path]) -> dict[str, str]:
    import pandas as pd

    frames = [pd.read_csv(p, dtype=str) for p in metadata if p.exists()]
    if not frames:
        return {}
    table = pd.concat(frames)
    return dict(zip(table["id"], table["region"].fillna("")))


def table(result: dict) -> str:
    lines = ["| label | Sightline P | R | F1 | bare spaCy P | R | F1 |", "|---|---|---|---|---|---|---|"]
    for label in LABELS:
        o, b = result["ours"][label], result["baseline"][label]
        lines.append(f"| {label} | {o.precision:.2f} | {o.recall:.2f} | {o.f1:.2f} | "
                     f"{b.precision:.2f} | {b.recall:.2f} | {b.f1:.2f} |")
    lines += ["", "| facts | P | R | F1 | gold |", "|---|---|---|---|---|"]
    for name, s in result["facts"].items():
        lines.append(f"| {name} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.tp + s.fn} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=ROOT / "data/gold")
    args = parser.parse_args()
    gold = load_gold(args.gold)
    result = measure(gold, regions([ROOT / "data/samples/metadata.csv"]))
    print(f"{result['narratives']} gold narratives\n")
    print(table(result))


if __name__ == "__main__":
    main()
