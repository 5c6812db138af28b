"""Checks on generated records: offsets, trimmed spans, normalised values, distractors, length.

The generator builds offsets and values from segments, so a bug there would silently corrupt every
score computed on the set; ``verify`` recomputes what it can from the text itself and reports each
disagreement (the command line prints them and exits non-zero).
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum import iban as stdnum_iban

from devset.contact_identifiers import phone_digits, url_value
from devset.invisible_chars import INVISIBLE_RE, strip_invisible, visible_word_count
from devset.text_assembly import MAX_WORDS, MIN_WORDS

LABELS = ("PERSON", "LOCATION", "ORGANIZATION", "PHONE", "EMAIL", "IBAN", "URL", "MONEY", "DATE")


def _entity_problems(rid: str, text: str, e: dict, last_end: int) -> list[str]:
    """What is wrong with one gold span, given the record's text and where the previous span ended."""
    problems = []
    if e["label"] not in LABELS:
        problems.append(f"{rid}: bad label {e['label']}")
    if not (0 <= e["start"] < e["end"] <= len(text)):
        problems.append(f"{rid}: bad offsets {e}")
    if e["start"] < last_end:
        problems.append(f"{rid}: overlap at {e}")
    surface = text[e["start"]:e["end"]]
    if surface != surface.strip() or not surface:
        problems.append(f"{rid}: untrimmed span {surface!r}")
    clean = strip_invisible(surface)
    lab, val = e["label"], e["value"]
    if lab == "IBAN" and (not stdnum_iban.is_valid(val) or clean.replace(" ", "").upper() != val):
        problems.append(f"{rid}: IBAN {surface!r} -> {val}")
    if lab == "EMAIL" and val != clean.lower():
        problems.append(f"{rid}: EMAIL {surface!r} -> {val}")
    if lab == "URL" and val != url_value(clean):
        problems.append(f"{rid}: URL {surface!r} -> {val}")
    if lab == "PHONE":
        digits = re.sub(r"\D", "", clean)
        if val.startswith("+"):
            national = str(phonenumbers.parse(val).national_number)
            if national not in digits:
                problems.append(f"{rid}: PHONE {surface!r} -> {val}")
        elif val != phone_digits(clean):
            problems.append(f"{rid}: PHONE {surface!r} -> {val}")
    if lab in ("PERSON", "LOCATION", "ORGANIZATION", "MONEY", "DATE") and val != clean:
        problems.append(f"{rid}: {lab} value {val!r} != {clean!r}")
    if INVISIBLE_RE.search(surface) and lab not in ("PERSON", "PHONE"):
        problems.append(f"{rid}: invisible character in {lab}")
    return problems


def verify(records: list[dict]) -> list[str]:
    """Every problem found in ``records``, as "id: what" lines; empty when the set is consistent."""
    problems = []
    for r in records:
        text = r["text"]
        last_end = -1
        for e in r["entities"]:
            problems.extend(_entity_problems(r["id"], text, e, last_end))
            last_end = e["end"]
        for d in r.get("distractors", []):
            if d["entity"] is None and any(e["start"] < d["end"] and d["start"] < e["end"] for e in r["entities"]):
                problems.append(f"{r['id']}: distractor {d} overlaps a gold span")
        n = visible_word_count(text)
        if not MIN_WORDS <= n <= MAX_WORDS:
            problems.append(f"{r['id']}: {n} words")
    return problems
