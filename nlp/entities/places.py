"""Places the model misses: what the offline gazetteer knows, street addresses, and a US state after its city."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Token

from nlp.entities.common import Candidate, is_given_name, matches_as, not_person, one_of, rules
from nlp.gazetteer import country_of
from nlp.identifiers import fold

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


@lru_cache(maxsize=1)
def _address_patterns() -> tuple[re.Pattern[str], ...]:
    """Street addresses in the forms the rules file lists: '1423 Elm Street', 'No. 7 Adeniyi Jones Avenue',
    'Via Sandro Pertini 14', '27 rue Gabriel Péri', 'Hansastraße 91'."""
    data = rules()
    suffixes = one_of(data["street_suffixes"] + data["address_suffixes"])
    prefixes = one_of(data["street_prefixes"])
    endings = one_of(data["street_word_endings"])
    word = r"[A-Z0-9][\w'’-]*"
    return (
        re.compile(rf"(?:\bNo\.?\s*)?\b\d{{1,5}}[A-Za-z]?,?\s+(?:[NSEW]\.?\s+)?(?:{word}\s+){{0,3}}(?:{suffixes})(?![\w])"),
        re.compile(rf"(?:\b\d{{1,4}}[a-z]?,?\s+)?\b(?:{prefixes})\s+(?:(?:du|de|la|le|des|del|della|dei|di|d'|da|do|dos|das)\s+)?"
                   rf"{word}(?:\s+{word}){{0,3}}(?:,?\s+\d{{1,4}}[a-z]?\b)?"),
        re.compile(rf"\b[A-ZÀ-Ý][\w-]*(?:{endings})(?:\s+\d{{1,4}}[a-z]?\b)?"),
    )


def address_candidates(text: str) -> list[Candidate]:
    found = []
    for pattern in _address_patterns():
        for match in pattern.finditer(text):
            surface = match.group().rstrip(".,")
            if "\n" in surface:
                continue
            found.append(Candidate(match.start(), match.start() + len(surface), "LOCATION", 2, 0.8, "rule:address"))
    return found


@lru_cache(maxsize=1)
def _state_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<=[A-Za-z], )(?:{one_of(rules()['us_states'])})(?![\w])")


def state_candidates(text: str) -> list[Candidate]:
    """'Houston, TX', 'Milwaukee, WI', 'Dallas, Tex.': the state after a city is a place of its own."""
    return matches_as(_state_pattern(), text, "LOCATION", 2, 0.85, "rule:state")


def known_place_candidates(doc: Doc, tokens: list[Token]) -> list[Candidate]:
    """Cities, regions and countries the gazetteer knows, wherever they stand, unless the name is also a
    given name (Aurora, Florence) or opens a sentence: those need a place preposition (above)."""
    found: list[Candidate] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not (token.is_title or token.is_upper) or token.is_sent_start or token.pos_ not in {"PROPN", "NOUN", "ADJ"}:
            i += 1
            continue
        for size in (3, 2, 1):
            end = i + size
            if end > len(tokens) or not all(t.is_title or t.is_upper or t.text in {"-", "upon", "on"} for t in tokens[i:end]):
                continue
            span = doc[i:end]
            name = span.text
            if "\n" in name or (size == 1 and (is_given_name(name.title()) or fold(name) in not_person())):
                continue
            if country_of(name):
                found.append(Candidate(span.start_char, span.end_char, "LOCATION", 5, 0.65, "rule:gazetteer_any"))
                i = end - 1
                break
        i += 1
    return found
