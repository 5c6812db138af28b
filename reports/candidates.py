"""The candidate Key Judgements an ``AnalysisResult`` supports, each with its evidence checklist.

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

A candidate is not yet a judgement: ``reports.judgements`` scores, ranks and keeps three to seven of them.
The two are apart because they change for different reasons: this module holds what the evidence for a
network, a person, a place, a route, a method or an exposure is (the markers, gaps and what would change
the assessment), and ``reports.judgements`` how much evidence a report may lead with.

Actor and method candidates need the graph (to cite the narratives behind one person or one method);
without it they are not generated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.analysis.results import AnalysisResult, Community, Corridor, Hotspot
from graph.model import BANK_ACCOUNT, CRYPTO_WALLET, EMAIL, EXPLOITER_ROLES, ONLINE_ACCOUNT, ORGANIZATION, PHONE
from reports.evidence import Source, source_catalogue, sources_for
from reports.graphfacts import GraphFacts
from reports.pseudonyms import VICTIM, Pseudonymiser
from reports.vocabulary import ROLE_ORDER, capitalise, indicator_label

KINDS: tuple[str, ...] = ("network", "actor", "site", "corridor", "method", "exposure")
MIN_STRENGTH = 0.5  # share of a checklist that must be met (E) for a candidate to be eligible
HIGH_EXPOSURE = 0.5
SYSTEMATIC_SHARE = 0.25
STRONG_ACTOR_SCORE = 0.5
ACTOR_LINK_LABELS = frozenset({ORGANIZATION, PHONE, EMAIL, BANK_ACCOUNT, CRYPTO_WALLET, ONLINE_ACCOUNT})


@dataclass(frozen=True, slots=True)
class Marker:
    """One line of a checklist, printed as the judgement's basis: what was looked for and whether it was found."""

    text: str
    met: bool
    required: bool = False


@dataclass(slots=True)
class Candidate:
    """A judgement the evidence might support: its statement, checklist, sources, gaps and conflicts.

    ``reports.judgements`` passes the statement, gaps and changes of those it keeps through
    ``Pseudonymiser.redact`` before anything is printed."""

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
    """What every rule looks up, computed once per analysis rather than once per candidate."""

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


def counted(n: int, word: str, many: str | None = None) -> str:
    """``1 person``, ``3 people``: a count with its noun, for statements, markers and gaps."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _matches(n: int) -> str:
    matches = counted(n, "unresolved possible identity match", "unresolved possible identity matches")
    return f"{matches} (POSSIBLY_SAME_AS)"


# -- candidate rules, one per kind ---------------------------------------------------------------------------
def _network(ctx: _Context, c: Community) -> Candidate | None:
    if c.size < 2:
        return None
    exploiters = [m for m in c.members if ctx.exploiter_side(m)]
    dual = [m for m in exploiters if VICTIM in ctx.namer.roles(m)]
    shared = ctx.facts.shared_phones(c.members)
    phones = f"{counted(len(c.phones), 'phone')} in use" + (
        f", {len(shared)} shared by two or more members" if shared else "")
    markers = [
        Marker(f"{counted(c.size, 'person', 'people')} (3 or more)", c.size >= 3),
        Marker(f"{counted(len(exploiters), 'member')} on the exploiting side", bool(exploiters), required=True),
        Marker(f"{counted(len(c.businesses), 'business', 'businesses')} linked", bool(c.businesses)),
        Marker(phones, bool(c.phones)),
        Marker(f"{counted(len(c.indicators), 'distinct method')} of control (2 or more)", len(c.indicators) >= 2),
        Marker(f"{counted(len(c.locations), 'place')} linked (2 or more)", len(c.locations) >= 2),
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
        gaps.append(f"{counted(len(dual), 'member')} described both as victim and on the exploiting side")
        conflicts.append("members with both victim and exploiter roles")
    unknown_roles = [m for m in c.members if not ctx.namer.roles(m)]
    if unknown_roles:
        gaps.append(f"{counted(len(unknown_roles), 'member')} with no known role")
    changes = ["a narrative from another organisation describing the same people, businesses or phones "
               "would raise it"]
    if not financial:
        changes.append("financial records linking members (shared accounts, payments) would raise it")
    changes.append("finding that members were wrongly merged or linked (rejected identity matches, "
                   "corrected extraction) would lower it")
    statement = (f"Community {c.id} ({counted(c.size, 'person', 'people')}, "
                 f"{counted(len(c.businesses), 'business', 'businesses')}) is an organised trafficking network.")
    return Candidate("network", f"community:{c.id}", statement, markers, sources, gaps, conflicts, changes)


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


def _actor(ctx: _Context, c: Community) -> Candidate | None:
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
        Marker(f"role asserted in {counted(asserted, 'narrative')} (2 or more)", asserted >= 2),
        Marker("highest centrality score in the community" if rank == 0
               else f"ranked {rank + 1} by centrality in the community", rank == 0),
        Marker(f"centrality score {actor.score:.2f} (0.50 or more)", actor.score >= STRONG_ACTOR_SCORE),
        Marker(f"linked to {counted(len(links), 'business, phone or account', 'businesses, phones or accounts')}",
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
    return Candidate("actor", actor.node, statement, markers, sources, gaps, conflicts, changes)


def _site(ctx: _Context, h: Hotspot) -> Candidate | None:
    if h.victims < 1:
        return None
    in_network = any(h.node in c.businesses or h.node in c.locations for c in ctx.analysis.communities)
    markers = [
        Marker(f"{counted(h.victims, 'victim')} linked", h.victims >= 1, required=True),
        Marker("two or more victims", h.victims >= 2),
        Marker(f"{counted(h.indicators, 'indicator mention')}", h.indicators >= 1),
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
    return Candidate("site", h.node, statement, markers, sources, gaps, [], changes)


def _corridor(ctx: _Context, k: Corridor) -> Candidate | None:
    if k.people < 1:
        return None
    hotspot_end = k.destination in ctx.hotspot_places
    exploitation = any(ctx.exploitation.get(n) for n in k.narratives)
    origin, destination = ctx.namer.label(k.origin), ctx.namer.label(k.destination)
    markers = [
        Marker(f"{counted(k.people, 'traveller')} (2 or more)", k.people >= 2),
        Marker(f"{counted(k.legs, 'leg')} (2 or more)", k.legs >= 2),
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
        gaps.append(f"{counted(unknown, 'leg')} with an unknown traveller")
        conflicts.append("unknown travellers")
    if not k.period:
        gaps.append("no dates stated for its legs")
    if not k.modes or set(k.modes) <= {"", "unknown"}:
        gaps.append("mode of transport not stated")
    changes = [f"travel records (tickets, bookings, border crossings) on the {origin} → {destination} route would "
               "raise it",
               "evidence that the travellers moved independently of any network would lower it"]
    statement = f"The {origin} → {destination} corridor is used to move trafficking victims."
    return Candidate("corridor", f"corridor:{k.origin}>{k.destination}", statement, markers, sources, gaps,
                      conflicts, changes)


def _method(ctx: _Context, code: str, count: int) -> Candidate | None:
    if not ctx.facts.available or count < 2:
        return None
    evidencing = ctx.facts.method_narratives(code) or []
    total = len(ctx.analysis.narratives) or len(evidencing) or 1
    share = count / total
    communities = [c.id for c in ctx.analysis.communities if code in c.indicators]
    label = indicator_label(code)
    markers = [
        Marker(f"evidenced in {counted(count, 'narrative')}", count >= 2, required=True),
        Marker("three or more narratives", count >= 3),
        Marker(f"in {share:.0%} of narratives (25% or more)", share >= SYSTEMATIC_SHARE),
        Marker(f"in {counted(len(communities), 'community', 'communities')} (2 or more)", len(communities) >= 2),
    ]
    sources = ctx.sources(evidencing)
    gaps = _source_gaps(sources)
    gaps.append("indicators are read from cue phrases: a paraphrase can be missed and a cue misread")
    changes = [f"further narratives from other organisations describing {label} would raise it",
               "a review of the evidencing sentences finding misread cues would lower it"]
    statement = f"{capitalise(label)} is a systematic method of control ({count} of {total} narratives)."
    return Candidate("method", f"method:{code}", statement, markers, sources, gaps, [], changes)


def _exposure(ctx: _Context, c: Community) -> Candidate | None:
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
        Marker(f"{counted(len(direct), 'person', 'people')} one hop from a known exploiter", bool(direct)),
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
    return Candidate("exposure", f"exposure:{c.id}", statement, markers, sources, gaps, [], changes)




def candidates(analysis: AnalysisResult, namer: Pseudonymiser, facts: GraphFacts) -> list[Candidate]:
    """Every candidate of every kind the analysis supports, in a fixed order (the ranking is the caller's)."""
    ctx = _Context(analysis, namer, facts)
    found: list[Candidate | None] = []
    for c in analysis.communities:
        found += [_network(ctx, c), _actor(ctx, c), _exposure(ctx, c)]
    found += [_site(ctx, h) for h in analysis.hotspots]
    found += [_corridor(ctx, k) for k in analysis.corridors]
    found += [_method(ctx, code, n) for code, n in sorted(analysis.indicators.items())]
    return [cand for cand in found if cand is not None]
