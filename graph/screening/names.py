"""The screening name score: how alike a partner's name is to a flagged one, in [0, 1], and why.

It builds on ``graph.name_similarity`` (the notion of "same name" resolution uses) and adds what a
partner's query needs on top:

1. **Tokens.** Names are transliterated to ASCII (``anyascii``: Cyrillic, Greek, ...), folded (case,
   accents), apostrophes dropped ("Koval'chuk" is one token), titles removed. For companies, legal forms at
   either end ("Ltd", "S.R.L.", "Sp. z o.o.", "GmbH", "OOO", ...) are set aside: they say how a company is
   registered, not which one it is, so they never add to or take from the score.
2. **Token pairs** (``name_similarity.token_similarity``): 1.0 equal; 0.9 nickname ("Andi"/"Andrei") or
   initial ("A."/"Andrei"); Jaro-Winkler ≥ 0.88 for spelling and transliteration variants; else 0.
   Tokens are aligned greedily, best pair first, each used once, so word order never matters.
3. **Score** = sum of aligned pair scores / (tokens of the shorter name + ``EXTRA_TOKEN_COST`` x each
   extra token of the longer name), when the shorter name is fully aligned and has two tokens or more (a
   missing middle name or second surname costs a little); otherwise the Dice coefficient
   2 x sum / (tokens a + tokens b), so a lone given name against a full name stays low and every
   unmatched or wrong token costs as much as a missing one. At least one aligned pair must be a full
   token (two letters or more): initials alone never match.
4. **Penalties** (subtracted, floor 0), only when both sides state the fact: birth years two or more
   apart -0.30, one year apart -0.15, same year but another day or month -0.10 (day and month swapped
   -0.05); countries differ -0.10. A perfect name with a different birth year falls below the default
   threshold; a perfect name with another country stays above it (country is often residence, not
   nationality).

Every score comes with its reasons ("word order", "initial a=andrei", "birth year differs by 3"), for
analysts; partners receive only the score and the method (exact / normalised / fuzzy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from graph.name_similarity import align
from graph.screening.models import Method
from nlp.identifiers import name_tokens

EXTRA_TOKEN_COST = 0.25
YEAR_FAR_PENALTY = 0.30
YEAR_NEAR_PENALTY = 0.15
DATE_PENALTY = 0.10
SWAPPED_DATE_PENALTY = 0.05
COUNTRY_PENALTY = 0.10

# Legal forms, written as their folded tokens run together ("S.R.L." -> "srl", "Sp. z o.o." -> "spzoo").
_LEGAL_FORMS = frozenset("""
    ltd limited llc llp lp plc inc incorporated corp corporation co coltd company cic
    gmbh ug ag kg ohg ev gbr mbh gmbhcokg
    srl srls sa spa sapa sas sarl snc sc sl slu sll
    bv nv vof cv
    spzoo sa spj spk sro as akc
    eood ood ead ad et
    ooo oao zao pao ao tov pp
    shpk shpkk
    doo dd kft zrt nyrt bt
    oy oyj ab aps
    pte sdn bhd pvt pty
    ltda eirl
""".split())
# Leading legal forms seen in Romanian ("S.C. ... S.R.L."), Russian/Ukrainian ("OOO ...", "TOV ...") names.
_LEADING_FORMS = frozenset({"sc", "ooo", "oao", "zao", "pao", "ao", "tov", "pp", "ip", "pt"})
_MAX_FORM_TOKENS = 4  # "sp z o o"


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name reduced once to what scoring and blocking read."""

    text: str
    tokens: tuple[str, ...]
    legal_form: str = ""  # folded legal form set aside, companies only

    @property
    def full_tokens(self) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if len(t) > 1)


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float  # after penalties
    name_score: float  # before penalties
    method: Method
    reasons: tuple[str, ...]


@lru_cache(maxsize=65_536)
def screening_tokens(name: str) -> tuple[str, ...]:
    """ASCII, folded tokens without titles; apostrophes inside a word do not split it."""
    ascii_name = anyascii(name)
    return tuple(name_tokens(re.sub(r"(?<=\w)['’`](?=\w)", "", ascii_name)))


def _strip_legal_forms(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """Remove legal forms at the end (and a few known at the start); keep at least one token."""
    forms: list[str] = []
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in range(min(_MAX_FORM_TOKENS, len(tokens) - 1), 0, -1):
            joined = "".join(tokens[-size:])
            if joined in _LEGAL_FORMS:
                forms.insert(0, joined)
                tokens = tokens[:-size]
                changed = True
                break
    for size in range(min(3, len(tokens) - 1), 0, -1):  # "S.C." is two tokens, "OOO" one
        joined = "".join(tokens[:size])
        if joined in _LEADING_FORMS:
            forms.insert(0, joined)
            tokens = tokens[size:]
            break
    return tokens, " ".join(forms)


def prepare(name: str, kind: str = "person") -> PreparedName:
    tokens = screening_tokens(name)
    if kind == "company":
        tokens, form = _strip_legal_forms(tokens)
        return PreparedName(name, tokens, form)
    return PreparedName(name, tokens)


def denominator(n_a: int, n_b: int, matched: int) -> float:
    """The divisor of the aligned total: see the module docstring (step 3)."""
    short, long_ = min(n_a, n_b), max(n_a, n_b)
    if matched == short and short >= 2:
        return short + EXTRA_TOKEN_COST * (long_ - short)
    return (n_a + n_b) / 2


def min_denominator(n_a: int, n_b: int) -> float:
    """The smallest divisor any alignment of these lengths can have: the basis of the index's bounds."""
    return min(denominator(n_a, n_b, min(n_a, n_b)), (n_a + n_b) / 2)


def name_score(query: PreparedName, flagged: PreparedName) -> tuple[float, Method, list[str]]:
    """Score two prepared names (no penalties); the method says how the names relate."""
    qa, fb = query.tokens, flagged.tokens
    if not qa or not fb:
        return 0.0, "fuzzy", ["no name tokens"]
    if query.text.strip() == flagged.text.strip():
        return 1.0, "exact", ["same name"]
    if sorted(qa) == sorted(fb):
        return 1.0, "normalised", ["same name" if qa == fb else "word order"]
    alignment = align(qa, fb)
    if not any(len(qa[i]) > 1 and len(fb[j]) > 1 for i, j, *_ in alignment.pairs):
        return 0.0, "fuzzy", ["no full name token in common"]
    reasons = [reason for *_, reason in alignment.pairs if reason]
    matched = len(alignment.pairs)
    extra = len(qa) + len(fb) - 2 * matched
    if extra:
        reasons.append(f"{extra} unmatched token(s)")
    score = alignment.total / denominator(len(qa), len(fb), matched)
    return round(min(score, 1.0), 4), "fuzzy", reasons


def _date_parts(value: str | None) -> tuple[int, int | None, int | None] | None:
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", value)
    if not match:
        return None
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def parse_birth_date(value: str | None) -> tuple[int, int | None, int | None] | None:
    """``(year, month, day)`` of an ISO 8601 date, year-month or year; ``None`` if absent or unreadable."""
    return _date_parts(value)


def penalties(query_birth: str | None, flagged_birth: str | None,
              query_country: str | None, flagged_country: str | None) -> tuple[float, list[str]]:
    """What a birth-date or country mismatch takes off the name score, with the reasons."""
    total = 0.0
    reasons: list[str] = []
    qd, fd = _date_parts(query_birth), _date_parts(flagged_birth)
    if qd and fd:
        gap = abs(qd[0] - fd[0])
        if gap >= 2:
            total += YEAR_FAR_PENALTY
            reasons.append(f"birth year differs by {gap}")
        elif gap == 1:
            total += YEAR_NEAR_PENALTY
            reasons.append("birth year differs by 1")
        elif None not in qd[1:] and None not in fd[1:] and qd[1:] != fd[1:]:
            swapped = qd[1:] == fd[:0:-1]
            total += SWAPPED_DATE_PENALTY if swapped else DATE_PENALTY
            reasons.append("birth day and month swapped" if swapped else "birth date differs in the same year")
        else:
            reasons.append("birth date agrees")
    if query_country and flagged_country:
        if query_country.strip().upper() != flagged_country.strip().upper():
            total += COUNTRY_PENALTY
            reasons.append("country differs")
        else:
            reasons.append("country agrees")
    return total, reasons


def score(query: PreparedName, flagged: PreparedName, *, query_birth: str | None = None,
          flagged_birth: str | None = None, query_country: str | None = None,
          flagged_country: str | None = None) -> NameScore:
    """The screening score of a query name against one flagged name, penalties included."""
    base, method, reasons = name_score(query, flagged)
    if base <= 0:
        return NameScore(0.0, 0.0, "fuzzy", tuple(reasons))
    if query.legal_form or flagged.legal_form:
        reasons.append("legal form ignored")
    cost, why = penalties(query_birth, flagged_birth, query_country, flagged_country)
    final = round(max(0.0, base - cost), 4)
    return NameScore(final, base, method, tuple(reasons + why))
