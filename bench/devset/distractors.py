"""Distractors: digit-bearing strings that are not phone numbers, put in texts to tempt a phone finder.

Times, case and file numbers, reference numbers grouped like phone numbers, SSNs, passport and ID
numbers, postcodes, plates, order numbers, IMEIs, SIM serials, bank account numbers, amounts without
a currency, statutes. None of the strings made here is a gold span; the record lists each under
``distractors`` with its kind, so that false phone matches can be counted by kind.
"""

from __future__ import annotations

import random
import re

from devset.money_amounts import draw_amount, group_thousands
from devset.places import local_postcode
from devset.render_context import TextContext


def _digits(rng: random.Random, n: int) -> str:
    """``n`` random digits, leading zeros allowed."""
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def _number_of_length(rng: random.Random, n: int) -> str:
    """An ``n``-digit number (no leading zero)."""
    return str(rng.randint(1, 9)) + _digits(rng, n - 1)


def make_distractor(ctx: TextContext, kind: str) -> str:
    """The string for a {d:kind} token; unknown kinds raise KeyError."""
    rng, fk, code = ctx.rng, ctx.fake, ctx.loc.code
    if kind == "time":
        h, mi = rng.randint(0, 23), rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50, 55, 12, 37))
        h12 = h % 12 or 12
        ap = "am" if h < 12 else "pm"
        return rng.choice((f"{h:02d}:{mi:02d}", f"{h12}.{mi:02d}{ap}", f"{h:02d}h{mi:02d}", f"{h12}:{mi:02d} {ap[0]}.m.",
                           f"{h:02d}{mi:02d} hrs", f"{h12}{ap}", f"{h}:{mi:02d}", f"{h12}:{mi:02d}{ap.upper()}"))
    if kind == "case":
        yy = rng.randint(15, 24)
        return rng.choice((
            f"{rng.randint(1, 9)}:{yy}-cr-{_digits(rng, 5)}", f"{rng.randint(1, 6)}:{yy}-mj-{_digits(rng, 5)}",
            f"{rng.randint(10, 99)}/{_number_of_length(rng, 6)}/{yy}", f"20{yy}/{_digits(rng, 4)}",
            f"CR-20{yy}-{_digits(rng, 6)}", f"{_number_of_length(rng, 3)} Js {_number_of_length(rng, 5)}/{yy}",
            f"II K {_number_of_length(rng, 3)}/{yy}", f"{_number_of_length(rng, 5)}/20{yy}",
            f"{yy}-{_digits(rng, 3)}-{_digits(rng, 4)}", f"T20{yy}{_digits(rng, 4)}",
            f"{_number_of_length(rng, 2)}-{_digits(rng, 7)}-{yy}"))
    if kind == "ref":                     # digit groups that look like phone numbers
        pats = ("### ### ####", "####-###-###", "## #### ####", "#### ####", "###-###-###", "####### ##",
                "0### #### ####", "(###) ###-####", "### ## ## ##", "#### ### ###", "##-####-####",
                "###.###.####", "0#-##-##-##-##", "### #### ###")
        pat = rng.choice(pats)
        return "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in pat)
    if kind == "ssn":
        return f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{_digits(rng, 4)}"
    if kind == "passport":
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        return rng.choice((_number_of_length(rng, 9), rng.choice(letters) + _digits(rng, 8),
                           rng.choice(letters) + rng.choice(letters) + _digits(rng, 7),
                           f"C{rng.choice(letters)}{_digits(rng, 2)}{rng.choice(letters)}{_digits(rng, 4)}",
                           _number_of_length(rng, 8), f"P{_digits(rng, 7)}{rng.choice(letters)}"))
    if kind == "natid":
        try:
            return re.sub(r"\s+", " ", fk.ssn()).strip()
        except (AttributeError, TypeError, ValueError):
            return _number_of_length(rng, 11)
    if kind == "aadhaar":
        return f"{_number_of_length(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)}"
    if kind == "postcode":
        return local_postcode(ctx)
    if kind == "plate":
        try:
            return ctx.transliterate(fk.license_plate())
        except AttributeError:
            return f"{_number_of_length(rng, 3)} {_digits(rng, 4)}"
    if kind == "order":
        return rng.choice((f"#{_number_of_length(rng, 9)}", f"ORD-20{rng.randint(18, 24)}-{_digits(rng, 6)}",
                           f"{_number_of_length(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}", f"INV{_digits(rng, 8)}",
                           _number_of_length(rng, 10), f"{_number_of_length(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)}"))
    if kind == "age":
        return str(rng.randint(15, 46))
    if kind == "pct":
        p = rng.choice((5, 10, 15, 20, 25, 30, 40, 50, 60, 70))
        return rng.choice((f"{p}%", f"{p} per cent", f"{p} %", f"{p} percent"))
    if kind in ("amount", "amounts"):
        n = draw_amount(rng, "S" if kind == "amounts" else rng.choice("SML"))
        return rng.choice((group_thousands(n, ","), group_thousands(n, " "), group_thousands(n, "."), str(n)))
    if kind == "imei":
        d = _number_of_length(rng, 15)
        return d if rng.random() < 0.6 else f"{d[:2]}-{d[2:8]}-{d[8:14]}-{d[14]}"
    if kind == "iccid":
        d = "89" + _digits(rng, 17)
        return d if rng.random() < 0.5 else " ".join(d[i:i + 4] for i in range(0, len(d), 4))
    if kind == "acct":
        return _digits(rng, 8)
    if kind == "sort":
        return f"{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
    if kind == "badge":
        return rng.choice((_number_of_length(rng, 4), _number_of_length(rng, 5),
                           f"{_number_of_length(rng, 2)} {_digits(rng, 3)}"))
    if kind == "room":
        return str(rng.choice((rng.randint(1, 30), rng.randint(101, 450))))
    if kind == "num":
        return str(rng.randint(2, 14))
    if kind == "num4":
        return _digits(rng, 4)
    if kind == "flight":
        return f"{rng.choice(('LH', 'TK', 'W6', 'FR', 'BA', 'VN', 'QR', 'EK', 'PR'))} {rng.randint(100, 9999)}"
    if kind == "statute":
        if code == "en_US":
            return f"18 U.S.C. § {rng.choice((1589, 1590, 1591, 1594, 2421, 2422))}"
        if code in ("en_GB", "en_IE"):
            return f"section {rng.choice((1, 2, 4))} of the Modern Slavery Act"
        if code in ("de_DE", "de_AT", "de_CH"):
            return f"§ {rng.choice(('232', '232a', '232b', '233', '233a', '104a'))} StGB"
        return f"article {rng.choice((189, 210, 211, 225, 303, 600, 601))} of the Criminal Code"
    raise KeyError(kind)
