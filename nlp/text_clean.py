"""Invisible characters out before the pipeline, offsets back into the original text after it.

Why: zero-width and bidirectional-control characters (pasted from chat apps, or planted to dodge
filters) split "0722\u200b415\u200b386" into pieces no phone pattern matches and make "\u202eAndrei\u202c"
a token the model has never seen. They carry no meaning for extraction, so they are removed; every
offset Sightline reports still points into the text as it was submitted, so a caseworker's highlight and
the evidence span land on the right characters. Space and hyphen look-alikes are replaced one for one
(same length, no offset change): a no-break space between phone digit groups is still a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Zero-width, word joiner, BOM, bidi embeddings/overrides/isolates, LRM/RLM, soft hyphen, Mongolian vowel
# separator, and the Unicode "tag" characters.
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f\u00ad\u180e"
                          "\U000e0000-\U000e007f]")
_SAME_LENGTH = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ",
    "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
})


@dataclass(frozen=True, slots=True)
class CleanText:
    """``text`` without invisible characters; ``offsets[i]`` is where its character ``i`` was in the original
    (``None`` when nothing was removed, so the common case costs no list)."""

    text: str
    offsets: tuple[int, ...] | None

    def start(self, index: int) -> int:
        """Original offset of a span that starts at ``index`` in the clean text."""
        if self.offsets is None:
            return index
        return self.offsets[index] if index < len(self.offsets) else self._end_of_text()

    def end(self, index: int) -> int:
        """Original offset of a span that ends (exclusive) at ``index``: invisible characters inside the
        span are in it, those just after it are not."""
        if self.offsets is None:
            return index
        if index <= 0:
            return self.offsets[0] if self.offsets else 0
        return self.offsets[index - 1] + 1

    def _end_of_text(self) -> int:
        return (self.offsets[-1] + 1) if self.offsets else 0


def clean(text: str) -> CleanText:
    replaced = text.translate(_SAME_LENGTH)
    if not INVISIBLE_RE.search(replaced):
        return CleanText(replaced, None)
    chars: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(replaced):
        if not INVISIBLE_RE.match(c):
            chars.append(c)
            offsets.append(i)
            continue
        # Between a letter and a digit an invisible character was the only thing keeping two words apart
        # ("386\u200bAndrei"): it becomes a space there; inside a word or a number it simply goes.
        following = next((n for n in replaced[i + 1 : i + 8] if not INVISIBLE_RE.match(n)), "")
        if chars and following and chars[-1].isalnum() and following.isalnum() \
                and chars[-1].isdigit() != following.isdigit():
            chars.append(" ")
            offsets.append(i)
    return CleanText("".join(chars), tuple(offsets))
