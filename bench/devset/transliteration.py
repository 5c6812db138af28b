"""Latin spellings for Bulgarian and Greek names, and ASCII folding for e-mail addresses.

Most texts in the evaluation set are English reports about people from these locales, and such
reports spell names in Latin letters ("Petrov", "Papadopoulos"). Faker returns them in Cyrillic or
Greek, so the generator transliterates them (and keeps the native script in a minority of texts,
see ``TextContext.native_script``). E-mail local parts and hosts need plain ASCII letters.
"""

from __future__ import annotations

import re
import unicodedata

_BULGARIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a",
    "ь": "y", "ю": "yu", "я": "ya",
}
_GREEK_DIGRAPHS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "αυ": "av", "ευ": "ev", "μπ": "mp",
                   "ντ": "nt", "γκ": "gk", "γγ": "ng", "θ": "th", "χ": "ch", "ψ": "ps"}
_GREEK = {"α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "ι": "i", "κ": "k",
          "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s",
          "τ": "t", "υ": "y", "φ": "f", "ω": "o"}


def _transliterate_word(word: str, table: dict[str, str], digraphs: dict[str, str] | None = None) -> str:
    """Transliterate one word, keeping its capitalisation (Title or ALL CAPS)."""
    if not word:
        return word
    nfd = unicodedata.normalize("NFD", word)
    base = "".join(ch for ch in nfd if not unicodedata.combining(ch))
    low = base.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        if digraphs and low[i:i + 2] in digraphs:
            out.append(digraphs[low[i:i + 2]])
            i += 2
            continue
        ch = low[i]
        if digraphs and ch in digraphs:
            out.append(digraphs[ch])
        else:
            out.append(table.get(ch, ch))
        i += 1
    res = "".join(out)
    if base[:1].isupper():
        if base.isupper() and len(base) > 1:
            return res.upper()
        res = res[:1].upper() + res[1:]
    return res


def transliterate_to_latin(text: str, locale: str) -> str:
    """Latin spelling of ``text`` for bg_BG and el_GR; every other locale is returned unchanged."""
    if locale == "bg_BG":
        table, digraphs = _BULGARIAN, None
    elif locale == "el_GR":
        table, digraphs = _GREEK, _GREEK_DIGRAPHS
    else:
        return text
    return re.sub(r"[^\W\d_]+", lambda m: _transliterate_word(m.group(0), table, digraphs), text)


_ASCII_FOLDS = {"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d",
                "Đ": "D", "ı": "i", "œ": "oe", "þ": "th", "ð": "d"}


def ascii_fold(text: str) -> str:
    """Drop accents and map letters NFKD cannot decompose (ł, ß, ø, ...); anything else non-ASCII goes."""
    text = "".join(_ASCII_FOLDS.get(c, c) for c in text)
    nfd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfd if not unicodedata.combining(c) and ord(c) < 128)
