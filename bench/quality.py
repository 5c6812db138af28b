"""Extraction quality on text the rules were not written on: Sightline, Presidio and bare spaCy in one run.

    .venv/bin/python bench/quality.py                       # test split, every set and system, Markdown
    .venv/bin/python bench/quality.py --split dev           # the split rules may be tuned on
    .venv/bin/python bench/quality.py --systems sightline --sets handwritten --json out.json

Sets and splits: bench/quality_data.py. Scoring: bench/quality_scoring.py. Systems: bench/quality_systems.py
(Presidio needs the bench extra: `pip install -e ".[bench]"`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality_data import SETS, EvalDoc, load  # noqa: E402
from quality_scoring import score_entities, score_relations, score_roles  # noqa: E402
from quality_systems import RUNNERS, SYSTEMS, Run  # noqa: E402

from nlp.extraction import LABELS  # noqa: E402

SCORED_LABELS = [label for label in LABELS if label != "CRYPTO_WALLET"] + ["CRYPTO_WALLET"]
COURT_KINDS = frozenset({"court", "police"})


def facts(docs: list[EvalDoc], run: Run, kinds: frozenset[str] | None = None) -> dict:
    chosen = [(d, x) for d, x in zip(docs, run.extractions or []) if d.has_facts and (kinds is None or d.kind in kinds)]
    roles = score_roles((x, d.entities, d.text, d.roles) for d, x in chosen)
    relations = score_relations((x, d.entities, d.text, d.relations) for d, x in chosen)
    return {"documents": len(chosen), **{k: v.as_dict() for k, v in roles.items()}, "relations": relations.as_dict()}


def measure(set_name: str, split: str, systems: list[str]) -> dict:
    docs = load(set_name, split)
    result: dict = {"set": set_name, "split": split, "documents": len(docs), "systems": {}}
    for system in systems:
        run = RUNNERS[system](docs)
        scores = score_entities(((p, d.entities) for p, d in zip(run.spans, docs)), SCORED_LABELS)
        entry = {"labels": {label: c.as_dict() for label, c in scores.items() if c.gold or c.predicted},
                 "docs_per_cpu_second": round(run.docs_per_cpu_second(), 2), "cpu_seconds": round(run.cpu_seconds, 2)}
        phone = scores["PHONE"]
        if phone.predicted_right:
            entry["phone_value_accuracy"] = round(phone.value_right / phone.predicted_right, 4)
        if run.extractions is not None and any(d.has_facts for d in docs):
            entry["facts"] = {"all": facts(docs, run), "court and police": facts(docs, run, COURT_KINDS),
                              "survivor and ngo": facts(docs, run, frozenset({"survivor", "ngo"}))}
        result["systems"][system] = entry
    return result


def markdown(result: dict) -> str:
    systems = list(result["systems"])
    head = " | ".join(f"{s} P | R | F1" for s in systems)
    lines = [f"### {result['set']} ({result['split']}, {result['documents']} texts)", "",
             f"| label | gold | {head} |", "|---|---|" + "---|---|---|" * len(systems)]
    labels = [label for label in SCORED_LABELS if any(label in e["labels"] for e in result["systems"].values())]
    for label in labels:
        gold = next((e["labels"][label]["gold"] for e in result["systems"].values() if label in e["labels"]), 0)
        cells = []
        for system in systems:
            c = result["systems"][system]["labels"].get(label)
            cells.append(f"{c['precision']:.2f} | {c['recall']:.2f} | {c['f1']:.2f}" if c else "– | – | –")
        lines.append(f"| {label} | {gold} | " + " | ".join(cells) + " |")
    base = result["systems"].get("spacy", {}).get("docs_per_cpu_second")
    lines += ["", "| system | docs per CPU second | vs bare spaCy |", "|---|---|---|"]
    for system in systems:
        rate = result["systems"][system]["docs_per_cpu_second"]
        lines.append(f"| {system} | {rate:.1f} | {f'{rate / base:.2f}x' if base else '–'} |")
    sightline = result["systems"].get("sightline", {})
    if "phone_value_accuracy" in sightline:
        lines += ["", f"Sightline PHONE exact hits with the gold normalised value: {sightline['phone_value_accuracy']:.2f}"]
    if "facts" in sightline:
        lines += ["", "| facts (Sightline) | texts | P | R | F1 | gold |", "|---|---|---|---|---|---|"]
        for group, scores in sightline["facts"].items():
            for name in ("exploiting side", "victim", "role (exact)", "relations"):
                c = scores[name]
                lines.append(f"| {name}, {group} | {scores['documents']} | {c['precision']:.2f} | {c['recall']:.2f} | "
                             f"{c['f1']:.2f} | {c['gold']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--sets", default="faker,handwritten", help=f"comma-separated, of {', '.join(SETS)}")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    systems = [s for s in args.systems.split(",") if s]
    results = [measure(name, args.split, systems) for name in args.sets.split(",") if name]
    print("\n\n".join(markdown(r) for r in results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
