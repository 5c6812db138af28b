"""Probability yardsticks: the fixed vocabularies a Key Judgement's likelihood is stated in.

A judgement's probability is computed by a rule (``reports.evidence``) and then named by exactly one term
from one yardstick, so that a reader of two reports knows "likely" always meant the same range. The two
yardsticks differ (PHIA leaves deliberate gaps between its bands, ICD 203 has none and shares its band
edges), which is why a report uses one and only one of them, and why the mapping from a number to a term
is spelled out in ``term_for`` rather than left to a threshold list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Band:
    """One term of a yardstick and the probability range it stands for (inclusive, as fractions)."""

    term: str
    low: float
    high: float

    @property
    def centre(self) -> float:
        return (self.low + self.high) / 2

    def contains(self, p: float) -> bool:
        return self.low <= p <= self.high

    def distance(self, p: float) -> float:
        """How far ``p`` lies outside the band (0 inside it)."""
        if p < self.low:
            return self.low - p
        if p > self.high:
            return p - self.high
        return 0.0

    def percent(self) -> str:
        """The band as printed in reports, e.g. ``55-75%``; a single-ended band reads ``<= 5%``."""
        low, high = round(self.low * 100), round(self.high * 100)
        if low == 0:
            return f"<= {high}%"
        return f"{low}-{high}%"


# UK Professional Head of Intelligence Assessment (PHIA) probability yardstick, as given in the brief.
PHIA: tuple[Band, ...] = (
    Band("remote chance", 0.00, 0.05),
    Band("highly unlikely", 0.10, 0.20),
    Band("unlikely", 0.25, 0.35),
    Band("realistic possibility", 0.40, 0.50),
    Band("likely or probably", 0.55, 0.75),
    Band("highly likely", 0.80, 0.90),
    Band("almost certain", 0.95, 1.00),
)

# US Intelligence Community Directive 203 expressions of likelihood, as given in the brief.
ICD203: tuple[Band, ...] = (
    Band("almost no chance", 0.01, 0.05),
    Band("very unlikely", 0.05, 0.20),
    Band("unlikely", 0.20, 0.45),
    Band("roughly even chance", 0.45, 0.55),
    Band("likely", 0.55, 0.80),
    Band("very likely", 0.80, 0.95),
    Band("almost certain", 0.95, 0.99),
)

YARDSTICKS: dict[str, tuple[Band, ...]] = {"PHIA": PHIA, "ICD203": ICD203}
TITLES: dict[str, str] = {
    "PHIA": "UK PHIA probability yardstick",
    "ICD203": "US ICD 203 expressions of likelihood",
}


def normalise_name(name: str) -> str:
    """``"icd-203"``, ``"ICD 203"`` and ``"ICD203"`` all name the same yardstick; anything else is an error."""
    key = "".join(ch for ch in str(name).upper() if ch.isalnum())
    if key not in YARDSTICKS:
        raise ValueError(f"unknown yardstick {name!r}: use one of {', '.join(YARDSTICKS)}")
    return key


def bands(name: str) -> tuple[Band, ...]:
    return YARDSTICKS[normalise_name(name)]


def band_for(probability: float, yardstick: str = "PHIA") -> Band:
    """The one band a probability is reported in.

    Rules, in order: a probability is clamped to [0, 1]; the band that contains it is chosen; where two
    bands share an edge (ICD 203: 5, 20, 45, 55, 80, 95%) the band whose centre is nearer wins; in a gap
    between bands (PHIA: 5-10, 20-25, 35-40, 50-55, 75-80, 90-95%) the band whose edge is nearer wins,
    and exactly half-way the lower, more cautious, band.
    """
    if probability != probability:  # NaN: a bug upstream, not a judgement
        raise ValueError("probability is NaN")
    p = min(1.0, max(0.0, float(probability)))
    scale = bands(yardstick)
    containing = [b for b in scale if b.contains(p)]
    if containing:
        return min(containing, key=lambda b: (abs(b.centre - p), b.low))
    return min(scale, key=lambda b: (round(b.distance(p), 12), b.low))


def term_for(probability: float, yardstick: str = "PHIA") -> str:
    """The yardstick term for a probability (see ``band_for`` for the rules)."""
    return band_for(probability, yardstick).term


def exclusive_terms(yardstick: str) -> set[str]:
    """Terms of this yardstick that the other does not use: their presence marks which scale a text uses."""
    mine = {b.term for b in bands(yardstick)}
    others = {b.term for name, scale in YARDSTICKS.items() if name != normalise_name(yardstick) for b in scale}
    return mine - others
