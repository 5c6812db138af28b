"""Dates: word dates, numeric dates, birth dates, years and periods ("three months").

Annotation rules (data/eval/ANNOTATION.md): DATE covers word dates, numeric dates, years and periods.
Numeric dates and years are also listed as distractors, being digits a phone finder could take. Within
a text, numeric dates and years run forward and numeric dates share one format.
"""

from __future__ import annotations

import random

from devset.render_context import Segment, TextContext

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
NUM_WORDS = ("two", "three", "four", "five", "six", "eight", "ten", "eighteen")


def _ordinal(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _random_ymd(rng: random.Random) -> tuple[int, int, int]:
    """A day in 2015-2024; days stop at 28 so that every month has them."""
    return rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)


def word_date(rng: random.Random) -> str:
    """A date in words, in one of the English orders ("3 March 2019", "March 3rd", "Mar. 3, 2019")."""
    y, m, d = _random_ymd(rng)
    mon = MONTHS[m - 1]
    short = mon[:3] + ("." if rng.random() < 0.4 and mon != "May" else "")
    opts = (f"{d} {mon} {y}", f"{mon} {d}, {y}", f"{_ordinal(d)} {mon} {y}", f"{d} {mon}", f"{mon} {d}",
            f"{_ordinal(d)} of {mon}", f"{mon} {y}", f"{d} {short} {y}", f"{short} {d}, {y}", f"{mon} {_ordinal(d)}")
    return rng.choice(opts)


def numeric_date(rng: random.Random, floor: tuple[int, int, int] | None = None) -> tuple[int, int, int]:
    """A (year, month, day) after ``floor`` when given, so that the dates of one text run forward."""
    y, m, d = _random_ymd(rng)
    if floor and (y, m, d) <= floor:
        y, m, d = min(floor[0] + rng.randint(0, 1), 2024), rng.randint(1, 12), rng.randint(1, 28)
        if (y, m, d) <= floor:
            y, m, d = floor[0], floor[1], min(floor[2] + rng.randint(1, 9), 28)
            if (y, m, d) <= floor:
                y, m, d = floor[0] + 1, 1, rng.randint(1, 28)
    return y, m, d


_NUMERIC_FORMATS = (
    "{d:02d}/{m:02d}/{y}", "{y}-{m:02d}-{d:02d}", "{d:02d}.{m:02d}.{yy:02d}", "{d}.{m}.{y}", "{d:02d}-{m:02d}-{y}",
    "{d}/{m}/{yy:02d}", "{d:02d}.{m:02d}.{y}",
)
_US_FORMATS = ("{m}/{d}/{y}", "{m:02d}/{d:02d}/{y}", "{m}/{d}/{yy:02d}")


def _format_numeric_date(ctx: TextContext, y: int, m: int, d: int) -> str:
    """One numeric date format per text (chosen at first use), in the locale's habits."""
    if ctx.date_format is None:
        pool = _US_FORMATS if ctx.loc.code == "en_US" and ctx.rng.random() < 0.6 else _NUMERIC_FORMATS
        ctx.date_format = ctx.rng.choice(pool)
    return ctx.date_format.format(d=d, m=m, y=y, yy=y % 100)


def _numeric_date_segment(ctx: TextContext, y: int, m: int, d: int) -> list[Segment]:
    return [Segment(_format_numeric_date(ctx, y, m, d), "DATE", kind="numeric_date")]


def render_date(ctx: TextContext, name: str, arg: str) -> list[Segment]:
    """{DATE} in words, {NDATE} numeric (after the previous one), {DOB}, {YEAR}, {PERIOD} / {PERIOD:long}."""
    rng = ctx.rng
    if name == "DATE":
        return [Segment(word_date(rng), "DATE")]
    if name == "NDATE":
        y, m, d = numeric_date(rng, ctx.last_date)
        ctx.last_date = (y, m, d)
        return _numeric_date_segment(ctx, y, m, d)
    if name == "DOB":
        y, m, d = rng.randint(1968, 2007), rng.randint(1, 12), rng.randint(1, 28)
        return _numeric_date_segment(ctx, y, m, d)
    if name == "YEAR":
        lo = ctx.last_year or 2008
        year = rng.randint(lo, min(lo + 4, 2024)) if ctx.last_year else rng.randint(2008, 2021)
        ctx.last_year = year
        return [Segment(str(year), "DATE", kind="year")]
    if name == "PERIOD":
        units = ("months", "years", "months") if arg == "long" else ("months", "weeks", "years", "months", "days")
        unit = rng.choice(units)
        n = rng.choice(NUM_WORDS) if rng.random() < 0.7 else str(rng.randint(2, 18))
        return [Segment(f"{n} {unit}", "DATE")]
    raise KeyError(name)

