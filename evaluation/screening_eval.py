"""The screening evaluation set: flagged entities, partner queries made from them, and hard negatives.

``build(seed)`` is deterministic. It draws a watchlist (people of eleven nationalities, companies, their
identifiers) and then two kinds of queries:

- **true matches**: a flagged entity written the way a bank's records might hold it, one variation class
  per query (``POSITIVE_VARIATIONS``, ``COMPANY_POSITIVES``; made by ``evaluation.screening_variations``);
- **non-matches** from the same name distributions (``NEGATIVE_VARIATIONS``): someone who shares the
  flagged person's surname, or given name, a relative with the other gender's form of the surname, a
  namesake with another birth year, a company with the same words but one; and people drawn at random
  from the same pools. None is a namesake that no fact tells apart: those would be undecidable.

Each query is paired with the flagged entity it was made from (true or hard negative); random people are
paired with up to three flagged entities that share a name token with them, the candidates a blocking
step would bring. Those labelled pairs are what precision and recall are measured on (``bench/
screening_quality.py``) for Sightline's scorer and for nomenklatura's logic-v2. Identifier queries (other
formats of flagged identifiers, and valid identifiers nobody flagged) are included too.

The set is written to ``data/screening/`` as three CSV files (``flagged.csv`` uses the watchlist import
columns) by ``python -m evaluation.screening_eval``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from evaluation import narrative_pools as P
from evaluation.screening_synthetic import (
    NATIONALITIES, Person, company_name, legal_forms, make_email, make_iban, make_person, make_phone, make_wallet,
)
from evaluation.screening_variations import (
    COMPANY_POSITIVES, POSITIVE_VARIATIONS, identifier_variant, positive_company, positive_person, query_facts,
)
from screening.models import IDENTIFIER_KINDS, FlaggedEntity, IdentifierKind, ScreenQuery
from screening.names import prepare, screening_tokens

# The public surface, with the variation makers that benchmarks reach through this module.
__all__ = ["COMPANY_NEGATIVES", "COMPANY_POSITIVES", "DATA_DIR", "DEFAULT_SEED", "NEGATIVE_VARIATIONS",
           "POSITIVE_VARIATIONS", "EvalPair", "EvalQuery", "EvaluationSet", "Register", "build",
           "flagged_companies", "flagged_people", "identifier_variant", "namesakes", "positive_person",
           "read", "unflagged_identifier", "write"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "screening"
DEFAULT_SEED = 6
CATEGORIES = ("recruiter", "exploiter", "controller", "money mule", "exploitation site", "transporter")

NEGATIVE_VARIATIONS = ("shared_surname", "shared_given", "relative", "namesake_dob", "random")
COMPANY_NEGATIVES = ("one_word_differs", "random")


@dataclass(frozen=True, slots=True)
class EvalQuery:
    qid: str
    query: ScreenQuery
    expected: str | None  # the flagged entity it truly is, if any
    variation: str


@dataclass(frozen=True, slots=True)
class EvalPair:
    qid: str
    entity_id: str
    label: bool  # the query is this flagged entity
    variation: str


@dataclass
class EvaluationSet:
    flagged: list[FlaggedEntity]
    queries: list[EvalQuery]
    pairs: list[EvalPair]
    by_qid: dict[str, EvalQuery] = field(init=False, repr=False)
    by_id: dict[str, FlaggedEntity] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_qid = {q.qid: q for q in self.queries}
        self.by_id = {e.id: e for e in self.flagged}

    def name_pairs(self) -> list[EvalPair]:
        return [p for p in self.pairs if self.by_qid[p.qid].query.name]


# --- the set ---------------------------------------------------------------------------------------

def flagged_people(rng: random.Random, n: int, start: int = 0, *,
                   diverse: bool = False) -> list[tuple[FlaggedEntity, Person, bool]]:
    """``(entity, person, written natively)`` for ``n`` flagged people with some identifiers each."""
    out = []
    for i in range(start, start + n):
        nat = NATIONALITIES[i % len(NATIONALITIES)]
        person = make_person(rng, nat, middle_p=0.3, diverse=diverse)
        native = bool(person.native_surname) and rng.random() < 0.3
        ids: dict[IdentifierKind, tuple[str, ...]] = {}
        if rng.random() < 0.5:
            ids["phone"] = (make_phone(rng, nat),)
        if rng.random() < 0.3:
            ids["email"] = (make_email(rng, person),)
        if rng.random() < 0.2:
            ids["iban"] = (make_iban(rng),)
        if rng.random() < 0.1:
            ids["wallet"] = (make_wallet(rng),)
        entity = FlaggedEntity(
            id=f"f{i:05d}", kind="person", category=rng.choice(CATEGORIES), reference=f"SL-{i:05d}",
            reason="evaluation set", name=person.name(native=native), birth_date=person.birth_date,
            country=nat if rng.random() < 0.7 else None, identifiers=ids, source="import:evaluation")
        out.append((entity, person, native))
    return out


def flagged_companies(rng: random.Random, n: int, start: int = 0) -> list[tuple[FlaggedEntity, str, str]]:
    """``(entity, name without legal form, country)`` for ``n`` flagged companies."""
    out = []
    for i in range(start, start + n):
        nat = rng.choice(tuple(P.LEGAL_SUFFIX))
        base, form = company_name(rng, nat)
        ids: dict[IdentifierKind, tuple[str, ...]] = {"iban": (make_iban(rng),)} if rng.random() < 0.5 else {}
        if rng.random() < 0.3:
            ids["phone"] = (make_phone(rng, nat),)
        entity = FlaggedEntity(id=f"f{i:05d}", kind="company", category="exploitation site",
                               reference=f"SL-{i:05d}", reason="evaluation set", name=f"{base} {form}",
                               country=nat, identifiers=ids, source="import:evaluation")
        out.append((entity, base, nat))
    return out


class Register:
    """The flagged names, to keep undecidable namesakes out of the negatives."""

    def __init__(self, flagged: list[FlaggedEntity]) -> None:
        self._by_token: dict[str, list[frozenset[tuple[str, int]]]] = {}
        for entity in flagged:
            bag = _bag(entity.name or "", entity.kind)
            for token, _ in bag:
                self._by_token.setdefault(token, []).append(bag)

    def ambiguous(self, name: str, kind: str = "person") -> bool:
        """Same tokens as a flagged name, or all of one's tokens (a missing middle name): no fact tells
        such a person from the flagged one, so they cannot be an honest negative."""
        bag = _bag(name, kind)
        for token, _ in bag:
            for other in self._by_token.get(token, ()):
                if bag <= other or other <= bag:
                    return True
        return False


def _bag(name: str, kind: str) -> frozenset[tuple[str, int]]:
    tokens = prepare(name, kind).tokens
    return frozenset((t, tokens[:i].count(t)) for i, t in enumerate(tokens))


def namesakes(a: str, b: str, kind: str = "person") -> bool:
    """Same canonical tokens, or all of one name's tokens in the other: nothing in the names tells them apart."""
    bag_a, bag_b = _bag(a, kind), _bag(b, kind)
    return bag_a <= bag_b or bag_b <= bag_a


def build(seed: int = DEFAULT_SEED, n_people: int = 1700, n_companies: int = 300, n_random: int = 2500) -> EvaluationSet:
    rng = random.Random(seed)
    people = flagged_people(rng, n_people)
    companies = flagged_companies(rng, n_companies, n_people)
    flagged = [e for e, *_ in people] + [e for e, *_ in companies]
    names_on_list = Register(flagged)
    queries: list[EvalQuery] = []
    pairs: list[EvalPair] = []

    def add(query: ScreenQuery, expected: str | None, variation: str, paired: Iterable[str]) -> None:
        qid = f"q{len(queries):05d}"
        queries.append(EvalQuery(qid, query, expected, variation))
        pairs.extend(EvalPair(qid, eid, eid == expected, variation) for eid in paired)

    for k, (entity, person, native) in enumerate(people):
        variation = POSITIVE_VARIATIONS[k % len(POSITIVE_VARIATIONS)]
        name = positive_person(rng, person, variation, native)
        birth, country = query_facts(rng, entity)
        add(ScreenQuery("person", name=name, birth_date=birth, country=country), entity.id, variation, [entity.id])
        negative = NEGATIVE_VARIATIONS[k % (len(NEGATIVE_VARIATIONS) - 1)]
        made = _negative_person(rng, person, entity, negative, names_on_list)
        if made is not None:
            add(made, None, negative, [entity.id])
    for k, (entity, base, nat) in enumerate(companies):
        variation = COMPANY_POSITIVES[k % len(COMPANY_POSITIVES)]
        add(ScreenQuery("company", name=positive_company(rng, base, entity.name or "", nat, variation),
                        country=nat if rng.random() < 0.4 else None), entity.id, variation, [entity.id])
        other = _other_company(rng, base, nat, names_on_list)
        add(ScreenQuery("company", name=other), None, "one_word_differs", [entity.id])
    _random_negatives(rng, flagged, names_on_list, n_random, add)
    _identifier_queries(rng, flagged, add)
    return EvaluationSet(flagged, queries, pairs)


def _negative_person(rng: random.Random, person: Person, entity: FlaggedEntity, variation: str,
                     names_on_list: Register) -> ScreenQuery | None:
    """Someone else, close to ``person``; ``None`` when the draw is a namesake of someone on the list."""
    for _ in range(20):
        other = make_person(rng, person.nationality, female=person.female, middle_p=0)
        if variation == "shared_surname":
            candidate = replace(other, surname=person.surname, native_surname=person.native_surname)
        elif variation == "shared_given":
            candidate = replace(other, given=person.given[:1] + other.given[1:],
                                native_given=person.native_given[:1] + other.native_given[1:])
        elif variation == "relative":
            surname, native = person.relative_surname()
            candidate = replace(other, female=not person.female, surname=surname, native_surname=native,
                                given=make_person(rng, person.nationality, female=not person.female).given[:1],
                                native_given=())
        elif variation == "namesake_dob":
            if not entity.birth_date:
                return None
            year = int(entity.birth_date[:4]) + rng.choice((-9, -5, -3, -2, 2, 4, 7, 11))
            return ScreenQuery("person", name=person.name(), birth_date=str(year),
                               country=entity.country if rng.random() < 0.5 else None)
        else:
            raise ValueError(variation)
        name = candidate.name()
        if not names_on_list.ambiguous(name):
            birth = candidate.birth_date if rng.random() < 0.4 else None
            return ScreenQuery("person", name=name, birth_date=birth,
                               country=person.nationality if rng.random() < 0.4 else None)
    return None


def _other_company(rng: random.Random, base: str, nat: str, names_on_list: Register) -> str:
    words = base.split()
    for _ in range(20):
        k = rng.randrange(len(words))
        replacement = rng.choice(P.BUSINESS_WORDS + ("Lux", "Prime", "Nova", "Alpha", "Delta"))
        changed = words[:k] + replacement.split() + words[k + 1:]
        name = " ".join(changed) + " " + rng.choice(legal_forms(nat))
        if not names_on_list.ambiguous(name, "company") and replacement not in words:
            return name
    return f"{rng.choice(P.BUSINESS_WORDS)} Holdings {rng.choice(legal_forms(nat))}"


def _random_negatives(rng: random.Random, flagged: list[FlaggedEntity], names_on_list: Register,
                      n: int, add: Callable[..., None]) -> None:
    by_token: dict[str, list[str]] = {}
    for entity in flagged:
        if entity.kind == "person":
            for token in set(screening_tokens(entity.name or "")):
                by_token.setdefault(token, []).append(entity.id)
    made = 0
    while made < n:
        person = make_person(rng, rng.choice(NATIONALITIES), middle_p=0.15)
        name = person.name(native=bool(person.native_surname) and rng.random() < 0.2)
        if names_on_list.ambiguous(name):
            continue
        sharing = sorted({eid for t in screening_tokens(name) for eid in by_token.get(t, [])})
        paired = rng.sample(sharing, min(3, len(sharing)))
        birth = person.birth_date if rng.random() < 0.4 else None
        add(ScreenQuery("person", name=name, birth_date=birth,
                        country=person.nationality if rng.random() < 0.4 else None), None, "random", paired)
        made += 1


def unflagged_identifier(rng: random.Random, kind: str) -> ScreenQuery:
    """A valid identifier of ``kind`` (almost surely) on nobody's list."""
    makers: dict[str, Callable[[], str]] = {"phone": lambda: make_phone(rng), "iban": lambda: make_iban(rng),
                                            "wallet": lambda: make_wallet(rng),
                                            "email": lambda: make_email(rng, make_person(rng))}
    return ScreenQuery("identifier", identifiers={kind: (makers[kind](),)})  # type: ignore[dict-item]


def _identifier_queries(rng: random.Random, flagged: list[FlaggedEntity], add: Callable[..., None]) -> None:
    """Flagged identifiers as a bank writes them, and valid identifiers nobody flagged."""
    holders = [(e, kind, value) for e in flagged for kind, values in e.identifiers.items() for value in values]
    for entity, kind, value in rng.sample(holders, min(400, len(holders))):
        add(identifier_variant(rng, entity, kind, value), entity.id, f"{kind}_format", [entity.id])
    taken = {(kind, value) for _, kind, value in holders}
    for k in range(400):
        kind = IDENTIFIER_KINDS[k % len(IDENTIFIER_KINDS)]
        query = unflagged_identifier(rng, kind)
        if (kind, query.identifiers[kind][0]) not in taken:
            add(query, None, f"{kind}_unflagged", [])


# --- files -----------------------------------------------------------------------------------------

_ID_COLUMNS = ("phone", "email", "iban", "wallet")


def write(evaluation: EvaluationSet, directory: Path = DATA_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    flagged = pd.DataFrame([{
        "id": e.id, "kind": e.kind, "category": e.category, "reference": e.reference, "name": e.name,
        "birth_date": e.birth_date, "country": e.country,
        **{k: "|".join(e.identifiers.get(k, ())) for k in _ID_COLUMNS}} for e in evaluation.flagged])
    queries = pd.DataFrame([{
        "qid": q.qid, "kind": q.query.kind, "name": q.query.name, "birth_date": q.query.birth_date,
        "country": q.query.country, "region": q.query.region,
        **{k: "|".join(q.query.identifiers.get(k, ())) for k in _ID_COLUMNS},
        "expected": q.expected, "variation": q.variation} for q in evaluation.queries])
    pairs = pd.DataFrame([{"qid": p.qid, "entity_id": p.entity_id, "label": int(p.label), "variation": p.variation}
                          for p in evaluation.pairs])
    for frame, name in ((flagged, "flagged.csv"), (queries, "queries.csv"), (pairs, "pairs.csv")):
        frame.to_csv(directory / name, index=False, lineterminator="\n")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _identifiers(row: pd.Series) -> dict[IdentifierKind, tuple[str, ...]]:
    return {k: tuple(str(row[k]).split("|")) for k in _ID_COLUMNS if _text(row[k])}  # type: ignore[misc]


def read(directory: Path = DATA_DIR) -> EvaluationSet:
    """The committed evaluation set (``data/screening/``), as ``build`` made it."""
    opts = {"dtype": str, "keep_default_na": False}
    flagged = [FlaggedEntity(id=r.id, kind=r.kind, category=r.category, reference=r.reference,
                             reason="evaluation set", name=_text(r["name"]), birth_date=_text(r.birth_date),
                             country=_text(r.country), identifiers=_identifiers(r), source="import:evaluation")
               for _, r in pd.read_csv(directory / "flagged.csv", **opts).iterrows()]
    queries = [EvalQuery(r.qid, ScreenQuery(r.kind, name=_text(r["name"]), birth_date=_text(r.birth_date),
                                            country=_text(r.country), identifiers=_identifiers(r),
                                            region=_text(r.region)), _text(r.expected), r.variation)
               for _, r in pd.read_csv(directory / "queries.csv", **opts).iterrows()]
    pairs = [EvalPair(r.qid, r.entity_id, r.label == "1", r.variation)
             for _, r in pd.read_csv(directory / "pairs.csv", **opts).iterrows()]
    return EvaluationSet(flagged, queries, pairs)


if __name__ == "__main__":
    built = build()
    write(built)
    print(f"{len(built.flagged)} flagged, {len(built.queries)} queries, {len(built.pairs)} pairs -> {DATA_DIR}")
