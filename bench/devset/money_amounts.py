"""Money: amounts of the sizes these cases mention, written the way each locale writes currency.

Annotation rules (data/eval/ANNOTATION.md): MONEY needs a currency, so every amount here carries a
symbol, code or currency word. Bare amounts without a currency are distractors drawn from the same
sizes (``devset.distractors``).
"""

from __future__ import annotations

import random

from devset.render_context import Segment, TextContext


def draw_amount(rng: random.Random, size: str) -> int:
    """An amount: "S" a day's or week's pay or a price, "L" a debt or a total, anything else in between."""
    if size == "S":
        return rng.choice((40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900))
    if size == "L":
        return rng.choice((rng.randrange(10, 300) * 1000, rng.randrange(100, 900) * 250, rng.randrange(12, 99) * 1000 + 500))
    return rng.choice((rng.randrange(10, 100) * 100, rng.randrange(1, 10) * 1000, rng.randrange(100, 999) * 10))


def group_thousands(n: int, sep: str) -> str:
    """``n`` with ``sep`` between groups of three digits (12,500 / 12.500 / 12 500 / 12'500)."""
    return f"{n:,}".replace(",", sep)


def _group_indian(n: int) -> str:
    """Indian digit grouping: the last three digits, then groups of two (12,34,500)."""
    s = str(n)
    if len(s) <= 3:
        return s
    head, tail = s[:-3], s[-3:]
    parts = []
    while len(head) > 2:
        parts.insert(0, head[-2:])
        head = head[:-2]
    if head:
        parts.insert(0, head)
    return ",".join(parts) + "," + tail


def _in_thousands(symbol: str, n: int, grouped: str) -> str:
    """Round thousands in the "$5k" shorthand of adverts; other amounts written out."""
    return f"{symbol}{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{symbol}{grouped}"


def format_money(ctx: TextContext, size: str) -> str:
    """An amount of ``size`` in the locale's money style (``LocaleProfile.money``), or in USD/EUR/GBP."""
    rng = ctx.rng
    n = draw_amount(rng, size)
    style = ctx.loc.money
    if rng.random() < 0.12:               # foreign currency, common in these cases
        style = rng.choice(("usd", "eur_ie", "gbp"))
    c, d, s = group_thousands(n, ","), group_thousands(n, "."), group_thousands(n, " ")
    swiss = group_thousands(n, "'")
    dong = n * 1000 if n < 100000 else n
    opts = {
        "usd": (f"${c}", f"${c}.00", f"{c} dollars", f"USD {c}", f"US${c}", _in_thousands("$", n, c)),
        "gbp": (f"£{c}", f"£{c}.00", f"{c} pounds", f"GBP {c}", _in_thousands("£", n, c)),
        "cad": (f"${c}", f"C${c}", f"CAD {c}", f"{c} dollars"),
        "aud": (f"${c}", f"A${c}", f"AUD {c}", f"{c} dollars"),
        "eur_ie": (f"€{c}", f"€{c}", f"{c} euro", f"EUR {c}", f"{c} euros"),
        "eur_fr": (f"{s} €", f"{s} euros", f"€{c}", f"EUR {c}", f"{s} EUR"),
        "eur_de": (f"{d} €", f"{d} Euro", f"EUR {d}", f"€{c}", f"{d},00 €"),
        "eur_it": (f"{d} €", f"€{c}", f"{d} euros", f"€ {d}", f"EUR {d}"),
        "eur_nl": (f"€ {d}", f"€{c}", f"EUR {d}", f"{d} euro", f"€ {d},-"),
        "eur_gr": (f"{d} €", f"€{c}", f"{c} euros", f"EUR {d}"),
        "chf": (f"CHF {swiss}", f"CHF {c}", f"{c} Swiss francs", f"Fr. {swiss}.-"),
        "pln": (f"{s} zł", f"PLN {c}", f"{c} zloty", f"{s} PLN"),
        "ron": (f"{d} lei", f"RON {c}", f"{c} lei", f"{s} RON"),
        "bgn": (f"{c} leva", f"BGN {c}", f"{s} лв." if ctx.native_script else f"{s} lv.", f"{c} lev"),
        "czk": (f"{s} Kč", f"CZK {c}", f"{c} crowns", f"{s},- Kč"),
        "huf": (f"{s} Ft", f"HUF {c}", f"{c} forints", f"{d} Ft"),
        "try": (f"{d} TL", f"₺{d}", f"TRY {c}", f"{c} lira"),
        "sek": (f"{s} kr", f"SEK {c}", f"{c} kronor", f"{s} SEK"),
        "dkk": (f"{d} kr.", f"DKK {c}", f"{c} kroner", f"kr. {d}"),
        "inr": (f"₹{_group_indian(n)}", f"Rs {_group_indian(n)}", f"Rs. {c}", f"INR {c}", f"{c} rupees"),
        "php": (f"₱{c}", f"PHP {c}", f"{c} pesos", f"P{c}"),
        "mxn": (f"${c} MXN", f"MXN {c}", f"{c} pesos", f"${c} pesos"),
        "brl": (f"R$ {d}", f"R${d},00", f"BRL {c}", f"{c} reais"),
        "vnd": (f"{group_thousands(dong, '.')} VND", f"{group_thousands(dong, ',')} dong", f"USD {c}"),
    }
    return rng.choice(opts[style])


def render_money(ctx: TextContext, name: str, arg: str) -> list[Segment]:
    """{MONEYS} small, {MONEY} medium, {MONEYL} large; also listed as a distractor, being digits a phone
    finder could take.
    """
    size = {"MONEYS": "S", "MONEYL": "L"}.get(name, "M")
    return [Segment(format_money(ctx, size), "MONEY", kind="money")]
