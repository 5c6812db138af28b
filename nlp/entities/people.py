"""People from domain cues the model does not know: "defendant", "a man called", honorifics, quoted
nicknames and police-style "MUNTEANU Andrei"."""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.entities.common import QUOTES, Candidate, not_person, not_surnames, rules
from nlp.gazetteer import country_of
from nlp.identifiers import fold

_NAME = r"[A-Z][\w'’-]+(?:\s+(?:van\s+|de\s+|del\s+)?[A-Z][\w'’-]+){0,2}"


@lru_cache(maxsize=1)
def _person_patterns() -> list[tuple[re.Pattern[str], str]]:
    cues = "|".join(re.escape(c) for c in sorted(rules()["person_cues"], key=len, reverse=True))
    titles = "|".join(re.escape(t) for t in rules()["honorifics"])
    return [
        (re.compile(rf"\b(?i:{cues})[:,]?\s+[{QUOTES}]?(?P<name>{_NAME})"), "rule:person_cue"),
        (re.compile(rf"\b(?:{titles})\.?\s+(?P<name>{_NAME})"), "rule:honorific"),
        (re.compile(rf"(?<=[A-Za-z] )[{QUOTES}](?P<name>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)[{QUOTES}](?= [A-Z]|,| \()"),
         "rule:nickname"),
        (re.compile(r"\b(?P<name>[A-Z][A-Z'’-]{2,}(?:\s+[A-Z][A-Z'’-]{2,})?\s+[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)?)"),
         "rule:surname_first"),
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
                if first in surnames_not or country_of(first) or len(first) < 3:
                    continue
            words = name.split()
            while words and fold(words[-1]) in not_person():
                words.pop()
            if len(words) == 1 and len(words[0].rstrip(".")) == 1:
                continue
            if not words or all(fold(w) in not_person() for w in words):
                continue
            name = " ".join(words)
            value = _police_order(name) if source == "rule:surname_first" else None
            found.append(Candidate(start, start + len(name), "PERSON", 3, 0.8, source, value=value))
    return found



def _police_order(name: str) -> str:
    """'MUNTEANU Andrei' → 'Andrei Munteanu': police reports write the surname first, in capitals."""
    words = name.split()
    surname = [w for w in words if w.isupper()]
    given = [w for w in words if not w.isupper()]
    return " ".join([*given, *(w.title() for w in surname)])
