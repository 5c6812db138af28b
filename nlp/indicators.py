"""Trafficking indicators (HTCDS methods of control and types of exploitation) with their evidence.

Cues are data (``nlp/data/indicators.json``). A cue fires once per indicator and sentence, unless the
sentence negates it: a negation word governs the cue's verb ("she was never threatened", "he did not
take my passport") or stands just before the cue ("no one hit me").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from nlp.extraction import Evidence, Indicator
from nlp.prefilter import Literals, prefilterable, regions_containing, required_literals

HTCDS_FIELDS = {"method_of_control": "vic_MethodsOfControl", "type_of_exploitation": "vic_TypeOfExploitation"}
NEGATIONS = frozenset({"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor", "without"})
CONFIDENCE = 0.8
_WINDOW = 3


@dataclass(frozen=True, slots=True)
class Cue:
    code: str
    category: str
    htcds_value: str
    pattern: re.Pattern[str]
    negated: bool  # the pattern states a negative itself ("not allowed to leave")
    literals: Literals  # one of these occurs (lower-cased) in every match; see nlp.prefilter


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    data = json.loads(resources.files("nlp").joinpath("data/indicators.json").read_text(encoding="utf-8"))
    found: list[Cue] = []
    for item in data["indicators"]:
        negated = set(item.get("negated_patterns", []))
        for index, pattern in enumerate(item["patterns"]):
            compiled = re.compile(pattern, re.IGNORECASE)
            found.append(Cue(item["code"], item["category"], item["htcds_value"], compiled, index in negated,
                             required_literals(compiled)))
    return tuple(found)


def codes() -> list[str]:
    return list(dict.fromkeys(cue.code for cue in cues()))


def _governor(tokens: list[Token]) -> Token | None:
    for token in tokens:
        node = token
        while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
            node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            return node
    return None


def is_negated(sentence: Span, start: int, end: int) -> bool:
    """Whether the sentence negates the cue found at characters ``start``-``end`` of the document."""
    tokens = [t for t in sentence if t.idx < end and t.idx + len(t) > start]
    if not tokens:
        return False
    before = sentence.doc[max(sentence.start, tokens[0].i - _WINDOW) : tokens[0].i]
    if any(t.lower_ in NEGATIONS for t in before):
        return True
    verb = _governor(tokens)
    scope = [verb, *verb.children] if verb is not None else []
    for aux in list(scope):
        if aux.dep_ in {"aux", "auxpass"}:
            scope.extend(aux.children)
    return any(t.dep_ == "neg" or t.lower_ in NEGATIONS or (t.dep_ == "nsubj" and t.lower_ in {"nobody", "noone"})
               for t in scope if t is not None and t.i < tokens[-1].i + 1)


def find_indicators(doc: Doc, sentences: list[Span] | None = None, text: str | None = None) -> list[Indicator]:
    """Indicators per sentence. A cue is run only on the sentences that contain one of its literals: the
    result is the same as running every cue on every sentence, at a fraction of the cost (see
    ``nlp.prefilter``). ``sentences`` and ``text`` are ``list(doc.sents)`` and ``doc.text`` when the
    caller has them."""
    found: list[Indicator] = []
    doc_text = doc.text if text is None else text
    sentences = list(doc.sents) if sentences is None else sentences
    for sentence, to_try in zip(sentences, _cues_per_sentence(doc_text, sentences)):
        text = doc_text[sentence.start_char : sentence.end_char]  # == sentence.text, without a token walk
        fired: set[str] = set()
        for cue in to_try:
            if cue.code in fired:
                continue
            for match in cue.pattern.finditer(text):
                start, end = sentence.start_char + match.start(), sentence.start_char + match.end()
                if not cue.negated and is_negated(sentence, start, end):
                    continue
                fired.add(cue.code)
                found.append(Indicator(
                    code=cue.code, category=cue.category, htcds_field=HTCDS_FIELDS[cue.category],
                    htcds_value=cue.htcds_value, cue=match.group(), cue_start=start, cue_end=end,
                    evidence=Evidence(text, sentence.start_char, sentence.end_char, CONFIDENCE),
                ))
                break
    return found


@lru_cache(maxsize=1)
def _all_literals() -> frozenset[str]:
    return frozenset(literal for cue in cues() if cue.literals for literal in cue.literals)


def _cues_per_sentence(text: str, sentences: list[Span]) -> list[list[Cue]]:
    """For each sentence, the cues that may match it, in the data file's order."""
    if not prefilterable(text):
        return [list(cues()) for _ in sentences]
    lowered = text.lower()
    starts, ends = [s.start_char for s in sentences], [s.end_char for s in sentences]
    per_sentence: list[list[Cue]] = [[] for _ in sentences]
    hits: dict[str, set[int]] = {}
    present = {literal for literal in _all_literals() if literal in lowered}  # one C-level test per literal
    for cue in cues():
        if cue.literals is not None and cue.literals.isdisjoint(present):
            continue  # none of its literals is anywhere in the text: no sentence can match
        where = regions_containing(cue.literals, lowered, starts, ends, hits)
        for k in range(len(sentences)) if where is None else sorted(where):
            per_sentence[k].append(cue)
    return per_sentence
