"""Classify an organisation as platform, authority, support service, business or other.

Analysis must not treat "both met their recruiter on Facebook" or "both were interviewed by the same
police unit" as a social tie, or every network would merge into one. The keyword lists are data
(``data/organisation_kinds.json``) so that a deployment can extend them without touching code.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from nlp.identifiers import fold

NON_NETWORK_KINDS = frozenset({"platform", "authority", "support"})


@lru_cache(maxsize=1)
def _keywords() -> list[tuple[str, re.Pattern[str]]]:
    raw = json.loads(resources.files("graph").joinpath("data/organisation_kinds.json").read_text(encoding="utf-8"))
    out = []
    for kind, words in raw.items():
        if kind.startswith("_"):
            continue
        alternation = "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
        out.append((kind, re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])")))
    return out


def organisation_kind(name: str, source: str = "") -> str:
    """``platform``, ``authority`` or ``support`` by keyword; else ``business`` when found by a business cue."""
    folded = fold(name)
    for kind, pattern in _keywords():
        if pattern.search(folded):
            return kind
    if source.startswith("rule:business"):
        return "business"
    if source == "rule:platform":
        return "platform"
    return "other"
