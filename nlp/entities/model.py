"""The model's own entities, relabelled where the gazetteer, the business nouns or a given-name list
disagree, and without pronouns, bare role words or reference numbers."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from nlp.entities.common import (
    MODEL_LABELS, Candidate, ends_with_place_noun, has_business_noun, is_given_name, is_title_word, not_person,
    street_suffixes,
)
from nlp.gazetteer import country_of, demonyms, is_known_place
from nlp.identifiers import fold


def model_candidates(doc: Doc, tokens: list[Token], doc_text: str) -> list[Candidate]:
    found: list[Candidate] = []
    for ent in doc.ents:
        label = MODEL_LABELS.get(ent.label_)
        if label is None:
            continue
        span = _trim(ent, tokens, label == "PERSON")
        if span is None:
            continue
        text = doc_text[span.start_char : span.end_char]  # == span.text, without a token walk
        words = tokens[span.start : span.end]
        if label in {"ORGANIZATION", "LOCATION", "PERSON"} and has_business_noun(text) and (
                ent.label_ in {"ORG", "FAC"} or label == "PERSON"):
            label = "ORGANIZATION"
        elif label in {"ORGANIZATION", "PERSON"} and ends_with_place_noun(text):
            label = "LOCATION"
        elif label in {"ORGANIZATION", "PERSON"} and not has_business_noun(text) and country_of(text):
            label = "LOCATION"
        elif (label in {"ORGANIZATION", "LOCATION"} and not is_known_place(text) and not has_business_noun(text)
              and 2 <= len(words) <= 3 and all(t.is_title for t in words) and is_given_name(words[0].text)):
            label = "PERSON"
        if _THREE_DIGITS_RE.search(text) and label in {"PERSON", "ORGANIZATION", "LOCATION"}:
            continue  # "DOB 02/11/1985", "MSHT-2021-0457": references, not names
        if label in {"PERSON", "ORGANIZATION"} and words[-1].text in street_suffixes():
            label = "LOCATION"
        if label == "PERSON" and not _plausible_person(text, words):
            continue
        if label == "PERSON" and _placed_like_a_place(tokens, span.start, words):
            label = "LOCATION"
        found.append(Candidate(span.start_char, span.end_char, label, 4, 0.75, f"model:{ent.label_}"))
    return found


_THREE_DIGITS_RE = re.compile(r"\d{3}")


def _trim(span: Span, tokens: list[Token], person: bool = False) -> Span | None:
    """Drop a leading article (and a person's title: 'Victim A.B.', 'Judge Osei'), a trailing possessive or
    punctuation, and whatever follows a line break (a header line is not part of the name after it)."""
    start, end = span.start, span.end
    while start < end and (tokens[start].lower_ in {"the", "a", "an"} or tokens[start].is_punct
                           or (person and end - start > 1 and is_title_word(tokens[start].text))):
        start += 1
    for k in range(start, end):
        if "\n" in tokens[k].text or (k + 1 < end and "\n" in tokens[k].whitespace_):
            end = k if "\n" in tokens[k].text else k + 1
            break
    while end > start and (tokens[end - 1].is_punct or tokens[end - 1].lower_ in {"'s", "’s"}):
        end -= 1
    return span.doc[start:end] if end > start else None



def _plausible_person(text: str, words: list[Token]) -> bool:
    """``text`` is the span's text and ``words`` its tokens."""
    if not any(c.isupper() for c in text) or any(c.isdigit() for c in text):
        return False
    if fold(words[0].text) in not_person() and (len(words) == 1 or len(words[-1].text.rstrip(".")) == 1):
        return False  # "Client J.", "Child A."
    if fold(text) in demonyms():
        return False
    if fold(text) in not_person() or all(fold(t.text) in not_person() for t in words):
        return False
    return not (len(words) == 1 and words[0].is_stop)


_PLACE_BEFORE = frozenset({"in", "from", "to", "between", "near", "into", "via", "outside", "towards", "of"})


def _placed_like_a_place(tokens: list[Token], start: int, words: list[Token]) -> bool:
    """'went to Marghita', 'of Šintava': one unknown capitalised word after a place preposition, which the
    model took for a person, is a small town more often than a person (people 'sold to X' are caught by
    their verb in nlp/entities/syntax.py, which outranks the model)."""
    return (len(words) == 1 and start > 0 and tokens[start - 1].lower_ in _PLACE_BEFORE
            and not is_given_name(words[0].text))
