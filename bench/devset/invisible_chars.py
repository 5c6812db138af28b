"""Zero-width and bidirectional control characters, the "invisible" hard case.

Scraped adverts and pasted chat logs hide these inside names and phone numbers, so some texts carry
them (``devset.hard_cases``). Gold values and word counts are computed as if they were not there.
"""

from __future__ import annotations

import re

INVISIBLES: tuple[str, ...] = (
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
)
INVISIBLE_RE = re.compile("[" + "".join(INVISIBLES) + "]")


def strip_invisible(text: str) -> str:
    """The text a reader sees: every invisible character removed."""
    return INVISIBLE_RE.sub("", text)


def visible_word_count(text: str) -> int:
    """Whitespace-separated words of the visible text; the 20-90 word bounds are checked on this."""
    return len(strip_invisible(text).split())
