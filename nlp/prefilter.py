"""Literal prefilter for regular expressions: skip a regex when text cannot contain a match.

Why: the indicator cues are ~120 case-insensitive regexes run over every sentence, and running them
cost about as much as the rest of the fact extraction together. Almost every cue needs some literal
word ("passport", "debt", "lock") that most sentences do not contain, and a substring test is far
cheaper than a regex scan. ``required_literals`` reads the literals a pattern cannot match without
from the pattern's own parse tree, so the prefilter follows the data file and never needs editing.

The test is sound: it may let a text through that the regex then rejects, but it never rejects a text
the regex would match. Literals are compared lower-cased against lower-cased text. That is exact for
ASCII; the only non-ASCII characters Python's ``re`` matches case-insensitively against ASCII letters
are the four listed in the ``re`` documentation (under ``re.IGNORECASE``), and a text containing any of
them is not prefiltered at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from re import _constants as sre  # noqa: PLC2701  (the parse-tree opcodes; stable since Python 3.11)
from re import _parser as sre_parse  # noqa: PLC2701

Literals = frozenset[str] | None  # None: nothing is known to be required, always run the regex

# 'İ' U+0130, 'ı' U+0131, 'ſ' U+017F and the Kelvin sign U+212A: see "re.IGNORECASE" in the re docs.
_ASCII_LOOKALIKES_RE = re.compile("[\u0130\u0131\u017f\u212a]")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_literals(pattern: re.Pattern[str]) -> Literals:
    """Lower-cased strings of which every match of ``pattern`` contains at least one, or None."""
    try:
        return _required(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # an unfamiliar construct only costs the prefilter, never a match
        return None


def prefilterable(text: str) -> bool:
    """Whether ``text.lower()`` may stand in for ``text``: then it is also exactly as long, character for
    character (U+0130 is the only character whose lower case is longer, and it is excluded here)."""
    return _ASCII_LOOKALIKES_RE.search(text) is None


def regions_containing(literals: Literals, lowered: str, starts: list[int], ends: list[int],
                       found: dict[str, set[int]]) -> set[int] | None:
    """Indexes of the regions (sorted, disjoint ``starts[k]``-``ends[k]`` character ranges of the text
    ``lowered`` was made from) that contain one of ``literals``; None when every region must be tried.
    ``found`` caches the answer per literal for one text, since cues share literals."""
    if literals is None:
        return None
    regions: set[int] = set()
    for literal in literals:
        if literal not in found:
            hits: set[int] = set()
            position = lowered.find(literal)
            while position != -1:  # every occurrence, overlapping ones too
                k = bisect_right(starts, position) - 1
                if k >= 0 and position + len(literal) <= ends[k]:
                    hits.add(k)
                position = lowered.find(literal, position + 1)
            found[literal] = hits
        regions |= found[literal]
    return regions


def _required(items: sre_parse.SubPattern | list) -> Literals:
    """Each mandatory piece of a sequence is a sufficient requirement on its own; keep the most selective."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is sre.LITERAL and arg < 128:
            run.append(chr(arg).lower())
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        sub: Literals = None
        if op is sre.SUBPATTERN:
            sub = _required(arg[3])
        elif op is sre.ATOMIC_GROUP:
            sub = _required(arg)
        elif op is sre.BRANCH:
            alternatives = [_required(branch) for branch in arg[1]]
            if all(alternatives):
                sub = frozenset().union(*alternatives)
        elif op in _REPEATS and arg[0] >= 1:
            sub = _required(arg[2])
        # anything else (classes, boundaries, lookarounds, optional parts) requires nothing we can use
        if sub:
            options.append(sub)
    if run:
        options.append(frozenset({"".join(run)}))
    if not options:
        return None
    return max(options, key=lambda option: (min(map(len, option)), -len(option)))
