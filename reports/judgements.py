"""Key Judgements, derived from an ``AnalysisResult`` by fixed rules: the same analysis, the same judgements.

No judgement is written by hand. Six kinds of candidate are generated from the analysis, each from a
template statement and a checklist of evidence markers:

==============  ====================================================  =========================================
kind            statement                                             checklist (E = markers met / markers)
==============  ====================================================  =========================================
network         Community N (...) is an organised trafficking         3+ people; an exploiter-side member*;
                network.                                              a business; a phone; 2+ methods of
                                                                      control; 2+ places
actor           X is a key <role> in community N.                     exploiter-side role*; role asserted in 2+
                                                                      narratives; top centrality in community;
                                                                      score >= 0.5; linked to a business, phone
                                                                      or account
site            Y is a site where trafficking victims are exploited.  1+ victim*; 2+ victims; an indicator;
                                                                      3+ indicator mentions; part of a network
corridor        The A → B corridor is used to move trafficking       2+ travellers; 2+ legs; ends at an
                victims.                                              exploitation hotspot; a date stated;
                                                                      its narratives evidence exploitation
method          M is a systematic method of control.                  2+ narratives*; 3+ narratives; in 25%+
                                                                      of narratives; in 2+ communities
exposure        People in community N are highly exposed to           2+ people scored*; mean score >= 0.5;
                exploitation through their social environment.       half score >= 0.5; someone 1 hop from a
                                                                      known exploiter
==============  ====================================================  =========================================

(* a marker that must be met for the candidate to exist at all.)

Each candidate's likelihood comes from ``reports.evidence.probability(E, sources)`` and its analytic
confidence from ``reports.evidence.confidence(sources, conflicts)``. A candidate becomes a Key Judgement
when E >= 0.5 and p >= 0.45 (a "realistic possibility" on PHIA, a "roughly even chance" on ICD 203, or
better: a report does not lead with what it thinks unlikely). Candidates are
ranked by probability, then confidence, then the kind order above, then subject; at most two of a kind
are taken first so that the report covers networks, people, places and routes, and the remaining places
are filled in rank order, up to seven. If fewer than three pass, the report says so instead of padding.

Actor and method judgements need the graph (to cite the narratives behind one person or one method);
without it they are not formed, and the report lists that as a gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.analysis.results import AnalysisResult, Community, Corridor, Hotspot
from graph.model import BANK_ACCOUNT, CRYPTO_WALLET, EMAIL, EXPLOITER_ROLES, ONLINE_ACCOUNT, ORGANIZATION, PHONE
from reports.evidence import CONFIDENCE_RANK, Source, confidence, probability, source_catalogue, sources_for
from reports.graphfacts import GraphFacts
from reports.pseudonyms import VICTIM, Pseudonymiser
from reports.vocabulary import ROLE_ORDER, capitalise, indicator_label
from reports.yardsticks import band_for, normalise_name

KINDS: tuple[str, ...] = ("network", "actor", "site", "corridor", "method", "exposure")
MIN_STRENGTH = 0.5
MIN_PROBABILITY = 0.45  # "realistic possibility" (PHIA) / "roughly even chance" (ICD 203) or better
MIN_JUDGEMENTS = 3
MAX_JUDGEMENTS = 7
MAX_PER_KIND_FIRST_PASS = 2
HIGH_EXPOSURE = 0.5
SYSTEMATIC_SHARE = 0.25
STRONG_ACTOR_SCORE = 0.5
MAX_CITED = 20  # sources printed per judgement; the rest are counted by grade
ACTOR_LINK_LABELS = frozenset({ORGANIZATION, PHONE, EMAIL, BANK_ACCOUNT, CRYPTO_WALLET, ONLINE_ACCOUNT})


@dataclass(frozen=True, slots=True)
class Marker:
    text: str
    met: bool
    required: bool = False


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


@dataclass(slots=True)
class _Candidate:
    kind: str
    subject: str
    statement: str
    markers: list[Marker]
    sources: list[Source]
    gaps: list[str]
    conflicts: list[str]
    changes: list[str]

    @property
    def strength(self) -> float:
        return round(sum(m.met for m in self.markers) / len(self.markers), 4) if self.markers else 0.0

    @property
    def eligible(self) -> bool:
        return all(m.met for m in self.markers if m.required) and self.strength >= MIN_STRENGTH


class _Context:
    def __init__(self, analysis: AnalysisResult, namer: Pseudonymiser, facts: GraphFacts) -> None:
        self.analysis = analysis
        self.namer = namer
        self.facts = facts
        self.catalogue = source_catalogue(analysis.narratives)
        self.hotspot_nodes = {h.node for h in analysis.hotspots}
        # Places where exploitation happens: hotspot places, and the places hotspot businesses are located in.
        self.hotspot_places = set(self.hotspot_nodes)
        for h in analysis.hotspots:
            if h.label == ORGANIZATION:
                self.hotspot_places.update(facts.located_in(h.node) or ())
        self.exploitation = {n.id: list(n.exploitation) for n in analysis.narratives}

    def exploiter_side(self, node: str) -> bool:
        return bool(self.namer.roles(node) & EXPLOITER_ROLES)

    def sources(self, ids: Iterable[str]) -> list[Source]:
        return sources_for(ids, self.catalogue)


def _source_gaps(sources: list[Source]) -> list[str]:
    gaps = []
    if len(sources) == 1:
        gaps.append("rests on a single narrative")
    elif len({s.independence_key for s in sources}) == 1:
        gaps.append("all sources come from one organisation: no independent corroboration")
    ungraded = [s.id for s in sources if not s.grade.valid]
    if ungraded:
        gaps.append(f"no valid source grading for {', '.join(ungraded)}")
    return gaps


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _matches(n: int) -> str:
    matches = _plural(n, "unresolved possible identity match", "unresolved possible identity matches")
    return f"{matches} (POSSIBLY_SAME_AS)"


# -- candidate rules ---------------------------------------------------------------------------------------
def _network(ctx: _Context, c: Community) -> _Candidate | None:
    if c.size < 2:
        return None
    exploiters = [m for m in c.members if ctx.exploiter_side(m)]
    dual = [m for m in exploiters if VICTIM in ctx.namer.roles(m)]
    shared = ctx.facts.shared_phones(c.members)
    phones = f"{_plural(len(c.phones), 'phone')} in use" + (
        f", {len(shared)} shared by two or more members" if shared else "")
    markers = [
        Marker(f"{_plural(c.size, 'person', 'people')} (3 or more)", c.size >= 3),
        Marker(f"{_plural(len(exploiters), 'member')} on the exploiting side", bool(exploiters), required=True),
        Marker(f"{_plural(len(c.businesses), 'business', 'businesses')} linked", bool(c.businesses)),
        Marker(phones, bool(c.phones)),
        Marker(f"{_plural(len(c.indicators), 'distinct method')} of control (2 or more)", len(c.indicators) >= 2),
        Marker(f"{_plural(len(c.locations), 'place')} linked (2 or more)", len(c.locations) >= 2),
    ]
    sources = ctx.sources(c.narratives)
    gaps = _source_gaps(sources)
    conflicts: list[str] = []
    financial = ctx.facts.financial_identifiers(c.members)
    if financial is None:
        gaps.append("financial identifiers not checked (graph not supplied)")
    elif not financial:
        gaps.append("no financial identifiers (IBAN, crypto wallet) known for its members")
    if not c.phones:
        gaps.append("no phone numbers known for its members")
    pending = ctx.facts.pending_matches(c.members)
    if pending:
        gaps.append(f"{_matches(len(pending))} among its members")
        conflicts.append("unresolved identity matches")
    if dual:
        gaps.append(f"{_plural(len(dual), 'member')} described both as victim and on the exploiting side")
        conflicts.append("members with both victim and exploiter roles")
    unknown_roles = [m for m in c.members if not ctx.namer.roles(m)]
    if unknown_roles:
        gaps.append(f"{_plural(len(unknown_roles), 'member')} with no known role")
    changes = ["a narrative from another organisation describing the same people, businesses or phones "
               "would raise it"]
    if not financial:
        changes.append("financial records linking members (shared accounts, payments) would raise it")
    changes.append("finding that members were wrongly merged or linked (rejected identity matches, "
                   "corrected extraction) would lower it")
    statement = (f"Community {c.id} ({_plural(c.size, 'person', 'people')}, "
                 f"{_plural(len(c.businesses), 'business', 'businesses')}) is an organised trafficking network.")
    return _Candidate("network", f"community:{c.id}", statement, markers, sources, gaps, conflicts, changes)


def _primary_role(ctx: _Context, node: str, listed: Iterable[str]) -> tuple[str, int]:
    counts = ctx.facts.role_counts(node)
    if counts is None:
        counts = {r: 1 for r in set(listed) | ctx.namer.roles(node)}
    side = {r: n for r, n in counts.items() if r in EXPLOITER_ROLES}
    if not side:
        return "", 0
    order = {r: i for i, r in enumerate(ROLE_ORDER)}
    role = min(side, key=lambda r: (-side[r], order.get(r, len(order)), r))
    return role, side[role]


def _actor(ctx: _Context, c: Community) -> _Candidate | None:
    if not ctx.facts.available:
        return None
    ranked = sorted((a for a in ctx.analysis.actors if a.community == c.id), key=lambda a: (-a.score, a.node))
    for rank, actor in enumerate(ranked):
        role, asserted = _primary_role(ctx, actor.node, actor.roles)
        if role:
            break
    else:
        return None
    links = ctx.facts.linked(actor.node, ACTOR_LINK_LABELS) or []
    label = ctx.namer.label(actor.node)
    markers = [
        Marker(f"{role} role asserted", True, required=True),
        Marker(f"role asserted in {_plural(asserted, 'narrative')} (2 or more)", asserted >= 2),
        Marker("highest centrality score in the community" if rank == 0
               else f"ranked {rank + 1} by centrality in the community", rank == 0),
        Marker(f"centrality score {actor.score:.2f} (0.50 or more)", actor.score >= STRONG_ACTOR_SCORE),
        Marker(f"linked to {_plural(len(links), 'business, phone or account', 'businesses, phones or accounts')}",
               bool(links)),
    ]
    sources = ctx.sources(ctx.facts.node_narratives(actor.node) or [])
    gaps = _source_gaps(sources)
    conflicts: list[str] = []
    if VICTIM in ctx.namer.roles(actor.node):
        gaps.append("also described as a victim: may be a coerced victim-recruiter")
        conflicts.append("victim and exploiter roles")
    pending = ctx.facts.pending_matches([actor.node])
    if pending:
        gaps.append(_matches(len(pending)))
        conflicts.append("unresolved identity match")
    if not links:
        gaps.append("no phone, account or business known for this person")
    changes = [f"further narratives, especially from another organisation, naming {label} in a {role} role "
               "would raise it",
               f"evidence that {label} acted under coercion, or that the identity was wrongly merged, would lower it"]
    statement = f"{label} is a key {role} in community {c.id}."
    return _Candidate("actor", actor.node, statement, markers, sources, gaps, conflicts, changes)


def _site(ctx: _Context, h: Hotspot) -> _Candidate | None:
    if h.victims < 1:
        return None
    in_network = any(h.node in c.businesses or h.node in c.locations for c in ctx.analysis.communities)
    markers = [
        Marker(f"{_plural(h.victims, 'victim')} linked", h.victims >= 1, required=True),
        Marker("two or more victims", h.victims >= 2),
        Marker(f"{_plural(h.indicators, 'indicator mention')}", h.indicators >= 1),
        Marker("three or more indicator mentions", h.indicators >= 3),
        Marker("linked to a detected network" if in_network else "not linked to a detected network", in_network),
    ]
    name = ctx.namer.label(h.node)
    sources = ctx.sources(h.narratives)
    gaps = _source_gaps(sources)
    if h.victims == 1:
        gaps.append("one victim only")
    if h.indicators == 0:
        gaps.append("no indicator of control evidenced where it is linked to victims")
    if h.label != ORGANIZATION:
        gaps.append("a place, not premises: the exploitation site within it is not identified")
    changes = [f"inspection, licensing or police records for {name}, or accounts from further victims, would "
               "raise it",
               "evidence that the victims' link to it is unrelated to their exploitation would lower it"]
    if h.label == ORGANIZATION:
        statement = f"{name} is a site where trafficking victims are exploited."
    else:
        statement = f"{name} is a hotspot where trafficking victims are exploited."
    return _Candidate("site", h.node, statement, markers, sources, gaps, [], changes)


def _corridor(ctx: _Context, k: Corridor) -> _Candidate | None:
    if k.people < 1:
        return None
    hotspot_end = k.destination in ctx.hotspot_places
    exploitation = any(ctx.exploitation.get(n) for n in k.narratives)
    origin, destination = ctx.namer.label(k.origin), ctx.namer.label(k.destination)
    markers = [
        Marker(f"{_plural(k.people, 'traveller')} (2 or more)", k.people >= 2),
        Marker(f"{_plural(k.legs, 'leg')} (2 or more)", k.legs >= 2),
        Marker("ends at an exploitation hotspot" if hotspot_end else "does not end at a known hotspot", hotspot_end),
        Marker(f"dated ({', '.join(k.period[:2])})" if k.period else "no leg dated", bool(k.period)),
        Marker("its narratives evidence exploitation" if exploitation
               else "its narratives evidence no type of exploitation", exploitation),
    ]
    sources = ctx.sources(k.narratives)
    gaps = _source_gaps(sources)
    conflicts: list[str] = []
    unknown = ctx.facts.unknown_traveller_legs(k.origin, k.destination)
    if unknown:
        gaps.append(f"{_plural(unknown, 'leg')} with an unknown traveller")
        conflicts.append("unknown travellers")
    if not k.period:
        gaps.append("no dates stated for its legs")
    if not k.modes or set(k.modes) <= {"", "unknown"}:
        gaps.append("mode of transport not stated")
    changes = [f"travel records (tickets, bookings, border crossings) on the {origin} → {destination} route would "
               "raise it",
               "evidence that the travellers moved independently of any network would lower it"]
    statement = f"The {origin} → {destination} corridor is used to move trafficking victims."
    return _Candidate("corridor", f"corridor:{k.origin}>{k.destination}", statement, markers, sources, gaps,
                      conflicts, changes)


def _method(ctx: _Context, code: str, count: int) -> _Candidate | None:
    if not ctx.facts.available or count < 2:
        return None
    evidencing = ctx.facts.method_narratives(code) or []
    total = len(ctx.analysis.narratives) or len(evidencing) or 1
    share = count / total
    communities = [c.id for c in ctx.analysis.communities if code in c.indicators]
    label = indicator_label(code)
    markers = [
        Marker(f"evidenced in {_plural(count, 'narrative')}", count >= 2, required=True),
        Marker("three or more narratives", count >= 3),
        Marker(f"in {share:.0%} of narratives (25% or more)", share >= SYSTEMATIC_SHARE),
        Marker(f"in {_plural(len(communities), 'community', 'communities')} (2 or more)", len(communities) >= 2),
    ]
    sources = ctx.sources(evidencing)
    gaps = _source_gaps(sources)
    gaps.append("indicators are read from cue phrases: a paraphrase can be missed and a cue misread")
    changes = [f"further narratives from other organisations describing {label} would raise it",
               "a review of the evidencing sentences finding misread cues would lower it"]
    statement = f"{capitalise(label)} is a systematic method of control ({count} of {total} narratives)."
    return _Candidate("method", f"method:{code}", statement, markers, sources, gaps, [], changes)


def _exposure(ctx: _Context, c: Community) -> _Candidate | None:
    members = set(c.members)
    scored = [e for e in ctx.analysis.exposure if e.person in members]
    if len(scored) < 2:
        return None
    high = [e for e in scored if e.score >= HIGH_EXPOSURE]
    mean = sum(e.score for e in scored) / len(scored)
    direct = [e for e in scored if any(x.target_kind == "exploiter" and x.distance == 1 for x in e.contributions)]
    markers = [
        Marker(f"{len(scored)} people scored", True, required=True),
        Marker(f"mean exposure {mean:.2f} (0.50 or more)", mean >= HIGH_EXPOSURE),
        Marker(f"{len(high)} of {len(scored)} score 0.50 or more (half or more)", 2 * len(high) >= len(scored)),
        Marker(f"{_plural(len(direct), 'person', 'people')} one hop from a known exploiter", bool(direct)),
    ]
    narratives = sorted({n for e in scored for x in e.contributions for n in x.narratives})
    sources = ctx.sources(narratives)
    gaps = _source_gaps(sources)
    gaps.append("exposure counts only ties found in narratives: protective ties are not measured")
    weak = [x.strength for e in scored for x in e.contributions]
    if weak and sum(weak) / len(weak) < 0.5:
        gaps.append("the exposure paths rest on weak evidence (mean path strength below 0.5)")
    changes = ["confirmation or correction of the links on the exposure paths would move it either way",
               "new narratives naming further exploiters or victims around these people would raise it"]
    statement = (f"People in community {c.id} are highly exposed to exploitation through their social environment "
                 f"({len(high)} of {len(scored)} score 0.50 or more).")
    return _Candidate("exposure", f"exposure:{c.id}", statement, markers, sources, gaps, [], changes)


# -- assembly ---------------------------------------------------------------------------------------------
def _candidates(ctx: _Context) -> list[_Candidate]:
    a = ctx.analysis
    found: list[_Candidate | None] = []
    for c in a.communities:
        found += [_network(ctx, c), _actor(ctx, c), _exposure(ctx, c)]
    found += [_site(ctx, h) for h in a.hotspots]
    found += [_corridor(ctx, k) for k in a.corridors]
    found += [_method(ctx, code, n) for code, n in sorted(a.indicators.items())]
    return [cand for cand in found if cand is not None]


def build_judgements(analysis: AnalysisResult, namer: Pseudonymiser, facts: GraphFacts | None = None, *,
                     yardstick: str = "PHIA") -> JudgementSet:
    """Rank every candidate judgement the analysis supports and keep three to seven (see module docstring)."""
    yardstick = normalise_name(yardstick)
    facts = facts or GraphFacts(None)
    ctx = _Context(analysis, namer, facts)
    scored: list[tuple[_Candidate, float, str, list[str]]] = []
    considered = {kind: 0 for kind in KINDS}
    for cand in _candidates(ctx):
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
        shortfall = (f"The analysis supports only {_plural(len(judgements), 'key judgement')} under the rules in "
                     f"Methodology; at least {MIN_JUDGEMENTS} are expected. Sightline does not pad the list: "
                     f"{_plural(sum(considered.values()) - len(scored), 'further candidate')} fell below the "
                     f"thresholds (checklist at least half met, probability at least {MIN_PROBABILITY:.0%}).")
    not_formed = []
    if not facts.available:
        not_formed.append("actor and method judgements were not formed: the graph was not supplied, so the "
                          "narratives behind one person or one method cannot be cited")
    return JudgementSet(yardstick, judgements, considered, len(scored), shortfall, not_formed)
