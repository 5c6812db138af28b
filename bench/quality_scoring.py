"""One scoring for every system of bench/quality.py.

Entities, per label:
- names, places, organisations, money and dates by **span overlap**: a predicted span is right when it
  overlaps a gold span of the same label (precision); a gold span is found when a predicted span of the
  same label overlaps it (recall). Systems draw the edges of "the Golden Lotus massage parlour" or
  "Houston, TX" differently; overlap measures whether the thing was found.
- identifiers by **exact span**: a phone number with its last digit cut off is a different number.
  For PHONE the share of exact hits whose normalised value equals the gold value is reported apart.

Facts (hand-written gold only, Sightline only; the other systems do not produce them):
- roles by side: the exploiting side (recruiter, exploiter, transporter, controller) and victims, per
  person; a predicted person matches a gold person when a mention of one (every mention with the same
  resolved value) overlaps a mention of the other (its mentions whose name tokens are contained in the
  gold name), the same overlap rule as for entities;
- relations: typed relations (ASSOCIATED_WITH excluded) matched on (head, type, tail) the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nlp.extraction import NARRATOR, Extraction
from nlp.identifiers import fold, name_tokens

OVERLAP_LABELS = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "MONEY", "DATE"})
EXACT_LABELS = frozenset({"PHONE", "EMAIL", "IBAN", "CRYPTO_WALLET", "URL"})
EXPLOITING = frozenset({"recruiter", "exploiter", "transporter", "controller"})
Span = tuple[int, int, str, str | None]


@dataclass(slots=True)
class Counts:
    predicted: int = 0
    predicted_right: int = 0
    gold: int = 0
    gold_found: int = 0
    value_right: int = 0  # PHONE: exact hits with the gold normalised value

    @property
    def precision(self) -> float:
        return self.predicted_right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "predicted": self.predicted, "gold": self.gold}


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_entities(pairs: Iterable[tuple[list[Span], list[Span]]], labels: Iterable[str]) -> dict[str, Counts]:
    """``pairs`` of (predicted, gold) spans per document."""
    scores = {label: Counts() for label in labels}
    for predicted, gold in pairs:
        for label, counts in scores.items():
            mine = [p for p in predicted if p[2] == label]
            theirs = [g for g in gold if g[2] == label]
            counts.predicted += len(mine)
            counts.gold += len(theirs)
            if label in EXACT_LABELS:
                spans = {(g[0], g[1]): g for g in theirs}
                hits = [p for p in mine if (p[0], p[1]) in spans]
                counts.predicted_right += len(hits)
                counts.gold_found += len({(p[0], p[1]) for p in hits})
                counts.value_right += sum(1 for p in hits if _same_value(p[3], spans[(p[0], p[1])][3]))
            else:
                counts.predicted_right += sum(1 for p in mine if any(_overlaps(p, g) for g in theirs))
                counts.gold_found += sum(1 for g in theirs if any(_overlaps(p, g) for p in mine))
    return scores


def _same_value(predicted: str | None, gold: str | None) -> bool:
    if gold is None:
        return True
    return (predicted or "").lstrip("+") == gold.lstrip("+") or predicted == gold


# --- facts -------------------------------------------------------------------------------------------


NARRATOR_SPAN = (-1, 0)
Group = frozenset  # of (start, end) character spans: every mention of one entity


def gold_groups(doc_entities: list[Span], text: str) -> dict[str, Group]:
    """Folded surface → the spans of every mention of the same gold entity.

    People: a mention belongs to the longest gold name whose tokens contain its tokens ('Garcia' and
    'GARCIA' belong to 'Juan Garcia'). Other entities: the same folded surface or the same value.
    """
    people: dict[str, set[tuple[int, int]]] = {}
    for s, e, label, _ in doc_entities:
        if label == "PERSON":
            people.setdefault(fold(text[s:e]), set()).add((s, e))
    owners: dict[str, str] = {}
    for name in sorted(people, key=len, reverse=True):
        tokens = set(name_tokens(name))
        owners[name] = next((o for o in owners.values() if tokens and tokens <= set(name_tokens(o))), name)
    groups: dict[str, set[tuple[int, int]]] = {}
    for name, owner in owners.items():
        groups.setdefault(owner, set()).update(people[name])
    mapping = {name: frozenset(groups[owner]) for name, owner in owners.items()}
    by_value: dict[str, set[tuple[int, int]]] = {}
    surfaces: dict[str, str] = {}
    for s, e, label, value in doc_entities:
        if label != "PERSON":
            key = f"{label}:{value or fold(text[s:e])}"
            by_value.setdefault(key, set()).add((s, e))
            surfaces.setdefault(fold(text[s:e]), key)
    for surface, key in surfaces.items():
        mapping.setdefault(surface, frozenset(by_value[key]))
    mapping[NARRATOR] = frozenset({NARRATOR_SPAN})
    return mapping


def predicted_surfaces(extraction: Extraction) -> dict[str, Group]:
    """Entity id → the spans of every mention with the same label and value."""
    by_value: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for entity in extraction.entities:
        by_value.setdefault((entity.label, entity.value), set()).add((entity.start, entity.end))
    groups = {e.id: frozenset(by_value[(e.label, e.value)]) for e in extraction.entities}
    groups[NARRATOR] = frozenset({NARRATOR_SPAN})
    return groups


def _group(groups: dict[str, Group], surface: str) -> Group:
    key = fold(surface) if surface != NARRATOR else NARRATOR
    return groups.get(key, frozenset())


def meet(a: Group, b: Group) -> bool:
    """Two entities are the same when a mention of one overlaps a mention of the other."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def score_roles(docs: Iterable[tuple[Extraction, list[Span], str, set[tuple[str, str]]]]) -> dict[str, Counts]:
    """Per side ('exploiting', 'victim') and for exact (person, role) pairs."""
    scores = {"exploiting side": Counts(), "victim": Counts(), "role (exact)": Counts()}
    for extraction, entities, text, roles in docs:
        groups = gold_groups(entities, text)
        surfaces = predicted_surfaces(extraction)
        gold_people: dict[frozenset[str], set[str]] = {}
        for person, role in roles:
            gold_people.setdefault(_group(groups, person), set()).add(role)
        predicted: dict[frozenset[str], set[str]] = {}
        for assignment in extraction.roles:
            if assignment.role == "unknown":
                continue
            predicted.setdefault(surfaces.get(assignment.person, frozenset()), set()).add(assignment.role)

        def gold_roles_of(mine: frozenset[str]) -> set[str]:
            return set().union(*[r for g, r in gold_people.items() if meet(g, mine)]) if mine else set()

        for side, members in (("exploiting side", EXPLOITING), ("victim", frozenset({"victim"}))):
            counts = scores[side]
            gold_side = [g for g, r in gold_people.items() if r & members]
            mine_side = [m for m, r in predicted.items() if r & members]
            counts.gold += len(gold_side)
            counts.gold_found += sum(1 for g in gold_side if any(meet(g, m) for m in mine_side))
            counts.predicted += len(mine_side)
            counts.predicted_right += sum(1 for m in mine_side if gold_roles_of(m) & members)
        exact = scores["role (exact)"]
        exact.gold += sum(len(r) for r in gold_people.values())
        exact.gold_found += sum(1 for g, rs in gold_people.items() for r in rs
                                if any(r in mr and meet(g, m) for m, mr in predicted.items()))
        exact.predicted += sum(len(r) for r in predicted.values())
        exact.predicted_right += sum(1 for m, rs in predicted.items() for r in rs if r in gold_roles_of(m))
    return scores


def score_relations(docs: Iterable[tuple[Extraction, list[Span], str, set[tuple[str, str, str]]]]) -> Counts:
    counts = Counts()
    for extraction, entities, text, relations in docs:
        groups = gold_groups(entities, text)
        surfaces = predicted_surfaces(extraction)
        gold = [(_group(groups, h), kind, _group(groups, t)) for h, kind, t in relations]
        typed = [r for r in extraction.relations if r.type != "ASSOCIATED_WITH"]
        mine = [(surfaces.get(r.head, frozenset()), r.type, surfaces.get(r.tail, frozenset())) for r in typed]
        counts.gold += len(gold)
        counts.gold_found += sum(1 for gh, gk, gt in gold if any(gk == k and meet(gh, h) and meet(gt, t) for h, k, t in mine))
        counts.predicted += len(mine)
        counts.predicted_right += sum(1 for h, k, t in mine if any(gk == k and meet(gh, h) and meet(gt, t) for gh, gk, gt in gold))
    return counts
