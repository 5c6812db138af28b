"""Dates as narratives write them ("October 2019", "14 March 2021", "in 2018") read into sortable keys.

The graph keeps a travel leg's date as written, and a narrative's own date as its metadata gave it. To put
them on one time axis each is read into a key of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with its precision,
so "October 2019" sorts after "2019-03-02" and before "2020". Numeric dates are read day first (D/M/YYYY, as
the sample narratives from the UK and Europe write them) unless the second number cannot be a month. A bare
year counts only after a word that makes it a time ("in 2019", "since 2018", "summer 2020") or alone, so
"2000 euros" is not a date. A date of birth ("(DOB 19/06/1966)", "born on ...") is no event and is
skipped. Anything else ("the next day", "two weeks later") has no key: the timeline
counts it as undated rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {name: index for index, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PATTERNS = [
    ("iso", re.compile(r"\b" + _YEAR + r"-(?P<month>[01]\d)(?:-(?P<day>[0-3]\d))?\b")),
    ("numeric", re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.]" + _YEAR + r"\b")),
    ("day-month", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b", re.IGNORECASE)),
    ("month-day", re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.IGNORECASE)),
    ("month", re.compile(r"\b" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b", re.IGNORECASE)),
    ("year", re.compile(r"(?:^\s*|\b(?:in|since|from|until|till|by|during|early|late|mid|summer|spring|autumn|"
                        r"fall|winter|year|of)\s+(?:the\s+)?)" + _YEAR + r"\b", re.IGNORECASE)),
]
_BIRTH = re.compile(r"(?:\bd\.?o\.?b\b\.?|\bborn\b|\bbirth\b)[^.;)]{0,16}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class WrittenDate:
    key: str  # YYYY, YYYY-MM or YYYY-MM-DD: sorts as text
    precision: str  # "year", "month" or "day"
    written: str  # the words it was read from

    @property
    def year(self) -> str:
        return self.key[:4]

    @property
    def month(self) -> str | None:
        return self.key[:7] if self.precision != "year" else None


def _valid(year: int, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)


def _build(kind: str, match: re.Match[str]) -> WrittenDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if kind == "year":
        return WrittenDate(f"{year:04d}", "year", match.group().strip())
    if kind == "numeric":
        a, b = int(groups["a"]), int(groups["b"])
        day, month = (a, b) if b <= 12 else (b, a)
    else:
        raw = groups["month"]
        month = int(raw) if raw.isdigit() else _MONTHS[raw.lower()]
        day = int(groups["day"]) if groups.get("day") else None
    if not _valid(year, month, day):
        return None
    written = match.group().strip()
    if day is None:
        return WrittenDate(f"{year:04d}-{month:02d}", "month", written)
    return WrittenDate(f"{year:04d}-{month:02d}-{day:02d}", "day", written)


def read_date(text: str | None) -> WrittenDate | None:
    """The first date written in ``text``, most precise reading first; None when it states none."""
    if not text:
        return None
    found: list[tuple[int, int, WrittenDate]] = []
    for rank, (kind, pattern) in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            date = _build(kind, match)
            if date is not None and not _BIRTH.search(text, max(0, match.start() - 30), match.start()):
                found.append((match.start(), rank, date))
                break
    if not found:
        return None
    start, _, _ = min(found, key=lambda f: f[0])
    # Of the readings starting near the first one, the most precise ("14 March 2021" over "March 2021").
    near = [f for f in found if f[0] <= start + 12]
    return min(near, key=lambda f: f[1])[2]
