"""Check hand-written gold files: markup parses, facts name annotated entities, vocabularies hold.

    .venv/bin/python bench/check_gold.py data/eval/handwritten/*.gold
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stdnum import iban  # noqa: E402

from evaluation.extraction_eval import parse_gold  # noqa: E402

LABELS = {"PERSON", "LOCATION", "ORGANIZATION", "PHONE", "EMAIL", "IBAN", "CRYPTO_WALLET", "URL", "MONEY", "DATE"}
RELATIONS = {"RECRUITED", "CONTROLLED", "PAID", "EXPLOITED_AT", "WORKED_AT", "USES_PHONE", "USES_EMAIL", "OWNS_ACCOUNT"}
ROLES = {"victim", "recruiter", "exploiter", "transporter", "controller", "buyer", "witness"}
KINDS = {"court", "police", "survivor", "ngo"}


def problems(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    found: list[str] = []
    if "\n---\n" not in source:
        return ["no '---' line between text and facts"]
    gold = parse_gold(source)
    if re.search(r"[\[\]{}]", gold.text):
        found.append("stray [ ] { } left in the text (broken markup)")
    surfaces = {e.text for e in gold.entities} | {"narrator"}
    for e in gold.entities:
        if e.label not in LABELS:
            found.append(f"unknown label {e.label}")
        if e.label in {"PHONE", "EMAIL", "IBAN", "CRYPTO_WALLET", "URL"} and not e.value:
            found.append(f"{e.label} '{e.text}' has no '=value'")
        if e.label == "IBAN" and e.value and not iban.is_valid(e.value):
            found.append(f"IBAN {e.value} fails its checksum")
        if e.text != e.text.strip():
            found.append(f"span '{e.text}' has leading/trailing space")
    for head, kind, tail in gold.relations:
        if kind not in RELATIONS:
            found.append(f"unknown relation type {kind}")
        for name in (head, tail):
            if name not in surfaces:
                found.append(f"relation names '{name}', which is not an annotated span")
    for person, role in gold.roles:
        if role not in ROLES:
            found.append(f"unknown role {role}")
        if person not in surfaces:
            found.append(f"role names '{person}', which is not an annotated span")
    meta = dict(
        (parts[0].strip(), parts[1].strip()) for line in source.partition("\n---\n")[2].splitlines()
        if line.startswith("meta:") and len(parts := line[5:].split("|")) == 2
    )
    if not re.fullmatch(r"[A-Z]{2}", meta.get("region", "")):
        found.append("missing 'meta: region | XX'")
    if meta.get("kind") not in KINDS:
        found.append("missing 'meta: kind | court|police|survivor|ngo'")
    return found


def main() -> int:
    bad = 0
    for name in sys.argv[1:]:
        for problem in problems(Path(name)):
            bad += 1
            print(f"{name}: {problem}")
    print(f"{len(sys.argv) - 1} file(s), {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
