"""The workspace's map, timeline and dashboards as API routes: corridors and hotspots with coordinates, the
graph's dated events, and counts of narratives over time, by country, exploitation and control.

Map and timeline are the analyst's (person-level intelligence, like the rest of the analysis). The dashboard
is the analyst's and the NGO's, scoped by role: an analyst counts every narrative of the shared graph; an NGO
counts only what its own organisation submitted, read from its own records (``intake.insight``), never from
the graph, so another organisation's figures cannot reach it. Every call is audited with its scope and size.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.auth import Caller, requires
from api.routers import ERROR_RESPONSES
from api.schemas.insight import DashboardOut, MapOut, TimelineOut
from graph.analysis_cache import Analysed
from graph.insight.dashboard import dashboard as count_narratives
from graph.insight.dashboard import facts_from_graph
from graph.insight.mapping import map_of_graph
from graph.insight.timeline import timeline as dated_events
from intake.insight import organisation_facts

router = APIRouter(prefix="/insight", tags=["insight"], responses=ERROR_RESPONSES)
ANALYST = requires("analyst")
ANALYST_OR_NGO = requires("analyst", "ngo")
Kind = Literal["narrative", "recruitment", "travel", "exploitation", "control"]


def _analysed(caller: Caller) -> Analysed:
    return caller.services.analysis.get(caller.services.stores.get())


@router.get("/map", response_model=MapOut, summary="Corridors and hotspots with coordinates, for an offline map")
def insight_map(caller: Caller = ANALYST,
                limit: Annotated[int, Query(ge=1, le=500, description="At most this many corridors and this many "
                                                                       "hotspots, busiest and highest first.")] = 100) -> MapOut:
    analysed = _analysed(caller)
    out = caller.services.analysis.derived(analysed, f"map:{limit}", lambda: MapOut.model_validate(
        asdict(map_of_graph(analysed.graph, analysed.result.corridors, limit))))
    caller.audit(len(out.corridors) + len(out.hotspots), unplaced=out.unplaced)
    return out


@router.get("/timeline", response_model=TimelineOut, summary="Dated events of the graph, earliest first")
def insight_timeline(caller: Caller = ANALYST,
                     kind: Annotated[list[Kind] | None, Query(description="Only these kinds (repeatable).")] = None,
                     limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> TimelineOut:
    analysed = _analysed(caller)
    kinds = sorted(set(kind or []))
    result = caller.services.analysis.derived(
        analysed, f"timeline:{','.join(kinds)}:{limit}",
        lambda: TimelineOut.model_validate(asdict(dated_events(analysed.graph, kinds or None, limit))))
    caller.audit(len(result.events))
    return result


@router.get("/dashboard", response_model=DashboardOut,
            summary="Narratives over time, by country, exploitation and control (an NGO: its own only)")
def insight_dashboard(caller: Caller = ANALYST_OR_NGO) -> DashboardOut:
    if caller.role == "ngo":
        board = count_narratives(organisation_facts(caller.services.narratives, caller.organisation),
                                 "organisation", caller.organisation)
    else:
        analysed = _analysed(caller)
        board = caller.services.analysis.derived(analysed, "dashboard",
                                                 lambda: count_narratives(facts_from_graph(analysed.graph), "graph"))
    caller.audit(board.narratives, mode=board.scope)  # "mode" is kept readable in the audit log
    return DashboardOut.model_validate(asdict(board))
