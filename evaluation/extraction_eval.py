"""Gold annotations and scoring: how well extraction does, per label, against hand-annotated narratives.

The gold format is documented in ``data/gold/README.md``. Parsing and scoring are pure (strings in,
numbers out); reading the files is the caller's job.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nlp.extraction import NARRATOR, Extraction

MARKUP_RE = re.compile(r"\[([^\]]+)\]\{([A-Z_]+)(?:=([^}]*))?\}")


@dataclass(frozen=True, slots=True)
class GoldEntity:
    start: int
    end: int
    label: str
    text: str
    value: str | None


@dataclass(slots=True)
class Gold:
    text: str
    entities: list[GoldEntity]
    relations: set[tuple[str, str, str]] = field(default_factory=set)  # (head text, TYPE, tail text)
    roles: set[tuple[str, str]] = field(default_factory=set)
    indicators: set[str] = field(default_factory=set)  # codes
    legs: set[tuple[str, str]] = field(default_factory=set)  # (origin, destination)


def parse_gold(source: str) -> Gold:
    markup, _, facts = source.partition("\n---\n")
    text_parts: list[str] = []
    entities: list[GoldEntity] = []
    position = 0
    length = 0
    for match in MARKUP_RE.finditer(markup):
        before = markup[position : match.start()]
        text_parts.append(before)
        length += len(before)
        surface, label, value = match.group(1), match.group(2), match.group(3)
        entities.append(GoldEntity(length, length + len(surface), label, surface, value))
        text_parts.append(surface)
        length += len(surface)
        position = match.end()
    text_parts.append(markup[position:])
    gold = Gold("".join(text_parts).rstrip("\n"), entities)
    for line in facts.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        kind, _, rest = line.partition(":")
        parts = [p.strip() for p in rest.split("|")]
        if kind == "relation" and len(parts) == 3:
            gold.relations.add((parts[0], parts[1], parts[2]))
        elif kind == "role" and len(parts) == 2:
            gold.roles.add((parts[0], parts[1]))
        elif kind == "indicator" and parts:
            gold.indicators.add(parts[0])
        elif kind == "leg" and len(parts) >= 3:
            gold.legs.add((parts[1], parts[2]))
    return gold


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: Counter, expected: Counter) -> None:
        hits = sum((predicted & expected).values())
        self.tp += hits
        self.fp += sum(predicted.values()) - hits
        self.fn += sum(expected.values()) - hits


def entity_keys(entities: list[tuple[int, int, str, str | None]], label: str, with_value: bool) -> Counter:
    return Counter((s, e, v if with_value else None) for s, e, lab, v in entities if lab == label)


def score_entities(pairs: list[tuple[Gold, list[tuple[int, int, str, str | None]]]], labels: list[str],
                   identifier_labels: frozenset[str]) -> dict[str, Score]:
    """Exact-span scores per label; identifiers must also have the right normalised value."""
    scores = {label: Score() for label in labels}
    for gold, predicted in pairs:
        expected = [(g.start, g.end, g.label, g.value) for g in gold.entities]
        for label in labels:
            with_value = label in identifier_labels
            scores[label].add(entity_keys(predicted, label, with_value), entity_keys(expected, label, with_value))
    return scores


def _name(extraction: Extraction, ref: str | None) -> str:
    if ref is None:
        return ""
    if ref == NARRATOR:
        return NARRATOR
    entity = extraction.entity(ref)
    return entity.text if entity else ref



def score_facts(pairs: list[tuple[Gold, Extraction]]) -> dict[str, Score]:
    """Relations (typed, ASSOCIATED_WITH excluded), roles, indicator codes and legs, per narrative.

    A predicted fact names entities by a mention's surface text; it matches a gold fact when every
    name matches a surface text of the same gold entity value (so 'Munteanu' matches 'Andrei Munteanu'
    when the extractor resolved them to one value).
    """
    scores = {"relations": Score(), "roles": Score(), "indicators": Score(), "legs": Score()}
    for gold, extraction in pairs:
        values = _value_aliases(extraction)
        def names(ref: str | None) -> frozenset[str]:
            return values.get(ref, frozenset({_name(extraction, ref)}))
        predicted_relations = {(h, r.type, t) for r in extraction.relations if r.type != "ASSOCIATED_WITH"
                               for h in names(r.head) for t in names(r.tail)}
        matched = {g for g in gold.relations if g in predicted_relations}
        typed = [r for r in extraction.relations if r.type != "ASSOCIATED_WITH"]
        true_predictions = sum(1 for r in typed if any((h, r.type, t) in gold.relations
                                                        for h in names(r.head) for t in names(r.tail)))
        scores["relations"].tp += len(matched)
        scores["relations"].fn += len(gold.relations) - len(matched)
        scores["relations"].fp += len(typed) - true_predictions
        predicted_roles = {(n, r.role) for r in extraction.roles if r.role != "unknown" for n in names(r.person)}
        role_hits = {g for g in gold.roles if g in predicted_roles}
        role_true = sum(1 for r in extraction.roles if r.role != "unknown"
                        and any((n, r.role) in gold.roles for n in names(r.person)))
        scores["roles"].tp += len(role_hits)
        scores["roles"].fn += len(gold.roles) - len(role_hits)
        scores["roles"].fp += sum(1 for r in extraction.roles if r.role != "unknown") - role_true
        scores["indicators"].add(Counter(set(i.code for i in extraction.indicators)), Counter(gold.indicators))
        predicted_legs = [(leg.origin, leg.destination) for route in extraction.routes for leg in route.legs]
        leg_true = sum(1 for o, d in predicted_legs if any((a, b) in gold.legs for a in names(o) for b in names(d)))
        leg_hits = {g for g in gold.legs if any((a, b) == g for o, d in predicted_legs for a in names(o) for b in names(d))}
        scores["legs"].tp += len(leg_hits)
        scores["legs"].fn += len(gold.legs) - len(leg_hits)
        scores["legs"].fp += len(predicted_legs) - leg_true
    return scores


def _value_aliases(extraction: Extraction) -> dict[str, frozenset[str]]:
    """Entity id → every surface text of entities with the same label and value in this extraction."""
    by_value: dict[tuple[str, str], set[str]] = {}
    for entity in extraction.entities:
        by_value.setdefault((entity.label, entity.value), set()).add(entity.text)
    aliases = {e.id: frozenset(by_value[(e.label, e.value)]) for e in extraction.entities}
    aliases[NARRATOR] = frozenset({NARRATOR})
    return aliases


BASELINE_LABELS = {"PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION",
                   "FAC": "LOCATION", "MONEY": "MONEY", "DATE": "DATE"}


def predicted_entities(extraction: Extraction) -> list[tuple[int, int, str, str | None]]:
    return [(e.start, e.end, e.label, e.value) for e in extraction.entities]


def baseline_entities(doc) -> list[tuple[int, int, str, str | None]]:  # noqa: ANN001 (a spaCy Doc)
    """The bare model's entities in Sightline's labels: the baseline extraction must beat."""
    return [(e.start_char, e.end_char, BASELINE_LABELS[e.label_], e.text) for e in doc.ents
            if e.label_ in BASELINE_LABELS]
