"""Who a token stands for: an entity mention, the narrator, or a pronoun resolved to a named person.

Relations, routes and roles all need to know that "I", "me" and "we" in a survivor's story are the
narrator, and that "his" in "his number was ..." most likely means the last man named. Pronoun
resolution here is deliberately cautious: a third-person pronoun resolves only to a person named in the
same or the previous three sentences whose given name agrees with the pronoun's gender, and such links
carry a lower confidence.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from nlp.doc_store import doc_text
from nlp.entities.common import given_name_gender
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


_THIRD_PERSON = MALE | FEMALE | {"they", "them", "their"}


def is_first_person(doc: Doc, tokens: Sequence[Token] | None = None) -> bool:
    """A survivor's own story: first-person pronouns outside quotes are frequent and not incidental.

    ``tokens`` is ``list(doc)`` when the caller has it already (one walk of the doc instead of two)."""
    first = third = 0
    for t in doc if tokens is None else tokens:
        lower = t.lower_
        if lower in FIRST_PERSON:
            first += t.pos_ == "PRON"
        elif lower in _THIRD_PERSON:
            third += 1
    return first >= 3 and first >= 0.3 * (first + third)


class Participants:
    """Token → Ref for one doc, given the final entities of ``sightline_entities``.

    Also the per-doc cache the fact finders share: spaCy builds a new ``Token`` object on every
    iteration, index and ``doc.text``, so the tokens, the text and the sentences are read once here, and
    ``of`` and ``in_span`` remember their answers (relations, routes and roles ask about the same
    sentences).
    """

    def __init__(self, doc: Doc, entities: list[dict], narrator: bool,
                 tokens: list[Token] | None = None) -> None:
        self.doc = doc
        self.narrator = narrator
        self.text = doc_text(doc)
        self.tokens = list(doc) if tokens is None else tokens
        self.sentences = list(doc.sents)  # doc.sents walks every token: compute once
        self._refs: dict[int, Ref | None] = {}
        self._in_span: dict[tuple[int, int], tuple[tuple[Token, Ref], ...]] = {}
        self._spans: dict[str, Span | None] = {}
        self._sentence_starts = [s.start_char for s in self.sentences]
        self.entities = {e["id"]: e for e in entities}
        self._by_token: dict[int, str] = {}
        for entity in entities:
            span = self.entity_span(entity["id"])
            if span is not None:
                for token in self.tokens_of(span):
                    self._by_token.setdefault(token.i, entity["id"])
        self._people = sorted(
            ((e["start"], e["id"]) for e in entities if e["label"] == "PERSON"), key=lambda item: item[0]
        )
        # the only tokens ``of`` can answer for: entity tokens and pronouns; ``in_span`` looks at no other
        pronouns = (FIRST_PERSON if narrator else frozenset()) | MALE | FEMALE
        self._maybe = sorted({*self._by_token, *(t.i for t in self.tokens if t.lower_ in pronouns)})

    def tokens_of(self, span: Span) -> list[Token]:
        """The span's tokens, from the shared list rather than new ``Token`` objects."""
        return self.tokens[span.start : span.end]

    def sentence_text(self, sentence: Span) -> str:
        """``sentence.text`` without walking its tokens (token texts and spaces make up the doc text)."""
        return self.text[sentence.start_char : sentence.end_char]

    def entity_span(self, entity_id: str) -> Span | None:
        if entity_id not in self._spans:
            entity = self.entities[entity_id]
            self._spans[entity_id] = self.doc.char_span(entity["start"], entity["end"], alignment_mode="expand")
        return self._spans[entity_id]

    def of(self, token: Token) -> Ref | None:
        i = token.i
        if i in self._refs:
            return self._refs[i]
        ref = self._refs[i] = self._of(token)
        return ref

    def _of(self, token: Token) -> Ref | None:
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
        own = max(0, bisect_right(sentence_starts, token.idx) - 1)  # the sentence the pronoun is in
        earliest = sentence_starts[max(0, own - PRONOUN_SENTENCES)]
        for start, entity_id in reversed(self._people):
            if start >= token.idx:
                continue
            if start < earliest:
                break
            if given_name_gender(self.entities[entity_id]["value"]) == gender:
                return Ref(entity_id, "PERSON", PRONOUN_CONFIDENCE)
        return None

    def in_span(self, span: Span) -> tuple[tuple[Token, Ref], ...]:
        """Each participant once, at the root token of its mention (or the pronoun itself)."""
        key = (span.start, span.end)
        if key not in self._in_span:
            self._in_span[key] = tuple(self._in_span_uncached(span))
        return self._in_span[key]

    def _in_span_uncached(self, span: Span) -> list[tuple[Token, Ref]]:
        seen: set[str] = set()
        found: list[tuple[Token, Ref]] = []
        maybe = self._maybe
        for k in range(bisect_left(maybe, span.start), bisect_left(maybe, span.end)):
            token = self.tokens[maybe[k]]
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
