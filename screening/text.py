"""Text from partners' systems made comparable: mojibake repaired before anything is compared.

A customer file that went through one wrong conversion holds "MÃ¼ller" for "Müller" and "ÅžtefÄƒnescu"
for "Ştefănescu": UTF-8 bytes read as Windows-1252 or Latin-1. Folded to ASCII those would become
"mauller" and never match. ``repair`` undoes such a round trip with ftfy's ``fix_encoding``, which only
changes text when the result is far more plausible than the input (it leaves "naïve café" and "Côte
d’Ivoire" alone), so it is safe on text that is already right. ASCII text cannot be mojibake and is
returned as it is, which keeps the common case free.
"""

from __future__ import annotations

from functools import lru_cache

import ftfy


@lru_cache(maxsize=65_536)
def _fixed(text: str) -> str:
    return str(ftfy.fix_encoding(text))


def repair(text: str) -> str:
    """``text`` with mojibake undone (see the module docstring); unchanged if it is plain or already right."""
    if text.isascii():
        return text
    return _fixed(text)


def was_repaired(text: str) -> bool:
    """Whether ``repair`` changes ``text``: for a warning that the value was read as mojibake."""
    return not text.isascii() and _fixed(text) != text
