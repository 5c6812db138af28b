"""Admiralty (NATO) source grading: reliability A-F of the source, credibility 1-6 of the information.

Judgements weigh their sources, so a grade has to become a number. The two axes are kept apart in the
grade (a reliable source can pass on doubtful information) and only multiplied into one weight when a
judgement adds up its evidence. "Cannot be judged" (F, 6) is not "unreliable" (E, 5): it is a source we
know nothing about, so it weighs a little more than E/5 but far less than anything graded positively.

A grade that is missing or unreadable is treated as F6 and flagged ``valid=False``: the report cites it
as "ungraded" and counts it against analytic confidence, rather than guessing a grade for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RELIABILITY: dict[str, tuple[str, float]] = {
    "A": ("completely reliable", 1.0),
    "B": ("usually reliable", 0.8),
    "C": ("fairly reliable", 0.6),
    "D": ("not usually reliable", 0.4),
    "E": ("unreliable", 0.2),
    "F": ("reliability cannot be judged", 0.3),
}
CREDIBILITY: dict[str, tuple[str, float]] = {
    "1": ("confirmed by other sources", 1.0),
    "2": ("probably true", 0.8),
    "3": ("possibly true", 0.6),
    "4": ("doubtful", 0.4),
    "5": ("improbable", 0.2),
    "6": ("truth cannot be judged", 0.3),
}
UNGRADED = ("F", "6")

# "B2", "b2", "B-2", "B/2", "B 2"; nothing else.
_GRADE = re.compile(r"^\s*([A-Fa-f])\s*[-/ ]?\s*([1-6])\s*$")


@dataclass(frozen=True, slots=True)
class Grade:
    reliability: str  # A-F
    credibility: str  # 1-6
    valid: bool  # False when the grade was missing or unreadable and F6 stands in for it
    raw: str | None  # what the narrative's metadata said

    @property
    def code(self) -> str:
        return f"{self.reliability}{self.credibility}"

    @property
    def weight(self) -> float:
        """Reliability weight x credibility weight, in (0, 1]: A1 = 1.0, B2 = 0.64, C3 = 0.36, F6 = 0.09."""
        return round(RELIABILITY[self.reliability][1] * CREDIBILITY[self.credibility][1], 6)

    @property
    def label(self) -> str:
        """As cited in reports: ``B2``, or ``ungraded`` when F6 stands in for a missing grade."""
        return self.code if self.valid else "ungraded"

    def describe(self) -> str:
        if not self.valid:
            return "no valid grade: treated as F6 (cannot be judged)"
        return f"{RELIABILITY[self.reliability][0]}; {CREDIBILITY[self.credibility][0]}"


def parse_grade(value: object) -> Grade:
    """Read an Admiralty code; anything missing or malformed becomes an invalid F6 (never an exception).

    Reports must render whatever the metadata holds, so a bad grade is a gap to report, not a crash.
    """
    raw = None if value is None else str(value)
    match = _GRADE.match(raw) if raw is not None else None
    if match is None:
        return Grade(UNGRADED[0], UNGRADED[1], valid=False, raw=raw)
    return Grade(match.group(1).upper(), match.group(2), valid=True, raw=raw)


def weight_of(value: object) -> float:
    return parse_grade(value).weight
