"""What the entity rules share: the candidate record, the word lists in ``nlp/data/entity_rules.json``,
and the tests on single words (is it a given name, a business noun, a word that is never a person)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import gender_guesser.detector
from spacy.tokens import Token

from nlp.gazetteer import demonyms
from nlp.identifiers import fold

MODEL_LABELS = {"PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION",
                "FAC": "LOCATION", "MONEY": "MONEY", "DATE": "DATE"}
QUOTES = "\"'“”‘’"


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    label: str
    priority: int  # lower wins an overlap
    confidence: float
    source: str
    value: str | None = None
    country: str | None = None
    detail: str | None = None


@lru_cache(maxsize=1)
def rules() -> dict:
    return json.loads(resources.files("nlp").joinpath("data/entity_rules.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def given_names() -> gender_guesser.detector.Detector:
    return gender_guesser.detector.Detector(case_sensitive=False)


def is_given_name(word: str) -> bool:
    return given_names().get_gender(word) in {"male", "female", "mostly_male", "mostly_female", "andy"}


def given_name_gender(name: str) -> str | None:
    """'male' or 'female' when the first word of a name is a given name mostly used for one gender."""
    words = name.split()
    if not words:
        return None
    gender = given_names().get_gender(words[0])
    return {"male": "male", "mostly_male": "male", "female": "female", "mostly_female": "female"}.get(gender)


@lru_cache(maxsize=1)
def business_nouns() -> dict[str, list[list[str]]]:
    """Business nouns indexed by their first word, longest first, so a lookup costs one dict access."""
    index: dict[str, list[list[str]]] = {}
    for noun in sorted((n.split() for n in rules()["business_nouns"]), key=len, reverse=True):
        index.setdefault(noun[0], []).append(noun)
    return index


def is_name_word(token: Token) -> bool:
    text = token.text
    return ((token.is_title or (token.is_upper and len(text) > 1) or text == "&") and text.lower() not in STOP
            and text.lower() not in demonyms())


STOP = frozenset({"the", "then", "a", "an", "at", "in", "on", "and", "but", "she", "he", "we", "i", "they",
                   "it", "there", "when", "after", "before", "later", "our", "my", "his", "her", "their", "of",
                   "for", "to", "from", "by", "with", "client", "victim", "suspect", "officers", "police"})




@lru_cache(maxsize=1)
def not_surnames() -> frozenset[str]:
    return frozenset(rules()["uppercase_not_surnames"])



@lru_cache(maxsize=1)
def not_person() -> frozenset[str]:
    return frozenset(fold(w) for w in rules()["not_person_words"])




def has_business_noun(text: str) -> bool:
    words = text.lower().split()
    return any(words[i : i + len(n)] == n for i, w in enumerate(words) for n in business_nouns().get(w, ()))



@lru_cache(maxsize=1)
def street_suffixes() -> frozenset[str]:
    return frozenset(rules()["street_suffixes"])



@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Words before a name that are not part of it: honorifics, ranks and the roles court texts use."""
    words = {fold(t).rstrip(".") for t in rules()["honorifics"]}
    words |= {fold(c) for c in rules()["person_cues"] if " " not in c}
    return frozenset(words | {"assistant", "special", "district", "u.s", "us", "federal", "senior", "chief", "former",
                              "co-defendant", "codefendant", "defendant", "victim", "minor", "witness", "suspect"})


def is_title_word(word: str) -> bool:
    return fold(word).rstrip(".") in title_words()


@lru_cache(maxsize=1)
def _place_nouns() -> tuple[tuple[str, ...], ...]:
    return tuple(sorted((tuple(fold(n).split()) for n in rules()["place_nouns"]), key=len, reverse=True))


def ends_with_place_noun(text: str) -> bool:
    """'Crossroads Terrace Apartments', 'Kaneshie Lorry Station': named places, not businesses or people."""
    words = tuple(fold(text).split())
    return len(words) >= 2 and any(words[-len(n):] == n for n in _place_nouns())


def one_of(words: Iterable[str]) -> str:
    """A regex alternation of the words, escaped and longest first, so that 'Inn & Suites' is tried before
    'Inn' wherever both fit: the form every word list of the rules file takes in a pattern."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def matches_as(pattern: re.Pattern[str], text: str, label: str, priority: int, confidence: float,
               source: str) -> list[Candidate]:
    """Every match of ``pattern`` in ``text`` as a candidate of one label, priority, confidence and source."""
    return [Candidate(m.start(), m.end(), label, priority, confidence, source) for m in pattern.finditer(text)]
