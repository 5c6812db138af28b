"""People from domain cues the model does not know: "defendant", "a man called", honorifics, quoted
nicknames and police-style "MUNTEANU Andrei"."""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.entities.common import QUOTES, Candidate, is_given_name, not_person, not_surnames, one_of, rules
from nlp.gazetteer import is_country
from nlp.identifiers import fold

_INITIALS = r"(?:[A-Z]\.\s?){2,3}"
_NAME = (r"(?:" + _INITIALS + r"|(?:[A-Z]\.\s?)?[A-Z][\w'’-]+(?:\s+(?:van\s+|de\s+|del\s+|[A-Z]\.\s+)?[A-Z][\w'’-]+){0,2})")


_FAMILY = "brothers|sisters|family|couple|siblings|cousins|twins|clan"


@lru_cache(maxsize=1)
def _person_patterns() -> list[tuple[re.Pattern[str], str]]:
    cues = one_of(rules()["person_cues"])
    titles = one_of(rules()["honorifics"])
    return [
        (re.compile(rf"\b(?i:{cues})[:,]?\s+[{QUOTES}]?(?P<name>{_NAME})"), "rule:person_cue"),
        (re.compile(rf"\b(?:{titles})\.?\s+(?P<name>{_NAME})"), "rule:honorific"),
        (re.compile(rf"(?<=[A-Za-z] )[{QUOTES}](?P<name>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)[{QUOTES}](?= [A-Z]|,| \()"),
         "rule:nickname"),
        (re.compile(r"\b(?P<name>[A-Z][A-Z'’-]{2,}(?:\s+[A-Z][A-Z'’-]{2,})?\s+[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)?)"),
         "rule:surname_first"),
        # "Latrice MOORE", "Jasmine T. OKORO", "L. PARRA": a given name or initial, then a surname in capitals
        (re.compile(r"\b(?P<name>(?:[A-Z][a-z][\w'’-]*\s+){1,2}(?:[A-Z]\.\s+)?[A-Z]{2,}(?:[-'’][A-Z]{2,})?|[A-Z]\.\s?[A-Z]{2,}"
                    r"(?:[-'’][A-Z]{2,})?)\b(?![a-z])"), "rule:surname_caps"),
        (re.compile(r"\b(?P<name>[A-Z]{2,}(?:[-'’][A-Z]{2,})?(?:\s+[A-Z]{2,}(?:[-'’][A-Z]{2,})?){1,2})\b(?![a-z])"), "rule:all_caps"),
        (re.compile(r"(?<![\w.])(?P<name>" + _INITIALS + r")(?![\w])"), "rule:initials"),
        (re.compile(rf"\b(?i:the)\s+(?P<name>[A-Z][\w'’-]+)\s+(?:{_FAMILY})\b"), "rule:family"),
    ]


def person_candidates(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    surnames_not = not_surnames()
    for pattern, source in _person_patterns():
        for match in pattern.finditer(text):
            name = match.group("name")
            start = match.start("name")
            if source == "rule:person_cue" and not name[0].isupper():
                continue
            if source == "rule:surname_first":
                first = name.split()[0]
                if first in surnames_not or is_country(first) or len(first) < 3:
                    continue
            if source in _CAPS_SOURCES and not _caps_name_ok(name, source, surnames_not):
                continue
            if source == "rule:initials" and name.strip() in _initials_not_people():
                continue
            words = name.split()
            while words and fold(words[-1]) in not_person():
                words.pop()
            if len(words) == 1 and len(words[0].rstrip(".")) == 1:
                continue
            if not words or all(fold(w) in not_person() for w in words):
                continue
            name = " ".join(words)
            value = _police_order(name) if source in {"rule:surname_first", "rule:surname_caps", "rule:all_caps"} else None
            found.append(Candidate(start, start + len(name), "PERSON", 3, 0.8, source, value=value))
    return found



_CAPS_SOURCES = frozenset({"rule:surname_caps", "rule:all_caps"})


def _caps_name_ok(name: str, source: str, surnames_not: frozenset[str]) -> bool:
    """Capitals make names and headings look alike: 'JUAN MARTINEZ' is a person, 'SUPPLEMENT REPORT' is not."""
    words = name.replace(".", ". ").split()
    caps = [w for w in words if w.isupper() and len(w) > 1]
    if any(w.strip("'’-") in surnames_not or fold(w) in not_person() or is_country(w) for w in caps):
        return False
    if source == "rule:all_caps":
        return is_given_name(words[0].title()) and not is_given_name(words[-1].title()) or (
            is_given_name(words[0].title()) and len(words) == 2)
    first = words[0]
    return len(first) == 2 or is_given_name(first)


@lru_cache(maxsize=1)
def _initials_not_people() -> frozenset[str]:
    return frozenset(rules()["initials_not_people"])


def _police_order(name: str) -> str:
    """'MUNTEANU Andrei' → 'Andrei Munteanu': police reports write the surname first, in capitals; a name
    written all in capitals is written back in the usual case ('JUAN MARTINEZ' → 'Juan Martinez')."""
    words = name.split()
    if all(w.isupper() for w in words):
        return " ".join(w.title() for w in words)
    surname = [w for w in words if w.isupper()]
    given = [w for w in words if not w.isupper()]
    return " ".join([*given, *(w.title() for w in surname)])
