"""Roles per person (victim, recruiter, exploiter, transporter, controller, buyer, witness, unknown).

Roles follow from what the text says people did (the recruiter of RECRUITED, the victim of CONTROLLED,
the subject of "drove us"), from the role nouns attached to a name ("Tomas Varga, the boss",
"the driver, Petru"), and from first-person narration: the narrator of a survivor's story is a victim.
A person can hold several roles; a person with none is "unknown".
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from nlp import lexicon
from nlp import role_rules as rr
from nlp.extraction import NARRATOR, Evidence, Relation, RoleAssignment
from nlp.participants import Participants

EXPLOITING = frozenset({"recruiter", "exploiter", "transporter", "controller"})
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

    def from_parse(self) -> None:
        """Court, police and survivor prose: roles from the slot each name fills (``nlp.role_rules``)."""
        text = self.p.text
        for sentence in self.p.sentences:
            for token, ref in self.p.in_span(sentence):
                if ref.label != "PERSON":
                    continue
                narrator = ref.id == NARRATOR
                start = token.idx if narrator or ref.confidence < 1 else self.p.entities[ref.id]["start"]
                if not narrator and ref.confidence == 1.0 and rr.is_official(token, text, start):
                    continue
                cues: list[rr.RoleCue] = []
                for verb, slot in rr.slots(token):
                    if slot == "subject":
                        kinds = {self._kind(o) for o in rr.objects_of(verb)}
                        cues += rr.agent_roles(verb, {k for k in kinds if k})
                        cues += rr.speaker_roles(verb)
                    elif slot == "passive":
                        cues += rr.passive_roles(verb, narrator)
                    elif slot == "object":
                        cues += rr.object_roles(verb)
                    elif slot == "agent":
                        cues += rr.agent_of_passive(verb)
                    elif slot == "to" and verb.lemma_.lower() in {"sell", "marry", "give", "hand"} and any(
                            self._kind(o) == "person" for o in rr.objects_of(verb)):
                        cues.append(rr.RoleCue("buyer", rr.AGENT))
                    elif slot == "with" and verb.lemma_.lower() in {"conspire", "plot", "collude", "scheme"}:
                        cues.append(rr.RoleCue("exploiter", rr.LEGAL))
                if not narrator and ref.confidence == 1.0:
                    cues += rr.noun_roles(token)
                    minor = rr.minor_role(text, self.p.entities[ref.id]["end"])
                    if minor is not None:
                        cues.append(minor)
                    line_start = text.rfind("\n", max(0, start - 48), start) + 1
                    if line_start or start <= 48:  # a header label sits at the start of a short line
                        header = rr.header_role(text[line_start:start])
                        if header is not None:
                            cues.append(header)
                for cue in cues:
                    self.add_in(ref.id, cue.role, sentence, round(cue.confidence * ref.confidence, 3))

    def _kind(self, word: Token) -> str | None:
        ref = self.p.of(word)
        return rr.object_kind(word, ref is not None and ref.label == "PERSON", ref is not None and ref.label == "ORGANIZATION")

    def _one_side(self) -> None:
        """A person the text puts on both sides loses the exploiting roles when the victim evidence is at
        least as strong; the victim role is never dropped. Downstream, a victim is never merged with an
        offender, never screened and never named: wrongly keeping it protects someone, wrongly dropping it
        exposes a victim."""
        best: dict[str, dict[str, float]] = {}
        for (person, role), found in self.found.items():
            side = "victim" if role == "victim" else "exploiting" if role in EXPLOITING else None
            if side:
                sides = best.setdefault(person, {})
                sides[side] = max(sides.get(side, 0.0), found.evidence.confidence)
        for person, sides in best.items():
            if len(sides) == 2 and person != NARRATOR and sides["victim"] >= sides["exploiting"]:
                for key in [k for k in self.found if k[0] == person and k[1] in EXPLOITING]:
                    del self.found[key]

    def roles(self) -> list[RoleAssignment]:
        self._one_side()
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
    finder.from_parse()
    return finder.roles()
