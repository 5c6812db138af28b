"""From evidence to a probability, and separately to an analytic confidence.

A Key Judgement carries two different numbers and they must not be confused:

*Likelihood* (how probable the judgement is true) adds evidence up in log-odds, the way independent
evidence combines under Bayes' rule:

    logit(p) = logit(PRIOR) + STRENGTH * E * sum over organisations g of W_g
    W_g      = w_1 + DISCOUNT * w_2 + DISCOUNT^2 * w_3 + ...   (g's narratives, best graded first)
    p        = min(MAX_PROBABILITY, sigmoid(logit(p)))

where ``E`` in [0, 1] is how much of the judgement's checklist the analysis meets (``reports.judgements``),
and ``w`` is a narrative's Admiralty weight (``reports.grading``). Narratives submitted by different
organisations are independent lines of evidence and add in full; further narratives from the same
organisation share its sources, interviewers and biases, so each one adds half of the one before.
Narratives whose organisation is unknown are pooled as one organisation: their independence cannot be
shown. The cap keeps machine-extracted evidence from ever claiming more than 95%.

*Analytic confidence* (how sound the basis is) is scored from the sources alone, never from ``p``:
independent organisations (2: +1, 3 or more: +2), grading quality (mean weight of the narratives
>= 0.6, about B2: +1; below 0.3: -1), any ungraded source (-1), any conflicting or unresolved
information (-1). 3 or more points is high, 1-2 moderate, 0 or less low; a single narrative is always low,
a single organisation at most moderate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph.analysis.results import NarrativeInfo
from reports.grading import Grade, parse_grade

PRIOR = 0.25
STRENGTH = 1.2
SAME_ORGANISATION_DISCOUNT = 0.5
MAX_PROBABILITY = 0.95
UNKNOWN_ORGANISATION = "(unknown organisation)"

GOOD_QUALITY = 0.6
POOR_QUALITY = 0.3
HIGH, MODERATE, LOW = "high", "moderate", "low"
CONFIDENCE_RANK = {LOW: 0, MODERATE: 1, HIGH: 2}


@dataclass(frozen=True, slots=True)
class Source:
    """A narrative a judgement rests on, with what makes it count: its grade and who submitted it."""

    id: str
    grade: Grade
    organisation: str | None
    date: str | None

    @property
    def independence_key(self) -> str:
        org = " ".join((self.organisation or "").split()).casefold()
        return org or UNKNOWN_ORGANISATION

    def cite(self) -> str:
        """``s001 (B2, Lighthouse Romania)``: the form reports print."""
        return f"{self.id} ({self.grade.label}, {self.organisation or 'organisation unknown'})"


def source_catalogue(narratives: Iterable[NarrativeInfo]) -> dict[str, Source]:
    return {n.id: Source(n.id, parse_grade(n.grading), n.organisation, n.date) for n in narratives}


def sources_for(ids: Iterable[str], catalogue: Mapping[str, Source]) -> list[Source]:
    """The cited narratives, sorted by id; one the analysis does not describe is cited as ungraded."""
    out = []
    for sid in sorted(set(ids)):
        out.append(catalogue.get(sid) or Source(sid, parse_grade(None), None, None))
    return out


def organisation_weights(sources: Iterable[Source]) -> dict[str, float]:
    """Each organisation's combined weight W_g (see the module docstring)."""
    groups: dict[str, list[float]] = {}
    for s in sources:
        groups.setdefault(s.independence_key, []).append(s.grade.weight)
    return {org: sum(w * SAME_ORGANISATION_DISCOUNT ** i for i, w in enumerate(sorted(ws, reverse=True)))
            for org, ws in sorted(groups.items())}


def probability(strength: float, sources: Iterable[Source]) -> float:
    """The likelihood of a judgement whose checklist score is ``strength`` resting on ``sources``."""
    if not 0.0 <= strength <= 1.0:
        raise ValueError("strength must be within [0, 1]")
    total = sum(organisation_weights(sources).values())
    logit = math.log(PRIOR / (1 - PRIOR)) + STRENGTH * strength * total
    return round(min(MAX_PROBABILITY, 1.0 / (1.0 + math.exp(-logit))), 4)


@dataclass(frozen=True, slots=True)
class Confidence:
    level: str
    points: int
    reasons: list[str] = field(default_factory=list)


def confidence(sources: Iterable[Source], conflicts: Iterable[str] = ()) -> Confidence:
    """Analytic confidence from the basis of a judgement (see the module docstring)."""
    sources = list(sources)
    conflicts = list(conflicts)
    if not sources:
        return Confidence(LOW, 0, ["no source"])
    best: dict[str, float] = {}
    for s in sources:
        key = s.independence_key
        best[key] = max(best.get(key, 0.0), s.grade.weight)
    orgs = len(best)
    points = 0
    reasons: list[str] = []
    if orgs >= 3:
        points += 2
        reasons.append(f"{orgs} independent organisations (+2)")
    elif orgs == 2:
        points += 1
        reasons.append("2 independent organisations (+1)")
    else:
        reasons.append("one organisation only (+0)")
    quality = sum(s.grade.weight for s in sources) / len(sources)
    if quality >= GOOD_QUALITY:
        points += 1
        reasons.append(f"well graded sources, mean weight {quality:.2f} (+1)")
    elif quality < POOR_QUALITY:
        points -= 1
        reasons.append(f"poorly graded sources, mean weight {quality:.2f} (-1)")
    else:
        reasons.append(f"moderately graded sources, mean weight {quality:.2f} (+0)")
    ungraded = sum(1 for s in sources if not s.grade.valid)
    if ungraded:
        points -= 1
        reasons.append(f"{ungraded} ungraded source(s) (-1)")
    if conflicts:
        points -= 1
        reasons.append("conflicting or unresolved information (-1)")
    level = HIGH if points >= 3 else MODERATE if points >= 1 else LOW
    if len({s.id for s in sources}) == 1:
        level = LOW
        reasons.append("single narrative: low at most")
    elif orgs == 1 and level == HIGH:
        level = MODERATE
        reasons.append("single organisation: moderate at most")
    return Confidence(level, points, reasons)
