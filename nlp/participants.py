"""Who a token stands for: an entity mention, the narrator, or a pronoun resolved to a named person.

Relations, routes and roles all need to know that "I", "me" and "we" in a survivor's story are the
narrator, and that "his" in "his number was ..." most likely means the last man named. Pronoun
resolution here is deliberately cautious: a third-person pronoun resolves only to a person named in the
same or the previous three sentences whose given name agrees with the pronoun's gender, and such links
carry a lower confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from nlp.components.entities import given_name_gender
from nlp.extraction import NARRATOR

FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
MALE = frozenset({"he", "him", "his", "himself"})
FEMALE = frozenset({"she", "her", "hers", "herself"})
PRONOUN_CONFIDENCE = 0.6
PRONOUN_SENTENCES = 3  # how many sentences back a pronoun may point


@dataclass(frozen=True, slots=True)
class Ref:
    id: str  # entity id or NARRATOR
    label: str  # PERSON, ORGANIZATION, ... ; PERSON for the narrator
    confidence: float  # 1.0 for a named mention or the narrator, lower for a resolved pronoun


def is_first_person(doc: Doc) -> bool:
    """A survivor's own story: first-person pronouns outside quotes are frequent and not incidental."""
    first = sum(1 for t in doc if t.lower_ in FIRST_PERSON and t.pos_ == "PRON")
    third = sum(1 for t in doc if t.lower_ in MALE | FEMALE | {"they", "them", "their"})
    return first >= 3 and first >= 0.3 * (first + third)


class Participants:
    """Token → Ref for one doc, given the final entities of ``sightline_entities``."""

    def __init__(self, doc: Doc, entities: list[dict], narrator: bool) -> None:
        self.doc = doc
        self.narrator = narrator
        self.sentences = list(doc.sents)  # doc.sents walks every token: compute once
        self._sentence_starts = [s.start_char for s in self.sentences]
        self.entities = {e["id"]: e for e in entities}
        self._by_token: dict[int, str] = {}
        for entity in entities:
            span = doc.char_span(entity["start"], entity["end"], alignment_mode="expand")
            if span is not None:
                for token in span:
                    self._by_token.setdefault(token.i, entity["id"])
        self._people = sorted(
            ((e["start"], e["id"]) for e in entities if e["label"] == "PERSON"), key=lambda item: item[0]
        )

    def entity_span(self, entity_id: str) -> Span | None:
        entity = self.entities[entity_id]
        return self.doc.char_span(entity["start"], entity["end"], alignment_mode="expand")

    def of(self, token: Token) -> Ref | None:
        entity_id = self._by_token.get(token.i)
        if entity_id is not None:
            return Ref(entity_id, self.entities[entity_id]["label"], 1.0)
        lower = token.lower_
        if lower in FIRST_PERSON and self.narrator:
            return Ref(NARRATOR, "PERSON", 1.0)
        if lower in MALE or lower in FEMALE:
            return self._resolve_pronoun(token, "male" if lower in MALE else "female")
        return None

    def _resolve_pronoun(self, token: Token, gender: str) -> Ref | None:
        sentence_starts = self._sentence_starts
        own = max((i for i, start in enumerate(sentence_starts) if start <= token.idx), default=0)
        earliest = sentence_starts[max(0, own - PRONOUN_SENTENCES)]
        for start, entity_id in reversed(self._people):
            if start >= token.idx:
                continue
            if start < earliest:
                break
            if given_name_gender(self.entities[entity_id]["value"]) == gender:
                return Ref(entity_id, "PERSON", PRONOUN_CONFIDENCE)
        return None

    def in_span(self, span: Span) -> list[tuple[Token, Ref]]:
        """Each participant once, at the root token of its mention (or the pronoun itself)."""
        seen: set[str] = set()
        found: list[tuple[Token, Ref]] = []
        for token in span:
            ref = self.of(token)
            if ref is None:
                continue
            key = ref.id if ref.id != NARRATOR else f"{NARRATOR}:{token.i}"
            if key in seen:
                continue
            seen.add(key)
            if ref.id != NARRATOR and ref.confidence == 1.0:
                mention = self.entity_span(ref.id)
                token = mention.root if mention is not None else token
            found.append((token, ref))
        return found
