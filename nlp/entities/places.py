"""Places the model missed that the offline gazetteer knows, after a place preposition."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from nlp.entities.common import Candidate
from nlp.gazetteer import country_of

_PLACE_PREPOSITIONS = frozenset({"in", "from", "to", "via", "through", "near", "into", "towards", "outside"})


def gazetteer_candidates(doc: Doc, tokens: list[Token], lowers: list[str]) -> list[Candidate]:
    found: list[Candidate] = []
    for i, lower in enumerate(lowers):
        if lower not in _PLACE_PREPOSITIONS:
            continue
        start = i + 1
        if start < len(lowers) and lowers[start] == "the":
            start += 1
        end = start
        while end < len(tokens) and end - start < 3 and tokens[end].is_title:
            end += 1
        while end > start:
            span = doc[start:end]
            if country_of(span.text):
                found.append(Candidate(span.start_char, span.end_char, "LOCATION", 5, 0.7, "rule:gazetteer"))
                break
            end -= 1
    return found
