"""The report's content as plain data, built once and rendered by both the Markdown and HTML templates.

Keeping every decision (what to list, in what order, under which label) here rather than in the
templates means the two formats cannot drift apart, and the privacy rule is applied in one place: every
node reaches a template only as ``Pseudonymiser.label``, never as an id, name or sentence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graph.analysis.results import AnalysisResult, Community
from reports import evidence
from reports.candidates import HIGH_EXPOSURE, MIN_STRENGTH
from reports.evidence import source_catalogue, sources_for
from reports.figures import parse_date
from reports.grading import CREDIBILITY, RELIABILITY
from reports.graphfacts import GraphFacts
from reports.judgements import MAX_JUDGEMENTS, MIN_JUDGEMENTS, MIN_PROBABILITY, JudgementSet, cite_sources
from reports.pseudonyms import Pseudonymiser
from reports.vocabulary import capitalise, indicator_label
from reports.yardsticks import TITLES, bands

MAX_NETWORKS = 10
MAX_ACTORS = 5
MAX_LISTED = 12  # businesses, phones, places per network
MAX_ROUTES = 15
MAX_EXPOSED = 10
MAX_CONTRIBUTIONS = 3

SECTIONS: tuple[tuple[str, str], ...] = (
    ("bluf", "Bottom line up front"),
    ("key-judgements", "Key Judgements"),
    ("networks", "Networks"),
    ("routes", "Routes"),
    ("exposure", "Exposure"),
    ("indicators", "Indicators"),
    ("gaps", "Intelligence gaps"),
    ("methodology", "Methodology and caveats"),
)


def _listed(items: list[str], limit: int) -> dict[str, Any]:
    return {"items": items[:limit], "more": max(0, len(items) - limit)}


def networks(analysis: AnalysisResult, namer: Pseudonymiser, facts: GraphFacts,
             figures: Mapping[str, str]) -> list[dict[str, Any]]:
    catalogue = source_catalogue(analysis.narratives)
    out = []
    for c in [c for c in analysis.communities if c.size >= 2][:MAX_NETWORKS]:
        actors = sorted((a for a in analysis.actors if a.community == c.id), key=lambda a: (-a.score, a.node))
        masked = sum(1 for m in c.members if namer.is_masked(m))
        financial = facts.financial_identifiers(c.members)
        out.append({
            "id": c.id, "size": c.size, "named": c.size - masked, "pseudonymised": masked,
            "actors": [{"label": namer.label(a.node), "roles": ", ".join(sorted(a.roles)) or "unknown",
                        "score": f"{a.score:.2f}", "aliases": ", ".join(namer.aliases(a.node))}
                       for a in actors[:MAX_ACTORS]],
            "businesses": _listed([namer.label(b) for b in c.businesses], MAX_LISTED),
            "phones": _listed([namer.label(p) for p in c.phones], MAX_LISTED),
            "locations": _listed([namer.label(p) for p in c.locations], MAX_LISTED),
            "financial": None if financial is None else len(financial),
            "indicators": [{"label": indicator_label(code), "code": code, "count": n}
                           for code, n in sorted(c.indicators.items(), key=lambda kv: (-kv[1], kv[0]))],
            "sources": cite_sources(sources_for(c.narratives, catalogue)),
            "figure": figures.get(network_figure_name(c)),
        })
    return out


def network_figure_name(c: Community) -> str:
    return f"network-c{c.id}"


def _modes(modes: Mapping[str, int]) -> str:
    return ", ".join(f"{m} ({n})" for m, n in sorted(modes.items(), key=lambda kv: (-kv[1], kv[0]))) or "unknown"


def routes(analysis: AnalysisResult, namer: Pseudonymiser) -> list[dict[str, Any]]:
    return [{
        "origin": namer.label(k.origin), "destination": namer.label(k.destination), "people": k.people,
        "legs": k.legs, "modes": _modes(k.modes),
        "period": _period(k.period),
        "narratives": ", ".join(k.narratives),
    } for k in analysis.corridors[:MAX_ROUTES]]


def _period(dates: list[str]) -> str:
    """Earliest to latest of the dates that parse; the dates as written when none does."""
    if not dates:
        return "undated"
    parsed = sorted((d, text) for text in dates if (d := parse_date(text)) is not None)
    if not parsed:
        return ", ".join(dict.fromkeys(dates[:3])) + (" …" if len(dates) > 3 else "")
    return " – ".join(dict.fromkeys([parsed[0][1], parsed[-1][1]]))


def exposure(analysis: AnalysisResult, namer: Pseudonymiser) -> list[dict[str, Any]]:
    out = []
    for e in analysis.exposure[:MAX_EXPOSED]:
        out.append({
            "label": namer.label(e.person), "score": f"{e.score:.2f}", "raw": f"{e.raw:.2f}",
            "contributions": [{
                "target": namer.label(x.target), "kind": x.target_kind, "distance": x.distance,
                "contribution": f"{x.contribution:.2f}",
                "path": " → ".join(namer.label(n) for n in x.path),
                "narratives": ", ".join(x.narratives) or "none",
            } for x in e.contributions[:MAX_CONTRIBUTIONS]],
        })
    return out


def indicator_rows(counts: Mapping[str, int], total: int) -> list[dict[str, Any]]:
    return [{"label": capitalise(indicator_label(code)), "code": code, "count": n,
             "share": f"{n / total:.0%}" if total else "–"}
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def global_gaps(analysis: AnalysisResult, js: JudgementSet, facts: GraphFacts) -> list[str]:
    """Gaps that concern the whole collection, not one judgement."""
    gaps: list[str] = []
    if js.shortfall:
        gaps.append(js.shortfall)
    gaps.extend(js.not_formed)
    catalogue = source_catalogue(analysis.narratives)
    ungraded = sorted(sid for sid, s in catalogue.items() if not s.grade.valid)
    if ungraded:
        gaps.append(f"{len(ungraded)} narrative(s) without a valid Admiralty grade, weighed as F6: "
                    f"{', '.join(ungraded[:20])}{' …' if len(ungraded) > 20 else ''}")
    undated = sorted(n.id for n in analysis.narratives if parse_date(n.date) is None)
    if undated:
        gaps.append(f"{len(undated)} narrative(s) without a usable date: they are missing from the timeline")
    no_org = sorted(n.id for n in analysis.narratives if not (n.organisation or "").strip())
    if no_org:
        gaps.append(f"{len(no_org)} narrative(s) without a submitting organisation: they are pooled as one "
                    "organisation, so they cannot corroborate each other")
    orgs = {s.independence_key for s in catalogue.values()}
    if len(orgs) == 1 and catalogue:
        gaps.append("all narratives come from one organisation: no judgement can be independently corroborated")
    pending = facts.count_pending_matches()
    if pending:
        gaps.append(f"{pending} possible identity match(es) (POSSIBLY_SAME_AS) await an analyst's decision")
    unknown = facts.unknown_traveller_legs()
    if unknown:
        gaps.append(f"{unknown} travel leg(s) with an unknown traveller: route counts treat each as one person "
                    "per narrative")
    if facts.available:
        members = [m for c in analysis.communities for m in c.members]
        if not facts.financial_identifiers(members):
            gaps.append("no financial identifiers (IBAN, crypto wallet) linked to any person: money flows are "
                        "not visible")
    else:
        gaps.append("graph not supplied: financial links, identity matches and unknown travellers were not checked")
    if not analysis.corridors:
        gaps.append("no route corridors: no narrative states an origin and a destination")
    return gaps


def _flat(params: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key in sorted(params, key=str):
        value = params[key]
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows.extend(_flat(value, f"{name}."))
        else:
            rows.append((name, json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)))
    return rows


def methodology(analysis: AnalysisResult, js: JudgementSet, reveal_names: bool) -> dict[str, Any]:
    return {
        "yardstick_title": TITLES[js.yardstick],
        "bands": [{"term": b.term, "range": b.percent()} for b in bands(js.yardstick)],
        "reliability": [{"code": k, "meaning": v[0], "weight": f"{v[1]:.1f}"} for k, v in RELIABILITY.items()],
        "credibility": [{"code": k, "meaning": v[0], "weight": f"{v[1]:.1f}"} for k, v in CREDIBILITY.items()],
        "prior": f"{evidence.PRIOR:.2f}", "strength": f"{evidence.STRENGTH:.1f}",
        "discount": f"{evidence.SAME_ORGANISATION_DISCOUNT:.1f}", "cap": f"{evidence.MAX_PROBABILITY:.0%}",
        "min_strength": f"{MIN_STRENGTH:.1f}", "min_probability": f"{MIN_PROBABILITY:.0%}",
        "min_judgements": MIN_JUDGEMENTS, "max_judgements": MAX_JUDGEMENTS,
        "high_exposure": f"{HIGH_EXPOSURE:.2f}",
        "considered": dict(js.considered), "passed": js.passed,
        "parameters": _flat(analysis.parameters or {}),
        "method": analysis.method, "modularity": f"{analysis.modularity:.3f}",
        "reveal_names": reveal_names,
    }


def bluf(analysis: AnalysisResult, js: JudgementSet, summary: Mapping[str, Any]) -> list[str]:
    """The opening paragraph, assembled from counts and the top judgements only."""
    lines = [f"Sightline analysed {summary['narratives']} narrative(s) from {summary['organisations']} "
             f"organisation(s){summary['period_text']}."]
    networks_ = [c for c in analysis.communities if c.size >= 2]
    largest = max((c.size for c in networks_), default=0)
    lines.append(f"It found {len(networks_)} network(s) of two or more people"
                 f"{f' (the largest has {largest})' if networks_ else ''}, {len(analysis.corridors)} route "
                 f"corridor(s) and {len(analysis.hotspots)} exploitation hotspot(s).")
    for j in js.judgements[:3]:
        lines.append(f"{j.id} ({j.term}; {j.confidence} confidence): {j.statement}")
    if js.shortfall:
        lines.append(js.shortfall)
    if analysis.indicators:
        code, n = sorted(analysis.indicators.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        lines.append(f"The most frequently evidenced method of control is {indicator_label(code)} "
                     f"({n} of {summary['narratives']} narratives).")
    return lines


def summary(analysis: AnalysisResult) -> dict[str, Any]:
    catalogue = source_catalogue(analysis.narratives)
    dates = sorted(d for n in analysis.narratives if (d := parse_date(n.date)) is not None)
    period = (dates[0].isoformat(), dates[-1].isoformat()) if dates else None
    return {
        "narratives": len(analysis.narratives),
        "organisations": len({s.independence_key for s in catalogue.values()}),
        "period": period,
        "period_text": f", dated {period[0]} to {period[1]}" if period else "",
    }
