"""How a bank may write a flagged entity it holds: the true matches of the screening evaluation set.

A partner screening its records against the watchlist rarely holds a name exactly as it was flagged. Each
function here takes a flagged person, company or identifier and writes it one way a real record might,
one variation class at a time (``POSITIVE_VARIATIONS``, ``COMPANY_POSITIVES``): case, word order,
swapped given and family names, accents removed, another script (Cyrillic, Greek) or its romanisation,
an initial, a nickname, one or two typos, a missing or an extra middle name, another legal form of a
company, or two variations at once; identifiers spaced, national, upper case, tagged or dotted; with the
birth date and country a bank would have (often none, sometimes a year only, rarely a different country
of residence or day and month swapped).

Kept apart from ``evaluation.screening_eval`` (which assembles the set, its negatives and its files)
because these are the classes recall is reported by, and benchmarks draw them on their own. Every
function is deterministic for the ``random.Random`` it is given.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import replace

from evaluation import narrative_pools as P
from evaluation.screening_synthetic import Person, legal_forms, phone_forms
from graph.name_similarity import nicknames
from screening.models import FlaggedEntity, ScreenQuery
from screening.names import screening_tokens

POSITIVE_VARIATIONS = ("exact", "case", "order", "swapped", "accents", "script", "initial", "nickname", "typo",
                       "two_typos", "missing_middle", "extra_middle", "combined")
COMPANY_POSITIVES = ("exact", "case", "legal_form", "no_legal_form", "typo", "combined")

_KEYBOARD = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm", "wqeryuioopsadgfhjkkxzvbvmn")}


def strip_accents(text: str) -> str:
    """``text`` as a register without diacritics writes it (ł and đ do not decompose, so they are mapped)."""
    text = text.translate(str.maketrans("łŁđĐ", "lLdD"))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: a neighbour key, a dropped or doubled letter, or two letters swapped."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1) if rng.random() < 0.9 else 0
    kind = rng.choice(("neighbour", "drop", "double", "swap"))
    c = word[i]
    if kind == "neighbour" and c.lower() in _KEYBOARD:
        sub = _KEYBOARD[c.lower()]
        return word[:i] + (sub.upper() if c.isupper() else sub) + word[i + 1:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + c + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if i + 1 < len(word) else word[:i]


def _nickname_of(given: str) -> str | None:
    options = sorted(n for n in nicknames(strip_accents(given).lower()) if len(n) > 2)
    return options[0].capitalize() if options else None


def person_variant(rng: random.Random, person: Person, variation: str, flagged_native: bool) -> str | None:
    """The name a bank might hold for ``person`` under one variation class; ``None`` if it does not apply."""
    given, surname = list(person.given), person.surname
    if variation == "exact":
        return person.name(native=flagged_native)
    if variation == "case":
        name = person.name(native=flagged_native)
        return name.upper() if rng.random() < 0.6 else name.lower()
    if variation == "order":  # registers often write the family name first, in capitals
        return f"{surname.upper()}, {' '.join(given)}" if not person.family_first else f"{' '.join(given)} {surname}"
    if variation == "swapped":  # given and family names entered in each other's fields
        return f"{surname} {' '.join(given)}" if not person.family_first else f"{surname.upper()} {' '.join(given)}"
    if variation == "accents":
        name = person.name(native=flagged_native)
        stripped = strip_accents(name)
        return stripped if stripped != name else None
    if variation == "script":
        return person.name(native=not flagged_native) if person.native_surname else None
    if variation == "initial":
        return person.name().replace(given[0], given[0][0] + ".", 1) if len(screening_tokens(given[0])) == 1 else None
    if variation == "nickname":
        short = _nickname_of(given[0])
        return person.name().replace(given[0], short, 1) if short else None
    if variation == "typo":
        parts = person.name().split()
        k = rng.randrange(len(parts))
        parts[k] = typo(rng, parts[k])
        return " ".join(parts)
    if variation == "two_typos":
        parts = person.name().split()
        long_ = [k for k, p in enumerate(parts) if len(p) >= 4]
        if not long_:
            return None
        for k in rng.sample(long_, min(2, len(long_))) if len(long_) > 1 else long_ * 2:
            parts[k] = typo(rng, parts[k])
        return " ".join(parts)
    if variation == "missing_middle":
        return replace(person, given=given[:1], native_given=person.native_given[:1]).name() if len(given) > 1 else None
    if variation == "extra_middle":
        if len(given) > 1 or person.nationality in ("VN", "GR", "RU"):
            return None
        pool = P.NAMES[person.nationality][2 if person.female else 1]
        return replace(person, given=(given[0], rng.choice([g for g in pool if g != given[0]]))).name()
    raise ValueError(variation)


def query_facts(rng: random.Random, entity: FlaggedEntity) -> tuple[str | None, str | None]:
    """Birth date and country as a bank holds them for the same person."""
    birth = None
    if entity.birth_date and rng.random() < 0.5:
        birth = entity.birth_date if rng.random() < 0.7 else entity.birth_date[:4]
        if len(birth) == 10 and rng.random() < 0.08 and int(birth[8:]) <= 12 and birth[5:7] != birth[8:]:
            birth = f"{birth[:4]}-{birth[8:]}-{birth[5:7]}"  # day and month swapped on entry
    country = None
    if entity.country and rng.random() < 0.5:
        country = entity.country if rng.random() < 0.85 else rng.choice(("GB", "IT", "DE", "AT", "ES"))
    return birth, country


def positive_person(rng: random.Random, person: Person, variation: str, native: bool) -> str:
    """How a bank may hold the flagged ``person``'s name under one class of ``POSITIVE_VARIATIONS``."""
    if variation == "combined":
        first, second = rng.sample(("order", "accents", "script", "typo", "case", "missing_middle", "nickname"), 2)
        name = person_variant(rng, person, first, native) or person.name(native=native)
        if second == "typo":
            parts = name.split()
            k = rng.randrange(len(parts))
            parts[k] = typo(rng, parts[k])
            return " ".join(parts)
        if second == "case":
            return name.upper()
        return person_variant(rng, person, second, native) or name
    for candidate in (variation, "typo"):  # a class that does not apply to this name falls back to a typo
        name = person_variant(rng, person, candidate, native)
        if name:
            return name
    return person.name()


def positive_company(rng: random.Random, base: str, written: str, nat: str, variation: str) -> str:
    forms = legal_forms(nat)
    dotted = {"SRL": "S.R.L.", "Ltd": "Ltd.", "GmbH": "G.m.b.H.", "BV": "B.V.", "EOOD": "E.O.O.D."}
    if variation == "exact":
        return written
    if variation == "case":
        return written.upper()
    if variation == "legal_form":
        form = written[len(base) + 1:]
        options = [f for f in (*forms, dotted.get(form, ""), "Limited" if form == "Ltd" else "") if f and f != form]
        return f"{base} {rng.choice(options)}" if options else base
    if variation == "no_legal_form":
        return base
    if variation == "typo":
        parts = base.split()
        k = rng.randrange(len(parts))
        parts[k] = typo(rng, parts[k])
        return " ".join(parts) + " " + written[len(base) + 1:]
    return typo(rng, base.split()[0]) + " " + " ".join(base.split()[1:]).upper()  # combined: typo + case + no form


def identifier_variant(rng: random.Random, entity: FlaggedEntity, kind: str, value: str) -> ScreenQuery:
    """A flagged identifier as a bank may write it: spaced, national, upper case, tagged, dotted."""
    region = None
    if kind == "phone":
        international, national, home = phone_forms(value)
        value, region = (national, home) if rng.random() < 0.5 else (international, None)
        if region is None and rng.random() < 0.3:
            value = "00" + re.sub(r"\D", "", value)
    elif kind == "email":
        local, _, domain = value.partition("@")
        if domain == "gmail.com" and rng.random() < 0.3:  # dots and a tag Gmail ignores
            value = ".".join(local.replace(".", "")) + "+bank@gmail.com"
        elif domain in ("gmail.com", "outlook.com", "hotmail.com"):
            value = f"{local}+bank@{domain}"
        else:
            value = value.upper()
    elif kind == "iban":
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4)).lower()
    elif kind == "wallet" and value.startswith("bc1"):
        value = value.upper()
    elif kind == "wallet" and value.startswith("0x"):
        value = "0x" + value[2:].upper()
    return ScreenQuery("identifier", identifiers={kind: (value,)}, region=region)  # type: ignore[dict-item]

