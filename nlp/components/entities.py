"""spaCy component ``sightline_entities``: the final entity list, in Sightline's ten labels.

The small English model misses what this domain needs: it reads "Florin Dobre" as an organisation,
skips "Bucharest", and does not know that "the Golden Lotus massage parlour" is a business. This
component combines, in order of trust:

1. identifiers found by ``sightline_identifiers``;
2. businesses from cue nouns ("... car wash", "... nail bar", "Hotel ...", "a farm called ...");
3. people from domain cues ("defendant", "a man called", honorifics, quoted nicknames, police-style
   "MUNTEANU Andrei");
4. the model's PERSON, ORG, FAC, GPE, LOC, MONEY and DATE, relabelled where the gazetteer or a
   given-name list says otherwise, and without pronouns or bare role words;
5. places the model missed that the offline gazetteer knows, after a place preposition.

Where two candidates overlap, the more trusted one wins. The word lists are data
(``nlp/data/entity_rules.json``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import gender_guesser.detector
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from nlp.components.identifiers import HINTS_KEY, result
from nlp.gazetteer import country_of, demonyms, resolve_countries
from nlp.identifiers import clean_display_name, fold, name_tokens

MODEL_LABELS = {"PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION",
                "FAC": "LOCATION", "MONEY": "MONEY", "DATE": "DATE"}
_PLACE_PREPOSITIONS = frozenset({"in", "from", "to", "via", "through", "near", "into", "towards", "outside"})
_QUOTES = "\"'“”‘’"


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
def _given_names() -> gender_guesser.detector.Detector:
    return gender_guesser.detector.Detector(case_sensitive=False)


def is_given_name(word: str) -> bool:
    return _given_names().get_gender(word) in {"male", "female", "mostly_male", "mostly_female", "andy"}


def given_name_gender(name: str) -> str | None:
    """'male' or 'female' when the first word of a name is a given name mostly used for one gender."""
    words = name.split()
    if not words:
        return None
    gender = _given_names().get_gender(words[0])
    return {"male": "male", "mostly_male": "male", "female": "female", "mostly_female": "female"}.get(gender)


@lru_cache(maxsize=1)
def _business_nouns() -> dict[str, list[list[str]]]:
    """Business nouns indexed by their first word, longest first, so a lookup costs one dict access."""
    index: dict[str, list[list[str]]] = {}
    for noun in sorted((n.split() for n in rules()["business_nouns"]), key=len, reverse=True):
        index.setdefault(noun[0], []).append(noun)
    return index


def _is_name_word(token: Token) -> bool:
    text = token.text
    return ((token.is_title or (token.is_upper and len(text) > 1) or text == "&") and text.lower() not in _STOP
            and text.lower() not in demonyms())


_STOP = frozenset({"the", "then", "a", "an", "at", "in", "on", "and", "but", "she", "he", "we", "i", "they",
                   "it", "there", "when", "after", "before", "later", "our", "my", "his", "her", "their", "of",
                   "for", "to", "from", "by", "with", "client", "victim", "suspect", "officers", "police"})


def _business_candidates(tokens: list[Token], lowers: list[str], text: str) -> list[Candidate]:
    found: list[Candidate] = []
    nouns = _business_nouns()
    for i, lower in enumerate(lowers):
        for noun in nouns.get(lower, ()):
            end = i + len(noun)
            if end > len(tokens) or lowers[i:end] != noun:
                continue
            begin = i
            while begin > 0 and i - begin < 4 and _is_name_word(tokens[begin - 1]) and not tokens[begin - 1].is_sent_start:
                begin -= 1
            if begin > 0 and i - begin < 4 and _is_name_word(tokens[begin - 1]) and tokens[begin - 1].is_sent_start:
                begin -= 1  # a sentence may open with the business name itself
            if begin == i:
                begin = _called_name_start(tokens, end)
                if begin is not None:
                    stop = begin
                    while stop < len(tokens) and _is_name_word(tokens[stop]):
                        stop += 1
                    found.append(Candidate(tokens[begin].idx, tokens[stop - 1].idx + len(tokens[stop - 1]),
                                           "ORGANIZATION", 2, 0.8, "rule:business_called"))
                break
            last = tokens[end - 1]
            found.append(Candidate(tokens[begin].idx, last.idx + len(last), "ORGANIZATION", 2, 0.85,
                                   "rule:business_noun"))
            break
    for prefix, pattern in _business_prefix_patterns():
        if prefix not in text:  # the pattern starts with this exact text: skip a scan that cannot match
            continue
        for match in pattern.finditer(text):
            found.append(Candidate(match.start(), match.end(), "ORGANIZATION", 2, 0.8, "rule:business_prefix"))
    return found


@lru_cache(maxsize=1)
def _business_prefix_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """'Hotel Paradis', 'Club Venus': compiled once, not looked up in ``re``'s cache per narrative."""
    return tuple((prefix, re.compile(rf"\b{re.escape(prefix)}(?:\s+[A-Z][\w'’&-]*){{1,3}}"))
                 for prefix in rules()["business_prefix_nouns"])


def _called_name_start(tokens: list[Token], after: int) -> int | None:
    """'a nail bar called Glamour' → index of 'Glamour'."""
    if after + 1 < len(tokens) and tokens[after].lower_ in {"called", "named"} and _is_name_word(tokens[after + 1]):
        return after + 1
    return None


_NAME = r"[A-Z][\w'’-]+(?:\s+(?:van\s+|de\s+|del\s+)?[A-Z][\w'’-]+){0,2}"


@lru_cache(maxsize=1)
def _person_patterns() -> list[tuple[re.Pattern[str], str]]:
    cues = "|".join(re.escape(c) for c in sorted(rules()["person_cues"], key=len, reverse=True))
    titles = "|".join(re.escape(t) for t in rules()["honorifics"])
    return [
        (re.compile(rf"\b(?i:{cues})[:,]?\s+[{_QUOTES}]?(?P<name>{_NAME})"), "rule:person_cue"),
        (re.compile(rf"\b(?:{titles})\.?\s+(?P<name>{_NAME})"), "rule:honorific"),
        (re.compile(rf"(?<=[A-Za-z] )[{_QUOTES}](?P<name>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)[{_QUOTES}](?= [A-Z]|,| \()"),
         "rule:nickname"),
        (re.compile(r"\b(?P<name>[A-Z][A-Z'’-]{2,}(?:\s+[A-Z][A-Z'’-]{2,})?\s+[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)?)"),
         "rule:surname_first"),
    ]


def _person_candidates(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    not_surnames = _not_surnames()
    for pattern, source in _person_patterns():
        for match in pattern.finditer(text):
            name = match.group("name")
            start = match.start("name")
            if source == "rule:person_cue" and not name[0].isupper():
                continue
            if source == "rule:surname_first":
                first = name.split()[0]
                if first in not_surnames or country_of(first) or len(first) < 3:
                    continue
            words = name.split()
            while words and fold(words[-1]) in _not_person():
                words.pop()
            if len(words) == 1 and len(words[0].rstrip(".")) == 1:
                continue
            if not words or all(fold(w) in _not_person() for w in words):
                continue
            name = " ".join(words)
            value = _police_order(name) if source == "rule:surname_first" else None
            found.append(Candidate(start, start + len(name), "PERSON", 3, 0.8, source, value=value))
    return found


@lru_cache(maxsize=1)
def _not_surnames() -> frozenset[str]:
    return frozenset(rules()["uppercase_not_surnames"])


def _police_order(name: str) -> str:
    """'MUNTEANU Andrei' → 'Andrei Munteanu': police reports write the surname first, in capitals."""
    words = name.split()
    surname = [w for w in words if w.isupper()]
    given = [w for w in words if not w.isupper()]
    return " ".join([*given, *(w.title() for w in surname)])


@lru_cache(maxsize=1)
def _not_person() -> frozenset[str]:
    return frozenset(fold(w) for w in rules()["not_person_words"])




def _has_business_noun(text: str) -> bool:
    words = text.lower().split()
    return any(words[i : i + len(n)] == n for i, w in enumerate(words) for n in _business_nouns().get(w, ()))


def _model_candidates(doc: Doc, tokens: list[Token], doc_text: str) -> list[Candidate]:
    found: list[Candidate] = []
    for ent in doc.ents:
        label = MODEL_LABELS.get(ent.label_)
        if label is None:
            continue
        span = _trim(ent, tokens)
        if span is None:
            continue
        text = doc_text[span.start_char : span.end_char]  # == span.text, without a token walk
        words = tokens[span.start : span.end]
        if label in {"ORGANIZATION", "LOCATION"} and ent.label_ in {"ORG", "FAC"} and _has_business_noun(text):
            label = "ORGANIZATION"
        elif label in {"ORGANIZATION", "PERSON"} and not _has_business_noun(text) and country_of(text):
            label = "LOCATION"
        elif (label in {"ORGANIZATION", "LOCATION"} and not country_of(text) and not _has_business_noun(text)
              and 2 <= len(words) <= 3 and all(t.is_title for t in words) and is_given_name(words[0].text)):
            label = "PERSON"
        if _THREE_DIGITS_RE.search(text) and label in {"PERSON", "ORGANIZATION", "LOCATION"}:
            continue  # "DOB 02/11/1985", "MSHT-2021-0457": references, not names
        if label in {"PERSON", "ORGANIZATION"} and words[-1].text in _street_suffixes():
            label = "LOCATION"
        if label == "PERSON" and not _plausible_person(text, words):
            continue
        found.append(Candidate(span.start_char, span.end_char, label, 4, 0.75, f"model:{ent.label_}"))
    return found


_THREE_DIGITS_RE = re.compile(r"\d{3}")


def _trim(span: Span, tokens: list[Token]) -> Span | None:
    """Drop a leading article and a trailing possessive or punctuation from a model span."""
    start, end = span.start, span.end
    while start < end and (tokens[start].lower_ in {"the", "a", "an"} or tokens[start].is_punct):
        start += 1
    while end > start and (tokens[end - 1].is_punct or tokens[end - 1].lower_ in {"'s", "’s"}):
        end -= 1
    return span.doc[start:end] if end > start else None


@lru_cache(maxsize=1)
def _street_suffixes() -> frozenset[str]:
    return frozenset(rules()["street_suffixes"])


def _plausible_person(text: str, words: list[Token]) -> bool:
    """``text`` is the span's text and ``words`` its tokens."""
    if not any(c.isupper() for c in text) or any(c.isdigit() for c in text):
        return False
    if fold(words[0].text) in _not_person() and (len(words) == 1 or len(words[-1].text.rstrip(".")) == 1):
        return False  # "Client J.", "Child A."
    if fold(text) in demonyms():
        return False
    if fold(text) in _not_person() or all(fold(t.text) in _not_person() for t in words):
        return False
    return not (len(words) == 1 and words[0].is_stop)


def _gazetteer_candidates(doc: Doc, tokens: list[Token], lowers: list[str]) -> list[Candidate]:
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


_AMOUNT = r"\d{1,3}(?:[,.\s]\d{3})*(?:\.\d{1,2})?(?:\s?(?:k|m|million|thousand)\b)?"
_MONEY_RE = re.compile(
    rf"[£€$¥₦]\s?{_AMOUNT}|\b{_AMOUNT}\s?(?:euros?|pounds?|dollars?|lei|leva|lev|zloty|złoty|naira|dong|"
    r"dinars?|lek|forints?|(?:EUR|GBP|USD|RON|BGN|PLN|NGN|VND)\b)",
    re.I,
)


def _money_candidates(text: str) -> list[Candidate]:
    """Amounts with their currency, symbol included: the model drops the '£' of '£400'."""
    return [Candidate(m.start(), m.end(), "MONEY", 2, 0.9, "rule:money") for m in _MONEY_RE.finditer(text)]


def _platform_candidates(text: str) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), "ORGANIZATION", 2, 0.9, "rule:platform")
            for m in _platform_pattern().finditer(text)]


@lru_cache(maxsize=1)
def _platform_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(p) for p in rules()["platforms"])
    return re.compile(rf"\b(?:{names})\b")


def _propagate(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """Later bare mentions of a name already recognised in the narrative ('Dobre', 'Flo') are mentions too."""
    labels: dict[str, tuple[str, float]] = {}
    for cand in chosen:
        if cand.label not in {"PERSON", "ORGANIZATION"}:
            continue
        surface = text[cand.start : cand.end]
        pieces = {surface} | ({w for w in surface.split() if len(w) > 2 and w[0].isupper()} if cand.label == "PERSON" else set())
        for piece in pieces:
            if len(piece) >= 3 and fold(piece) not in _not_person() and piece.lower() not in _STOP:
                labels.setdefault(piece, (cand.label, cand.confidence * 0.9))
    return [Candidate(start, end, labels[piece][0], 6, labels[piece][1], "rule:propagated")
            for start, end, piece in _whole_word_mentions(text, sorted(labels, key=len, reverse=True))]


_NAME_CHAR_RE = re.compile(r"[\w'’-]")


def _whole_word_mentions(text: str, pieces: list[str]) -> list[tuple[int, int, str]]:
    r"""What ``re.finditer(rf"(?<![\w'’-])(?:{'|'.join(map(re.escape, pieces))})(?![\w'’-])", text)`` finds:
    leftmost first, the earliest piece in ``pieces`` that fits at a position, no overlaps.

    Why not that regex: its alternation is different for every narrative, so ``re`` compiled a new
    pattern each time, which cost five times as much as the search itself.
    """
    fits: dict[int, str] = {}
    for piece in pieces:
        position = text.find(piece)
        while position != -1:  # every occurrence, overlapping ones too
            end = position + len(piece)
            if position not in fits and not _NAME_CHAR_RE.match(text, end):
                fits[position] = piece
            position = text.find(piece, position + 1)
    found: list[tuple[int, int, str]] = []
    resume = 0
    for position in sorted(fits):
        if position < resume or (position > 0 and _NAME_CHAR_RE.match(text, position - 1)):
            continue
        end = position + len(fits[position])
        found.append((position, end, fits[position]))
        resume = end
    return found


def _relabel_surnames(text: str, chosen: list[Candidate]) -> None:
    """'VARGA' read as an organisation is the person 'Tomas Varga' named elsewhere in the narrative."""
    people = [set(name_tokens(c.value or text[c.start : c.end])) for c in chosen if c.label == "PERSON"]
    for cand in chosen:
        if cand.label in {"ORGANIZATION", "LOCATION"} and cand.source.startswith("model"):
            surface = text[cand.start : cand.end]
            tokens = set(name_tokens(surface))
            if tokens and any(tokens <= p for p in people) and not _has_business_noun(surface):
                cand.label = "PERSON"


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    chosen: list[Candidate] = []
    taken = bytearray(max((c.end for c in candidates), default=0))
    for cand in sorted(candidates, key=lambda c: (c.priority, -(c.end - c.start), c.start)):
        if not any(taken[cand.start : cand.end]):
            chosen.append(cand)
            taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    return sorted(chosen, key=lambda c: c.start)


_ALIAS_BEFORE_RE = re.compile(r"(?:,?\s*(?:known as|nicknamed|alias|aka|a\.k\.a\.|called)\s*|\s)[\"'“‘]?$", re.I)


def _alias_of(text: str, alias: Candidate, people: list[Candidate]) -> Candidate | None:
    """The person a nickname belongs to: 'Andrei Munteanu, known as "Andi"' or 'Florin "Flo" Dobre'."""
    if alias.source not in {"rule:person_cue", "rule:nickname"}:
        return None
    for person in people:
        if person is alias:
            continue
        between = text[person.end : alias.start]
        if 0 <= len(between) <= 16 and _ALIAS_BEFORE_RE.search(between):
            return person
        if alias.source == "rule:nickname" and 0 < person.start - alias.end <= 2:
            before = [p for p in people if 0 < alias.start - p.end <= 2]
            if before:
                return before[0]
    return None


def _person_values(text: str, people: list[Candidate]) -> None:
    """Within one narrative, 'Munteanu' and 'Andrei' stand for 'Andrei Munteanu' when that is the only fit,
    and a nickname given right after a name stands for that name."""
    names = {id(p): (p.value or clean_display_name(text[p.start : p.end])) for p in people}
    for person in people:
        owner = _alias_of(text, person, people)
        if owner is not None:
            names[id(person)] = names[id(owner)]
            person.detail = "alias"
    token_sets = {id(p): set(name_tokens(names[id(p)])) for p in people}
    for person in people:
        mine = token_sets[id(person)]
        fuller = {names[id(o)] for o in people if mine and mine < token_sets[id(o)]}
        person.value = fuller.pop() if len(fuller) == 1 and person.detail != "alias" else names[id(person)]


class EntityComponent:
    def __call__(self, doc: Doc) -> Doc:
        store = result(doc)
        text = doc.text  # Doc.text re-joins every token on each access: read it once per doc
        candidates = [
            Candidate(m["start"], m["end"], m["label"], 1, m["confidence"], "rule:identifier",
                      value=m["value"], country=m["region"], detail=m["detail"])
            for m in store.get("identifiers", [])
        ]
        if doc.user_data.get(HINTS_KEY, {}).get("ner", True):
            tokens = list(doc)  # likewise every iteration and index builds new Token objects
            lowers = [t.lower_ for t in tokens]
            candidates += _business_candidates(tokens, lowers, text) + _person_candidates(text)
            candidates += _money_candidates(text) + _platform_candidates(text)
            candidates += _model_candidates(doc, tokens, text) + _gazetteer_candidates(doc, tokens, lowers)
        chosen = _resolve(candidates)
        _relabel_surnames(text, chosen)
        chosen = _resolve(chosen + _propagate(text, chosen))
        _person_values(text, [c for c in chosen if c.label == "PERSON"])
        location_names = [clean_display_name(text[c.start : c.end]) for c in chosen if c.label == "LOCATION"]
        countries = resolve_countries(location_names)
        entities = []
        for index, cand in enumerate(chosen):
            surface = text[cand.start : cand.end]
            value = cand.value or (surface if cand.label in {"MONEY", "DATE"} else clean_display_name(surface))
            country = countries.get(value) if cand.label == "LOCATION" else cand.country
            entities.append({"id": f"e{index}", "start": cand.start, "end": cand.end, "label": cand.label,
                             "text": surface, "value": value, "confidence": cand.confidence, "source": cand.source,
                             "country": country, "detail": cand.detail})
        store["entities"] = entities
        spans = [doc.char_span(e["start"], e["end"], label=e["label"], alignment_mode="expand") for e in entities]
        doc.ents = filter_spans([s for s in spans if s is not None])
        return doc


@Language.factory("sightline_entities")
def make_entity_component(nlp: Language, name: str) -> EntityComponent:
    return EntityComponent()
