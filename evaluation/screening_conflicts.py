"""A variant of the screening evaluation set in which the bank's date of birth is wrong.

Banks' records hold wrong dates of birth often enough (a typing slip in the year, a date of entry taken
for the birth date, an approximate age) that a screening engine which drops a match whenever the years
differ misses the people it exists to find. This set takes the labelled name pairs of
``evaluation.screening_eval`` and gives every person query a date of birth that **conflicts** with the
flagged person's, 1 to 10 years off (a full date keeps its day and month, a year stays a year), so that
name recall is measured with the date of birth against the match. Pairs whose flagged person has no date
of birth cannot conflict and are left out.

The non-matches come twice, so that the evidence beside the name is tested in both directions:

- ``<class>`` with a conflicting date of birth, like the true queries (a date pushes them further down);
- ``<class>+same_facts``: with the flagged person's own date of birth and country, the worst case for the
  bonus a date or country that agrees gives.

``namesake_dob`` (the flagged name itself, another birth year) is kept apart: with the dates against it,
such a query is exactly a true match whose bank got the year wrong, and only ``require_dob_match`` tells
them apart (``bench/screening_conflicts.py`` reports it both ways).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from evaluation.screening_eval import EvalPair, EvaluationSet
from screening.models import FlaggedEntity, ScreenQuery

SEED = 16
NAMESAKE = "namesake_dob"


@dataclass(frozen=True, slots=True)
class ConflictPair:
    pair: EvalPair
    query: ScreenQuery
    variation: str  # the class it is counted under (``+same_facts`` for the negatives given the flagged facts)


def conflicting_birth(rng: random.Random, flagged: str, written: str | None) -> str:
    """``flagged`` moved 1 to 10 years, at the precision the bank wrote (a year if it wrote one)."""
    shift = rng.randint(1, 10) * rng.choice((-1, 1))
    year = int(flagged[:4]) + shift
    if len(flagged) == 10 and (written is None or len(written) == 10):
        return f"{year:04d}{flagged[4:]}" if flagged[4:] != "-02-29" else f"{year:04d}-02-28"
    return f"{year:04d}"


def build(evaluation: EvaluationSet, seed: int = SEED) -> list[ConflictPair]:
    """The person pairs of ``evaluation`` with the dates of birth set as the module docstring says."""
    rng = random.Random(seed)
    out: list[ConflictPair] = []
    for pair in evaluation.name_pairs():
        query = evaluation.by_qid[pair.qid].query
        entity: FlaggedEntity = evaluation.by_id[pair.entity_id]
        if query.kind != "person" or not entity.birth_date:
            continue
        birth = conflicting_birth(rng, entity.birth_date, query.birth_date)
        out.append(ConflictPair(pair, replace(query, birth_date=birth), pair.variation))
        if not pair.label and pair.variation != NAMESAKE:
            same = replace(query, birth_date=entity.birth_date, country=entity.country or query.country)
            out.append(ConflictPair(pair, same, f"{pair.variation}+same_facts"))
    return out
