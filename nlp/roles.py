"""Roles per person (victim, recruiter, exploiter, transporter, controller, buyer, witness, unknown).

Roles follow from what the text says people did (the recruiter of RECRUITED, the victim of CONTROLLED,
the subject of "drove us"), from the role nouns attached to a name ("Tomas Varga, the boss",
"the driver, Petru"), and from first-person narration: the narrator of a survivor's story is a victim.
A person can hold several roles; a person with none is "unknown".
"""

from __future__ import annotations

from spacy.tokens import Span

from nlp import lexicon
from nlp.extraction import NARRATOR, Evidence, Relation, RoleAssignment
from nlp.participants import Participants

RELATION_ROLES = {"RECRUITED": ("recruiter", "victim"), "CONTROLLED": ("controller", "victim"),
                  "EXPLOITED_AT": ("victim", None)}


class RoleFinder:
    def __init__(self, participants: Participants) -> None:
        self.p = participants
        self.canonical = self._canonical_ids()
        self.found: dict[tuple[str, str], RoleAssignment] = {}

    def _canonical_ids(self) -> dict[str, str]:
        """Every mention of one person (same value) maps to the id of its first mention."""
        first: dict[str, str] = {}
        mapping: dict[str, str] = {}
        for entity_id, entity in self.p.entities.items():
            if entity["label"] == "PERSON":
                mapping[entity_id] = first.setdefault(entity["value"], entity_id)
        mapping[NARRATOR] = NARRATOR
        return mapping

    def add(self, person: str, role: str, sentence: str, start: int, end: int, confidence: float) -> None:
        person = self.canonical.get(person, person)
        if person not in self.canonical.values():
            return
        key = (person, role)
        if key not in self.found or self.found[key].evidence.confidence < confidence:
            self.found[key] = RoleAssignment(person, role, Evidence(sentence, start, end, confidence))

    def add_in(self, person: str, role: str, sentence: Span, confidence: float) -> None:
        self.add(person, role, self.p.sentence_text(sentence), sentence.start_char, sentence.end_char, confidence)

    def from_relations(self, relations: list[Relation]) -> None:
        for relation in relations:
            head_role, tail_role = RELATION_ROLES.get(relation.type, (None, None))
            ev = relation.evidence
            if head_role:
                self.add(relation.head, head_role, ev.sentence, ev.start, ev.end, ev.confidence)
            if tail_role:
                self.add(relation.tail, tail_role, ev.sentence, ev.start, ev.end, ev.confidence)

    def from_sentences(self) -> None:
        for sentence in self.p.sentences:
            for token, ref in self.p.in_span(sentence):
                if ref.label != "PERSON":
                    continue
                neighbours = [*token.children, token.head]
                for other in neighbours:
                    role = lexicon.ROLE_NOUNS.get(other.lemma_.lower())
                    if role and other.dep_ in {"appos", "attr", "compound", "nsubj"} | {token.dep_}:
                        self.add_in(ref.id, role, sentence, 0.8 * ref.confidence)
                verb = token.head
                lemma = verb.lemma_.lower()
                if token.dep_ == "nsubj":
                    objects = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
                    if lemma in lexicon.TRANSPORT_VERBS and objects:
                        self.add_in(ref.id, "transporter", sentence, 0.7 * ref.confidence)
                    elif lemma in lexicon.BUY_VERBS:
                        self.add_in(ref.id, "buyer", sentence, 0.7 * ref.confidence)
                    elif lemma in lexicon.EXPLOITER_VERBS and objects:
                        self.add_in(ref.id, "exploiter", sentence, 0.7 * ref.confidence)
                    elif lemma in lexicon.WITNESS_VERBS:
                        self.add_in(ref.id, "witness", sentence, 0.5 * ref.confidence)
                elif token.dep_ == "nsubjpass" and lemma in lexicon.VICTIM_PASSIVE_VERBS:
                    self.add_in(ref.id, "victim", sentence, 0.7 * ref.confidence)

    def roles(self) -> list[RoleAssignment]:
        if self.p.narrator:
            first = self.p.sentences[0]
            self.add(NARRATOR, "victim", self.p.sentence_text(first), first.start_char, first.end_char, 0.9)
        assigned = {person for person, _ in self.found}
        for person in dict.fromkeys(v for k, v in self.canonical.items() if k != NARRATOR):
            if person not in assigned:
                entity = self.p.entities[person]
                self.add(person, "unknown", entity["text"], entity["start"], entity["end"], 1.0)
        return list(self.found.values())


def find_roles(participants: Participants, relations: list[Relation]) -> list[RoleAssignment]:
    finder = RoleFinder(participants)
    finder.from_relations(relations)
    finder.from_sentences()
    return finder.roles()
