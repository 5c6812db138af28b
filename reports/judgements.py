"""Key Judgements, chosen from the candidates an ``AnalysisResult`` supports by fixed rules: the same
analysis, the same judgements.

No judgement is written by hand: ``reports.candidates`` generates the candidates (six kinds, each a template
statement with a checklist of evidence markers) and this module decides which of them a report leads with.
Each candidate's likelihood comes from ``reports.evidence.probability(E, sources)`` and its analytic
confidence from ``reports.evidence.confidence(sources, conflicts)``. A candidate becomes a Key Judgement
when E >= 0.5 and p >= 0.45 (a "realistic possibility" on PHIA, a "roughly even chance" on ICD 203, or
better: a report does not lead with what it thinks unlikely). Candidates are
ranked by probability, then confidence, then the kind order (``reports.candidates.KINDS``), then subject;
at most two of a kind are taken first so that the report covers networks, people, places and routes, and
the remaining places are filled in rank order, up to seven. If fewer than three pass, the report says so
instead of padding.

Actor and method judgements need the graph (to cite the narratives behind one person or one method);
without it they are not formed, and the report lists that as a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.analysis.results import AnalysisResult
from reports.candidates import KINDS, Candidate, Marker, candidates, counted
from reports.evidence import CONFIDENCE_RANK, Source, confidence, probability
from reports.graphfacts import GraphFacts
from reports.pseudonyms import Pseudonymiser
from reports.yardsticks import band_for, normalise_name

MIN_PROBABILITY = 0.45  # "realistic possibility" (PHIA) / "roughly even chance" (ICD 203) or better
MIN_JUDGEMENTS = 3
MAX_JUDGEMENTS = 7
MAX_PER_KIND_FIRST_PASS = 2
MAX_CITED = 20  # sources printed per judgement; the rest are counted by grade


@dataclass(slots=True)
class KeyJudgement:
    id: str  # "KJ1", by rank
    kind: str
    subject: str  # what the judgement is about (a node id or "community:N"); internal, never printed
    statement: str
    probability: float
    term: str
    band: str  # the term's range, e.g. "55-75%"
    confidence: str
    confidence_reasons: list[str]
    strength: float
    basis: list[Marker]
    sources: list[Source]
    gaps: list[str]
    changes: list[str]

    @property
    def sources_cited(self) -> str:
        return cite_sources(self.sources)


def cite_sources(sources: list[Source], limit: int = MAX_CITED) -> str:
    """``s001 (B2, Org); s002 (...)``; past ``limit``, a count by grade stands in for the rest."""
    shown = "; ".join(s.cite() for s in sources[:limit])
    rest = sources[limit:]
    if not rest:
        return shown
    grades: dict[str, int] = {}
    for s in rest:
        grades[s.grade.label] = grades.get(s.grade.label, 0) + 1
    summary = ", ".join(f"{g} x{n}" for g, n in sorted(grades.items()))
    return f"{shown}; and {len(rest)} more ({summary})"


@dataclass(slots=True)
class JudgementSet:
    yardstick: str
    judgements: list[KeyJudgement]
    considered: dict[str, int]  # candidates generated per kind
    passed: int  # candidates meeting the thresholds (before the cap of seven)
    shortfall: str | None  # set when fewer than three judgements could be supported
    not_formed: list[str] = field(default_factory=list)  # kinds skipped and why


def build_judgements(analysis: AnalysisResult, namer: Pseudonymiser, facts: GraphFacts | None = None, *,
                     yardstick: str = "PHIA") -> JudgementSet:
    """Rank every candidate judgement the analysis supports and keep three to seven (see module docstring)."""
    yardstick = normalise_name(yardstick)
    facts = facts or GraphFacts(None)
    scored: list[tuple[Candidate, float, str, list[str]]] = []
    considered = {kind: 0 for kind in KINDS}
    for cand in candidates(analysis, namer, facts):
        considered[cand.kind] += 1
        if not cand.eligible or not cand.sources:
            continue
        p = probability(cand.strength, cand.sources)
        conf = confidence(cand.sources, cand.conflicts)
        if p >= MIN_PROBABILITY:
            scored.append((cand, p, conf.level, conf.reasons))
    order = {k: i for i, k in enumerate(KINDS)}
    scored.sort(key=lambda t: (-t[1], -CONFIDENCE_RANK[t[2]], order[t[0].kind], t[0].subject))
    chosen: list[int] = []
    per_kind: dict[str, int] = {}
    for i, (cand, *_rest) in enumerate(scored):
        if len(chosen) < MAX_JUDGEMENTS and per_kind.get(cand.kind, 0) < MAX_PER_KIND_FIRST_PASS:
            chosen.append(i)
            per_kind[cand.kind] = per_kind.get(cand.kind, 0) + 1
    for i in range(len(scored)):
        if len(chosen) >= MAX_JUDGEMENTS:
            break
        if i not in chosen:
            chosen.append(i)
    judgements = []
    for rank, i in enumerate(sorted(chosen), start=1):
        cand, p, level, reasons = scored[i]
        band = band_for(p, yardstick)
        judgements.append(KeyJudgement(
            id=f"KJ{rank}", kind=cand.kind, subject=cand.subject, statement=namer.redact(cand.statement),
            probability=p, term=band.term, band=band.percent(), confidence=level, confidence_reasons=reasons,
            strength=cand.strength, basis=cand.markers, sources=cand.sources,
            gaps=[namer.redact(g) for g in cand.gaps], changes=[namer.redact(c) for c in cand.changes]))
    shortfall = None
    if len(judgements) < MIN_JUDGEMENTS:
        shortfall = (f"The analysis supports only {counted(len(judgements), 'key judgement')} under the rules in "
                     f"Methodology; at least {MIN_JUDGEMENTS} are expected. Sightline does not pad the list: "
                     f"{counted(sum(considered.values()) - len(scored), 'further candidate')} fell below the "
                     f"thresholds (checklist at least half met, probability at least {MIN_PROBABILITY:.0%}).")
    not_formed = []
    if not facts.available:
        not_formed.append("actor and method judgements were not formed: the graph was not supplied, so the "
                          "narratives behind one person or one method cannot be cited")
    return JudgementSet(yardstick, judgements, considered, len(scored), shortfall, not_formed)
