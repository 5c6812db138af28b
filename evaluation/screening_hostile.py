"""A hostile partner file: a bank's customer export with a share of broken rows, for ``sightline screen``.

``build(n_rows, broken_share, seed)`` writes the rows as a real export might hold them: a UTF-8 byte-order
mark, ``;`` between columns, column names a bank uses ("Customer ID", "Full Name", "Date of Birth",
"Nationality"), countries as codes, names and usual forms ("Russia", "South Korea", "Ivory Coast",
"Türkiye", "UK"), dates as "1982-9-26", "26/09/1982", "12 Jan 1980", a year or a year and month, and
about 1% of the rows the flagged people of ``flagged`` under another spelling. ``broken_share`` of the
rows are broken in one of five ways (``BROKEN_KINDS``), each with the warning the screener must give:
a date that is no date, a country that is none, no name (and nothing else to screen), a name in
Windows-1252 inside the UTF-8 file, and a field of several thousand characters.

Used by ``bench/screening_hostile.py`` (100,000 rows, timed) and ``tests/test_screening_files.py``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from evaluation.screening_synthetic import NATIONALITIES, make_person
from screening.models import FlaggedEntity

HEADER = ("Customer ID", "Full Name", "Date of Birth", "Nationality", "Phone")
#: broken kind -> what the row's warnings must contain
BROKEN_KINDS = {"bad_date": "birth_date:", "unknown_country": "country:", "empty_name": "nothing to screen",
                "wrong_encoding": "not UTF-8", "overlong": "longer than"}
COUNTRY_FORMS = {"RU": ("Russia", "RU", "RUS", "Russian Federation"), "KR": ("South Korea", "Korea, Republic of"),
                 "CI": ("Ivory Coast", "Côte d'Ivoire"), "TR": ("Turkey", "Türkiye"), "TW": ("Taiwan",),
                 "TZ": ("Tanzania",), "GB": ("UK", "United Kingdom", "England", "GBR", "British"),
                 "RO": ("Romania", "RO", "ROU", "Romanian"), "BG": ("Bulgaria", "BG"), "PL": ("Poland", "POL"),
                 "VN": ("Vietnam", "Viet Nam"), "NG": ("Nigeria", "NG"), "AL": ("Albania", "ALB"),
                 "IT": ("Italy", "IT"), "SK": ("Slovakia", "Slovak Republic"), "GR": ("Greece", "GR"),
                 "MD": ("Moldova",), "SY": ("Syria",), "XK": ("Kosovo",), "US": ("USA", "United States")}
WESTERN_NAMES = ("Jürgen Müller", "Stéphane Lefèvre", "José Muñoz", "Zoë Brontë", "Björn Ångström",
                 "Renée Dupré", "Günther Schröder", "Inês Gonçalves")
BAD_DATES = ("31/02/1980", "03/04/1980", "n/a", "19xx", "26/09/82", "2999-01-01", "0000-00-00", "soon")
BAD_COUNTRIES = ("Atlantis", "Narnia", "Westeros", "Elbonia", "XX", "Zubrowka")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class HostileFile:
    data: bytes
    kinds: list[str]  # per row: "good", "flagged" (a good row of a flagged person) or a BROKEN_KINDS key


def written_date(rng: random.Random, year: int, month: int, day: int) -> str:
    """One date as a bank's system may write it, always readable (D/M only where it cannot be M/D)."""
    form = rng.randrange(7)
    if form == 0:
        return f"{year}-{month}-{day}"
    if form == 1 and (day > 12 or day == month):
        return f"{day:02d}/{month:02d}/{year}"
    if form == 2 and (day > 12 or day == month):
        return f"{month}/{day}/{year}"
    if form == 3:
        return f"{day} {_MONTHS[month - 1]} {year}"
    if form == 4:
        return str(year)
    if form == 5:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def _country(rng: random.Random, code: str) -> str:
    forms = COUNTRY_FORMS.get(code, (code,))
    return rng.choice(forms)


def _cells(cells: list[str]) -> str:
    return ";".join(f'"{c}"' if ";" in c or '"' in c else c for c in cells)


def build(n_rows: int, flagged: list[FlaggedEntity], broken_share: float = 0.05, seed: int = 16) -> HostileFile:
    """The file's bytes and the kind of every row (module docstring)."""
    rng = random.Random(seed)
    people = [e for e in flagged if e.kind == "person" and e.name]
    broken = set(rng.sample(range(n_rows), int(n_rows * broken_share)))
    kinds_cycle = list(BROKEN_KINDS)
    lines: list[bytes] = [("\ufeff" + ";".join(HEADER) + "\n").encode("utf-8")]
    kinds: list[str] = []
    for number in range(n_rows):
        year, month, day = rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28)
        if rng.random() < 0.01:
            entity = rng.choice(people)
            name = entity.name.upper() if rng.random() < 0.5 else " ".join(reversed((entity.name or "").split()))
            if entity.birth_date and len(entity.birth_date) == 10:
                year, month, day = (int(p) for p in entity.birth_date.split("-"))
            code, kind = entity.country or rng.choice(NATIONALITIES), "flagged"
        else:
            code = rng.choice(tuple(COUNTRY_FORMS))
            name, kind = make_person(rng, rng.choice(NATIONALITIES), diverse=True).name(), "good"
        cells = [f"C{number:06d}", name, written_date(rng, year, month, day), _country(rng, code), ""]
        encoding = "utf-8"
        if number in broken:
            kind = kinds_cycle[len(kinds) % len(kinds_cycle)]
            if kind == "bad_date":
                cells[2] = rng.choice(BAD_DATES)
            elif kind == "unknown_country":
                cells[3] = rng.choice(BAD_COUNTRIES)
            elif kind == "empty_name":
                cells[1] = ""
            elif kind == "wrong_encoding":
                cells[1], encoding = rng.choice(WESTERN_NAMES), "cp1252"
            else:
                cells[rng.choice((1, 3))] = "X" * rng.choice((301, 5_000, 50_000))
        kinds.append(kind)
        lines.append((_cells(cells) + "\n").encode(encoding))
    return HostileFile(b"".join(lines), kinds)
