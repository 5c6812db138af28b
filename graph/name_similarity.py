"""How alike two personal names are, as a documented score in [0, 1] with the reason behind it.

Names in narratives vary in case, accents, script, word order, initials, nicknames and spelling. The
score compares tokens, not strings, so that each of those variations costs what it should:

1. Both names are transliterated to ASCII (``anyascii``) and folded (case, accents); titles are dropped.
2. Tokens are aligned greedily, best pair first, each token used once. A pair scores
   1.0 when equal; 0.9 when one is a known nickname of the other (``data/nicknames.json``) or an initial
   of it ("A." and "Andrei"); otherwise its Jaro-Winkler similarity when that is at least 0.88
   (a typo or transliteration: "Muntianu" / "Munteanu"); else 0.
3. The score is ``2 * sum(pair scores) / (tokens in a + tokens in b)`` (a Dice coefficient over tokens),
   so a missing surname costs as much as a wrong one: "Florin" against "Florin Dobre" scores 0.67.

Screening (issue 6) and resolution use the same function, so an analyst sees one notion of "same name".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jellyfish
from anyascii import anyascii

from nlp.identifiers import name_tokens

JARO_WINKLER_FLOOR = 0.88
NICKNAME_SCORE = 0.9
INITIAL_SCORE = 0.9


@dataclass(frozen=True, slots=True)
class NameMatch:
    score: float
    reason: str  # e.g. "same tokens", "word order", "nickname andi=andrei", "typo munteanu~muntianu"


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Map every given name and short form to the set of names it may stand for (both directions)."""
    raw = json.loads(resources.files("graph").joinpath("data/nicknames.json").read_text(encoding="utf-8"))
    groups: dict[str, set[str]] = {}
    for full, shorts in raw.items():
        if full.startswith("_"):
            continue
        for short in shorts:
            groups.setdefault(full, set()).add(short)
            groups.setdefault(short, set()).add(full)
    return {k: frozenset(v) for k, v in groups.items()}


@lru_cache(maxsize=65536)
def tokens(name: str) -> tuple[str, ...]:
    """ASCII, folded name tokens without titles: the unit every comparison works on."""
    return tuple(name_tokens(anyascii(name)))


def nickname_groups() -> dict[str, frozenset[str]]:
    """Every folded given name or short form, with the names it may stand for."""
    return _nicknames()


def nicknames(token: str) -> frozenset[str]:
    """The given names a folded token may be a short form of, or the short forms it may stand for."""
    return _nicknames().get(token, frozenset())


@lru_cache(maxsize=262_144)  # screening compares the same few thousand token pairs over and over
def token_similarity(a: str, b: str) -> tuple[float, str]:
    """Score two folded tokens as one name part, with the variation forgiven (empty when equal or none)."""
    if a == b:
        return 1.0, ""
    if b in _nicknames().get(a, ()):
        return NICKNAME_SCORE, f"nickname {a}={b}"
    if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return INITIAL_SCORE, f"initial {a}={b}"
    jw = jellyfish.jaro_winkler_similarity(a, b)
    if jw >= JARO_WINKLER_FLOOR and min(len(a), len(b)) >= 3:
        return jw, f"spelling {a}~{b}"
    return 0.0, ""


@dataclass(frozen=True, slots=True)
class Alignment:
    """Token pairs ``(i, j, score, reason)`` chosen best first, each token used at most once."""

    pairs: tuple[tuple[int, int, float, str], ...]
    total: float


def align(ta: tuple[str, ...], tb: tuple[str, ...],
          similarity: Callable[[str, str], tuple[float, str]] = token_similarity) -> Alignment:
    """Pair the tokens of two names greedily, best pair first (ties: earlier tokens first)."""
    scored = sorted(((s, r, i, j) for i, x in enumerate(ta) for j, y in enumerate(tb)
                     for s, r in (similarity(x, y),) if s > 0), key=lambda t: (-t[0], t[2], t[3]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int, float, str]] = []
    for score, reason, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j, score, reason))
    return Alignment(tuple(pairs), sum(p[2] for p in pairs))


def compare(a: str, b: str) -> NameMatch:
    """Score two names; ``reason`` lists the variations that were forgiven."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return NameMatch(0.0, "no name tokens")
    if sorted(ta) == sorted(tb):
        return NameMatch(1.0, "same name" if ta == tb else "word order")
    alignment = align(ta, tb)
    value = round(2 * alignment.total / (len(ta) + len(tb)), 4)
    reasons = [reason for *_, reason in alignment.pairs if reason]
    missing = (len(ta) + len(tb)) - 2 * len(alignment.pairs)
    if missing:
        reasons.append(f"{missing} unmatched token(s)")
    return NameMatch(value, ", ".join(reasons) or "same name")


def blocking_keys(name: str) -> set[str]:
    """Keys under which a name is indexed so that candidates are found without scanning everyone.

    Each token, its first four letters, its Metaphone code and the names it may be a nickname of: a typo
    late in a word keeps the prefix, one early in it usually keeps the sound.
    """
    keys: set[str] = set()
    for token in tokens(name):
        if len(token) == 1:
            continue
        keys.add(f"t:{token}")
        keys.add(f"m:{jellyfish.metaphone(token)}")
        if len(token) > 4:
            keys.add(f"p:{token[:4]}")
        for other in _nicknames().get(token, ()):
            keys.add(f"t:{other}")
    return keys
