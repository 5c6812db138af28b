"""Analyst routes over the graph: search, entity detail with provenance, neighbourhood, paths, and the
whole-graph analysis (communities, key actors, brokers, corridors, hotspots, exposure).

Every answer here is person-level intelligence, so every call is audited with what was asked (identifiers
hashed) and how many results went back. Queries go to the configured store; the analysis is computed once
per graph state (``graph.analysis_cache``) and served from memory until the graph changes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.auth import Caller, requires
from api.errors import ApiError
from api.graph_views import (
    Names, actor_out, broker_out, community_out, corridor_out, edge_out, exposure_out, hotspot_out, index_of, node_out,
    path_out, source_out,
)
from api.routers import ERROR_RESPONSES
from api.schemas.analyst import (
    ActorOut, BrokerOut, CommunityOut, CorridorOut, EntityDetail, ExposureOut, HotspotOut, NodeRef, PathsOut, SearchPageOut,
    SourceOut, SubgraphOut, WatchOut,
)
from api.schemas.common import ErrorBody
from graph import connections
from graph import model as m
from graph.analysis_cache import Analysed
from graph.stores.protocol import MAX_PATH_HOPS
from screening.watchlist import WatchEntry

router = APIRouter(tags=["analyst"], responses=ERROR_RESPONSES)
ANALYST = requires("analyst")
_NOT_FOUND = {404: {"model": ErrorBody, "description": "No such entity."}}
EntityId = Annotated[str, Path(min_length=1, max_length=500, description="A node id, e.g. phone:+447400123456 "
                                                                          "(ids may contain '/').")]
Limit = Annotated[int, Query(ge=1, le=500)]
_HUGE = 1_000_000_000  # beyond any setting: a value above it is malformed, not merely over the limit
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _within(name: str, asked: int | None, default: int, most: int, setting: str) -> int:
    """``asked`` (else ``default``, within ``most``), or 422 if it is over ``most``: a bounded answer is never
    silently smaller than what was asked for."""
    if asked is None:
        return min(default, most)
    if asked > most:
        message = f"at most {most} (the limit {setting} sets)"
        raise ApiError(422, f"the request is invalid: query.{name}: {message}",
                       details=[{"location": f"query.{name}", "message": message, "type": "less_than_equal"}])
    return asked


def _store(caller: Caller) -> Any:
    return caller.services.stores.get()


def _analysed(caller: Caller) -> Analysed:
    return caller.services.analysis.get(_store(caller))


def watch_out(entry: WatchEntry) -> WatchOut:
    return WatchOut(id=entry.id, entity=NodeRef(id=entry.entity_id, label=entry.label, name=entry.name),
                    category=entry.category, reason=entry.reason, by=entry.by, created_at=entry.created_at,
                    removed_at=entry.removed_at, removed_by=entry.removed_by)


@router.get("/entities", response_model=SearchPageOut, summary="Search entities by name or identifier, a page at a time")
def search(q: Annotated[str, Query(min_length=1, max_length=200, description="A name (every word as a prefix) or "
                                                                             "an identifier in any written form.")],
           caller: Caller = ANALYST,
           label: Annotated[list[str] | None, Query(description="Only these node labels.")] = None,
           region: Annotated[str | None, Query(pattern="^[A-Z]{2}$", description="Country for a phone number "
                                               "written without its code (default SIGHTLINE_DEFAULT_REGION).")] = None,
           limit: Annotated[int | None, Query(ge=1, le=_HUGE, description="Results per page (default 20, at most "
                                                                          "SIGHTLINE_API_SEARCH_LIMIT).")] = None,
           offset: Annotated[int, Query(ge=0, le=_HUGE, description="Results to skip: the `next` of the "
                                                                    "previous page.")] = 0) -> SearchPageOut:
    from nlp.identifiers import normalise_phone

    settings = caller.services.settings
    limit = _within("limit", limit, 20, settings.api_search_limit, "SIGHTLINE_API_SEARCH_LIMIT")
    unknown = sorted(set(label or []) - set(m.NODE_LABELS))
    if unknown:
        raise ApiError(422, f"{len(unknown)} unknown label(s); choose from {', '.join(m.NODE_LABELS)}")
    region = region or settings.default_region
    phone = normalise_phone(q, [region]) if region else None
    also = [phone[0]] if phone is not None and phone[0] != q else []  # a national number: stored in E.164
    page = _store(caller).search_page(q, labels=label or None, limit=limit, offset=offset,
                                      scan=settings.api_search_scan, also=also)
    caller.audit(len(page.nodes))
    return SearchPageOut(results=[node_out(n) for n in page.nodes], limit=limit, offset=offset,
                         next=offset + limit if page.more else None, truncated=page.more or page.capped,
                         capped=page.capped)


@router.get("/entities/{entity_id:path}", response_model=EntityDetail, responses=_NOT_FOUND,
            summary="An entity with every relationship and the evidence behind it")
def entity(entity_id: EntityId, caller: Caller = ANALYST,
           limit: Annotated[int, Query(ge=1, le=2000, description="Most relationships listed.")] = 200) -> EntityDetail:
    detail = _store(caller).node(entity_id)
    if detail is None:
        caller.audit(0, outcome="not_found")
        raise ApiError(404, "no entity with this id")
    edges = sorted(detail.edges, key=lambda e: (e.type == m.MENTIONED_IN, -e.confidence, e.id))
    watch = caller.services.watchlist.entries(entity_id=detail.node.id)
    analysed = _analysed(caller)
    names = Names(analysed.graph.nodes)
    own = detail.node.id
    others = sorted({e.target if e.source == own else e.source for e in edges[:limit]})
    sources = {s.id: s for s in (source_out(analysed.graph.nodes.get(e.target, {}), e.narratives[0] if e.narratives
                                            else e.target) for e in edges if e.type == m.MENTIONED_IN)}
    for narrative in detail.narratives:  # mentioned since the last analysis: known by id only
        sources.setdefault(narrative, SourceOut(id=narrative, grading=None, date=None, organisation=None))
    caller.audit(1 + min(limit, len(edges)))
    return EntityDetail(node=node_out(detail.node), relationships=[edge_out(e) for e in edges[:limit]],
                        relationships_total=len(edges), truncated=len(edges) > limit, narratives=detail.narratives,
                        watchlist=[watch_out(w) for w in watch], related=names.refs(others),
                        sources=[sources[k] for k in sorted(sources)],
                        marks=index_of(analysed.state, analysed.result).marks(own))


@router.get("/neighbourhood/{entity_id:path}", response_model=SubgraphOut, responses=_NOT_FOUND,
            summary="Everything within 1 to 3 hops of an entity (bounded: nodes, relationships, evidence)")
def neighbourhood(entity_id: EntityId, caller: Caller = ANALYST,
                  depth: Annotated[int, Query(ge=1, le=3)] = 1,
                  limit: Annotated[int | None, Query(ge=1, le=_HUGE, description=(
                      "Most nodes (default 200, at most SIGHTLINE_API_NEIGHBOURHOOD_LIMIT)."))] = None,
                  edge_limit: Annotated[int | None, Query(ge=1, le=_HUGE, description=(
                      "Most relationships (default and most: SIGHTLINE_API_NEIGHBOURHOOD_EDGE_LIMIT)."))] = None,
                  evidence_limit: Annotated[int | None, Query(ge=1, le=_HUGE, description=(
                      "Most evidence items per relationship (default and most: SIGHTLINE_API_EVIDENCE_LIMIT)."))] = None,
                  marks: Annotated[bool, Query(description="Add each node's network, key actor and broker marks, "
                                                           "and the cited narratives' dates.")] = False) -> SubgraphOut:
    settings = caller.services.settings
    limit = _within("limit", limit, 200, settings.api_neighbourhood_limit, "SIGHTLINE_API_NEIGHBOURHOOD_LIMIT")
    edge_limit = _within("edge_limit", edge_limit, settings.api_neighbourhood_edge_limit,
                         settings.api_neighbourhood_edge_limit, "SIGHTLINE_API_NEIGHBOURHOOD_EDGE_LIMIT")
    evidence_limit = _within("evidence_limit", evidence_limit, settings.api_evidence_limit,
                             settings.api_evidence_limit, "SIGHTLINE_API_EVIDENCE_LIMIT")
    sub = _store(caller).neighbourhood(entity_id, depth=depth, limit=limit, edge_limit=edge_limit,
                                       evidence_limit=evidence_limit)
    if not any(n.id == entity_id for n in sub.nodes):
        caller.audit(0, outcome="not_found")
        raise ApiError(404, "no entity with this id")
    caller.audit(len(sub.nodes))
    cut_evidence = bool(sub.evidence_totals)
    out = SubgraphOut(center=entity_id, depth=depth, nodes=[node_out(n) for n in sub.nodes],
                      edges=[edge_out(e, sub.evidence_totals.get(e.id)) for e in sub.edges],
                      truncated=sub.truncated or sub.edges_truncated or cut_evidence, nodes_truncated=sub.truncated,
                      edges_truncated=sub.edges_truncated, evidence_truncated=cut_evidence, limit=limit,
                      edge_limit=edge_limit, evidence_limit=evidence_limit)
    if marks:
        analysed = _analysed(caller)
        index = index_of(analysed.state, analysed.result)
        out.marks = index.marks_of(n.id for n in sub.nodes)
        out.narrative_dates = index.dates_of({n for e in sub.edges for n in e.narratives})
    return out


@router.get("/paths", response_model=PathsOut, summary="Paths between two entities over social ties, each hop with its narratives")
def paths(source: Annotated[str, Query(min_length=1, max_length=500)],
          target: Annotated[str, Query(min_length=1, max_length=500)],
          caller: Caller = ANALYST,
          mode: Annotated[str, Query(pattern="^(shortest|all)$", description="shortest, or all simple paths.")] = "shortest",
          cutoff: Annotated[int | None, Query(ge=1, le=_HUGE, description=(
              "Longest path in hops (all; default 4, at most SIGHTLINE_API_PATH_MAX_HOPS)."))] = None,
          limit: Annotated[int | None, Query(ge=1, le=_HUGE, description=(
              "Most paths (all; default 10, at most SIGHTLINE_API_PATHS_LIMIT)."))] = None) -> PathsOut:
    settings = caller.services.settings
    cutoff = _within("cutoff", cutoff, 4, settings.api_path_max_hops, "SIGHTLINE_API_PATH_MAX_HOPS")
    limit = _within("limit", limit, 10, settings.api_paths_limit, "SIGHTLINE_API_PATHS_LIMIT")
    if source == target:
        raise ApiError(422, "source and target are the same entity")
    if mode == "shortest":
        limit, cutoff = 1, MAX_PATH_HOPS
    found = connections.paths_between(_store(caller), source, target, mode=mode, cutoff=cutoff, limit=limit)
    caller.audit(len(found.paths))
    names = Names(found.nodes)
    return PathsOut(source=source, target=target, mode=mode, paths=[path_out(p, names) for p in found.paths],  # type: ignore[arg-type]
                    limit=limit, cutoff=cutoff, truncated=found.truncated)


# -- whole-graph analysis ------------------------------------------------------------------------------

@router.get("/analysis/communities", response_model=list[CommunityOut], summary="Networks (Louvain communities), largest first")
def communities(caller: Caller = ANALYST, min_size: Annotated[int, Query(ge=1, le=10_000)] = 2,
                limit: Limit = 50, offset: Offset = 0) -> list[CommunityOut]:
    analysed = _analysed(caller)
    names = Names(analysed.graph.nodes)
    chosen = [c for c in analysed.result.communities if c.size >= min_size][offset:offset + limit]
    caller.audit(len(chosen))
    return caller.services.analysis.derived(analysed, f"communities:{min_size}:{limit}:{offset}",
                                            lambda: [community_out(c, names) for c in chosen])


@router.get("/analysis/key-actors", response_model=list[ActorOut], summary="Key actors per network (degree, betweenness, PageRank)")
def key_actors(caller: Caller = ANALYST, community: Annotated[int | None, Query(ge=0)] = None,
               limit: Limit = 100, offset: Offset = 0) -> list[ActorOut]:
    analysed = _analysed(caller)
    names = Names(analysed.graph.nodes)
    actors = [a for a in analysed.result.actors if community is None or a.community == community][offset:offset + limit]
    caller.audit(len(actors))
    return [actor_out(a, names) for a in actors]


@router.get("/analysis/brokers", response_model=list[BrokerOut], summary="People bridging networks")
def brokers(caller: Caller = ANALYST, limit: Limit = 50, offset: Offset = 0) -> list[BrokerOut]:
    analysed = _analysed(caller)
    names = Names(analysed.graph.nodes)
    chosen = analysed.result.brokers[offset:offset + limit]
    caller.audit(len(chosen))
    return [broker_out(b, names) for b in chosen]


@router.get("/analysis/corridors", response_model=list[CorridorOut], summary="Route corridors, busiest first")
def corridors(caller: Caller = ANALYST, limit: Limit = 50, offset: Offset = 0) -> list[CorridorOut]:
    chosen = _analysed(caller).result.corridors[offset:offset + limit]
    caller.audit(len(chosen))
    return [corridor_out(c) for c in chosen]


@router.get("/analysis/hotspots", response_model=list[HotspotOut], summary="Places and businesses by exploitation incidence")
def hotspots(caller: Caller = ANALYST, limit: Limit = 50, offset: Offset = 0) -> list[HotspotOut]:
    chosen = _analysed(caller).result.hotspots[offset:offset + limit]
    caller.audit(len(chosen))
    return [hotspot_out(h) for h in chosen]


@router.get("/analysis/exposure", response_model=list[ExposureOut], summary="The most exposed people, with their top contributions")
def exposure_ranking(caller: Caller = ANALYST, limit: Limit = 20, offset: Offset = 0,
                     contributions: Annotated[int, Query(ge=0, le=20)] = 3) -> list[ExposureOut]:
    analysed = _analysed(caller)
    names = Names(analysed.graph.nodes)
    chosen = analysed.result.exposure[offset:offset + limit]
    caller.audit(len(chosen))
    return [exposure_out(e, names, keep=contributions) for e in chosen]


@router.get("/analysis/exposure/{person_id:path}", response_model=ExposureOut, responses=_NOT_FOUND,
            summary="One person's social-environment exposure, with every path that produced it")
def exposure(person_id: EntityId, caller: Caller = ANALYST,
             contributions: Annotated[int, Query(ge=1, le=1000)] = 100) -> ExposureOut:
    from graph.analysis import exposure as person_exposure

    analysed = _analysed(caller)
    try:
        result = person_exposure(analysed.graph, person_id, caller.services.settings.exposure_params(),
                                 view=analysed.view)
    except ValueError:
        caller.audit(0, outcome="not_found")
        raise ApiError(404, "no person with this id in the graph") from None
    caller.audit(1 + min(contributions, len(result.contributions)))
    return exposure_out(result, Names(analysed.graph.nodes), keep=contributions)
