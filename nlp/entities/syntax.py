"""People known by what they do: a proper noun that pleads guilty, recruits, is sentenced or is paid.

Why: the small model reads many surnames as places or organisations ("Keller transported the minor",
"Okonkwo arrived in Lagos", "Smith, Jones and Brown were charged") and misses names it has not seen.
Places and companies do not plead guilty, get sentenced or drive victims; so a capitalised proper noun
in the subject or object slot of such a verb (``nlp/data/person_verbs.json``), or conjoined with one, is
a person. Countries, agencies, platforms, business names and words on the not-a-person list are left
alone; what the verb lists say is data, not code.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from nlp.entities.common import Candidate, has_business_noun, is_title_word, not_person, rules
from nlp.gazetteer import demonyms, is_country
from nlp.identifiers import fold

SYNTAX_CONFIDENCE = 0.75


@lru_cache(maxsize=1)
def _verbs() -> dict[str, frozenset[str]]:
    data = json.loads(resources.files("nlp").joinpath("data/person_verbs.json").read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def _agencies() -> frozenset[str]:
    return frozenset(fold(a) for a in rules()["agencies"]) | frozenset(fold(p) for p in rules()["platforms"])


def _name_token(token: Token) -> bool:
    text = token.text
    return (token.pos_ == "PROPN" and (token.is_title or (token.is_upper and len(text) > 2))
            and not any(c.isdigit() for c in text) and fold(text) not in not_person() and fold(text) not in demonyms()
            and not (token.i > 0 and token.nbor(-1).lower_ in {"operation", "op", "project"}))


def _verb_says_person(token: Token) -> bool:
    """The token fills a slot that only people fill, directly or through a conjunction."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    head, dep = token.head, token.dep_
    lemma = head.lemma_.lower()
    verbs = _verbs()
    if dep == "nsubj" and head.pos_ in {"VERB", "AUX"}:
        return lemma in verbs["subject"]
    if dep == "nsubjpass":
        return lemma in verbs["passive_subject"]
    if dep in {"dobj", "dative"}:
        return lemma in verbs["object"]
    if dep == "pobj" and head.dep_ == "agent":  # "recruited by X"
        return head.head.lemma_.lower() in verbs["passive_subject"]
    if dep == "pobj" and head.lower_ == "with" and head.head.lemma_.lower() in verbs["with"]:
        return True  # "conspired with X"
    return dep == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in verbs["to"]  # "sold her to X"


def _name_span(tokens: list[Token], i: int) -> tuple[int, int]:
    """The run of name tokens around ``i`` (with hyphens and initials inside it) in one line."""
    start = i
    while start > 0 and (_name_token(tokens[start - 1]) or _initial(tokens[start - 1])) \
            and not is_title_word(tokens[start - 1].text) \
            and "\n" not in tokens[start - 1].whitespace_ and tokens[start - 1].dep_ in {"compound", "flat", "nmod"}:
        start -= 1
    while start > 1 and tokens[start - 1].text in {"-", "‑"} and not tokens[start - 1].whitespace_ \
            and not tokens[start - 2].whitespace_ and _name_token(tokens[start - 2]):
        start -= 2  # "Castillo-Hayes": the hyphenated surname is one name
        while start > 0 and _name_token(tokens[start - 1]) and "\n" not in tokens[start - 1].whitespace_ \
                and not is_title_word(tokens[start - 1].text):
            start -= 1
    end = i + 1
    while end + 1 < len(tokens) and tokens[end].text in {"-", "‑"} and _name_token(tokens[end + 1]) \
            and not tokens[end - 1].whitespace_:
        end += 2
    return start, end


def _initial(token: Token) -> bool:
    text = token.text
    return len(text) == 2 and text[0].isupper() and text[1] == "."


def _person_at(tokens: list[Token], i: int, full: str, source: str) -> tuple[Candidate, range] | None:
    """The name around token ``i`` as a PERSON candidate, unless it is a country, an agency or a business."""
    start, end = _name_span(tokens, i)
    first, last = tokens[start], tokens[end - 1]
    text = full[first.idx : last.idx + len(last.text)]
    if is_country(text) or fold(text) in _agencies() or has_business_noun(text):
        return None
    if len(text) <= 3 and text.isupper():
        return None  # "FBI", "HSI": acronyms are agencies far more often than people
    return Candidate(first.idx, last.idx + len(last.text), "PERSON", 3, SYNTAX_CONFIDENCE, source), range(start, end)


def syntax_people(doc: Doc, tokens: list[Token], full: str) -> list[Candidate]:
    """``full`` is the doc's text."""
    found: list[Candidate] = []
    taken: set[int] = set()
    for token in tokens:
        if token.i in taken or token.dep_ == "compound" or not _name_token(token) or not _verb_says_person(token):
            continue
        person = _person_at(tokens, token.i, full, "rule:person_syntax")
        if person is not None:
            found.append(person[0])
            taken.update(person[1])
    return found


def conjoined_people(doc: Doc, tokens: list[Token], chosen: list[Candidate], full: str) -> list[Candidate]:
    """'Defendants Smith, Jones and Brown': names conjoined with a person are people too."""
    people = {t.i for c in chosen if c.label == "PERSON" for t in doc.char_span(c.start, c.end, alignment_mode="expand") or ()}
    found: list[Candidate] = []
    for i in people:
        for other in tokens[i].conjuncts:
            if other.i not in people and _name_token(other):
                person = _person_at(tokens, other.i, full, "rule:person_list")
                if person is not None:
                    found.append(person[0])
    return found
