"""Dates of birth as partners' systems write them, read into a partial date and compared at their precision.

``read_date`` accepts, after a trailing time of day is dropped ("1980-01-12 00:00:00" is how an Excel
date cell reads as text):

- ``YYYY``, ``YYYY-M`` and ``YYYY-M-D`` (``-``, ``/`` or ``.`` between the parts; one or two digits for
  month and day: "1982-9-26"), and ``YYYYMMDD``;
- ``D/M/YYYY`` and ``M/D/YYYY`` (also with ``-``) when the order is unambiguous: one of the two numbers is
  above 12, or both are equal. "03/04/1980" is refused rather than guessed: the same file may hold
  American and European rows, and a wrong guess is a wrong date. ``D.M.YYYY`` is read day first, the only
  order written with dots;
- ``MM/YYYY``;
- a month by name: "12 Jan 1980", "12-January-1980", "Jan 12, 1980", "12th of March 1980", "Jan 1980".

A date must be a real one (no 31 February), with a four-digit year from ``EARLIEST_YEAR`` to this year and
not in the future. Whatever fails raises ``DateProblem`` with a message that says what was wrong and never
repeats the value. Partial dates stay partial: a year only is ``(1980, None, None)``, and ``compare`` only
compares the parts both sides state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

EARLIEST_YEAR = 1850
MAX_LENGTH = 40

_TIME = re.compile(r"[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(z|[+-]\d{2}:?\d{2})?$")
_YMD = re.compile(r"(\d{4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2}))?)?")
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_COMPACT = re.compile(r"((?:18|19|20)\d{2})(\d{2})(\d{2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})")
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}")
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
    ("nov", "november"), ("dec", "december")), start=1) for name in names}
_WORD_DATE = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+)?([a-z]+)\s+(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(\d{4})")

PartialDate = tuple[int, int | None, int | None]


class DateProblem(ValueError):
    """A value that is not a readable date of birth; the message never contains the value."""


def _checked(year: int, month: int | None, day: int | None) -> PartialDate:
    today = date.today()
    if not EARLIEST_YEAR <= year <= today.year:
        raise DateProblem(f"the year is outside {EARLIEST_YEAR} to {today.year}")
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise DateProblem("not a real date (the month or day is out of range)") from None
    if (year, month or 1, day or 1) > (today.year, today.month, today.day):
        raise DateProblem("the date is in the future")
    return year, month, day


def _day_month(first: int, second: int, separator: str) -> tuple[int, int]:
    """``(day, month)`` from ``first/second``: dots are day first; otherwise only when unambiguous."""
    if separator == "." or first > 12 or first == second:
        return first, second
    if second > 12:
        return second, first
    raise DateProblem("day and month cannot be told apart (both are 12 or less); write it as YYYY-MM-DD")


def read_date(text: str) -> PartialDate:
    """``(year, month or None, day or None)`` of a date of birth written in any accepted form."""
    value = " ".join(text.strip().replace(",", " ").split()).lower()
    if not value:
        raise DateProblem("empty")
    if len(value) > MAX_LENGTH:
        raise DateProblem(f"longer than {MAX_LENGTH} characters")
    value = _TIME.sub("", value).strip()
    if match := _YMD.fullmatch(value):
        year, _, month, day = match.groups()
        return _checked(int(year), int(month) if month else None, int(day) if day else None)
    if match := _COMPACT.fullmatch(value):
        return _checked(*(int(g) for g in match.groups()))
    if match := _DMY.fullmatch(value):
        first, separator, second, year = match.groups()
        day, month = _day_month(int(first), int(second), separator)
        return _checked(int(year), month, day)
    if match := _MONTH_YEAR.fullmatch(value):
        return _checked(int(match.group(2)), int(match.group(1)), None)
    if match := _WORD_DATE.fullmatch(value.replace("-", " ").replace(".", " ").replace("/", " ")):
        before, word, after, year = match.groups()
        month = _MONTHS.get(word)
        if month is None or (before and after):
            raise DateProblem("not a date in a known format")
        day = before or after
        return _checked(int(year), month, int(day) if day else None)
    if _TWO_DIGIT_YEAR.fullmatch(value):
        raise DateProblem("a two-digit year is ambiguous; write the year in full")
    raise DateProblem("not a date in a known format (YYYY-MM-DD, D/M/YYYY, 12 Jan 1980, a year, ...)")


def iso(parts: PartialDate) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the form the index stores and compares."""
    year, month, day = parts
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def iso_date(text: str) -> str:
    """``read_date`` written as ISO 8601 at the precision it was given; raises ``DateProblem``."""
    return iso(read_date(text))


def parse_iso(value: str | None) -> PartialDate | None:
    """A stored ISO date (or anything ``read_date`` reads) as parts; ``None`` when absent or unreadable."""
    if not value:
        return None
    try:
        return read_date(value)
    except DateProblem:
        return None


Relation = Literal["agrees", "swapped", "same_year", "years_apart"]


@dataclass(frozen=True, slots=True)
class DateComparison:
    """How two dates relate, at the precision both state: ``precision`` is what agreed ("day", "month",
    "year"); ``years`` the gap in years when they differ."""

    relation: Relation
    precision: Literal["day", "month", "year"]
    years: int = 0


def compare(a: PartialDate, b: PartialDate) -> DateComparison:
    """Compare two partial dates on the parts both have: a year only agrees with any date in that year."""
    precision: Literal["day", "month", "year"]
    if a[0] != b[0]:
        return DateComparison("years_apart", "year", abs(a[0] - b[0]))
    if a[1] is None or b[1] is None:
        return DateComparison("agrees", "year")
    if a[2] is None or b[2] is None:
        precision = "month"
        return DateComparison("agrees", precision) if a[1] == b[1] else DateComparison("same_year", "year")
    if a[1:] == b[1:]:
        return DateComparison("agrees", "day")
    if (a[1], a[2]) == (b[2], b[1]):
        return DateComparison("swapped", "year")
    return DateComparison("same_year", "year")
