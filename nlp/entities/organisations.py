"""Organisations the model misses: businesses named by a trade noun or legal suffix ("Sparkle Hand Car
Wash", "Golden Lotus Massage LLC", "a nail bar called Glamour", "Hotel Paradis") and the platforms
people are recruited and advertised on."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Token

from nlp.entities.common import Candidate, business_nouns, is_name_word, matches_as, one_of, rules


def business_candidates(tokens: list[Token], lowers: list[str], text: str) -> list[Candidate]:
    found: list[Candidate] = []
    nouns = business_nouns()
    for i, lower in enumerate(lowers):
        for noun in nouns.get(lower, ()):
            end = i + len(noun)
            if end > len(tokens) or lowers[i:end] != noun:
                continue
            begin = i
            while begin > 0 and i - begin < 4 and is_name_word(tokens[begin - 1]) and not tokens[begin - 1].is_sent_start:
                begin -= 1
            if begin > 0 and i - begin < 4 and is_name_word(tokens[begin - 1]) and tokens[begin - 1].is_sent_start:
                begin -= 1  # a sentence may open with the business name itself
            if begin == i:
                begin = _called_name_start(tokens, end)
                if begin is not None:
                    stop = begin
                    while stop < len(tokens) and is_name_word(tokens[stop]):
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
    return tuple((prefix, re.compile(rf"\b{re.escape(prefix)}(?:(?:\s+[A-Z][\w'’&-]*){{1,3}}|\s+\d{{1,3}}\b)"))
                 for prefix in rules()["business_prefix_nouns"])


def _called_name_start(tokens: list[Token], after: int) -> int | None:
    """'a nail bar called Glamour' → index of 'Glamour'."""
    if after + 1 < len(tokens) and tokens[after].lower_ in {"called", "named"} and is_name_word(tokens[after + 1]):
        return after + 1
    return None



def platform_candidates(text: str) -> list[Candidate]:
    return matches_as(_platform_pattern(), text, "ORGANIZATION", 2, 0.9, "rule:platform")


@lru_cache(maxsize=1)
def _platform_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{one_of(rules()['platforms'])})\b")


@lru_cache(maxsize=1)
def _agency_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{one_of(rules()['agencies'])})(?![\w-])")


def agency_candidates(text: str) -> list[Candidate]:
    """Agencies, courts' partners and payment services by name or acronym (FBI, NAPTIP, Europol, CashApp)."""
    return matches_as(_agency_pattern(), text, "ORGANIZATION", 2, 0.85, "rule:agency")


_SITE_RE = re.compile(r"(?<![\w@./-])[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|example|info|biz|io|me|"
                      r"co\.uk|ng|gh|it|es|nl|de|ro|fr|pl|bg|eu|xxx|tv|app|site|online)(?![\w/@-])")


def website_candidates(text: str) -> list[Candidate]:
    """'Backpage.com', 'HotlineDates.example': a site named as a brand (no path) is the organisation behind it."""
    return matches_as(_SITE_RE, text, "ORGANIZATION", 2, 0.8, "rule:website")
