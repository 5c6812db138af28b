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
    ActorOut, BrokerOut, CommunityOut, CorridorOut, EntityDetail, ExposureOut, HotspotOut, NodeOut, NodeRef, PathsOut,
    SourceOut, SubgraphOut, WatchOut,
)
from api.schemas.common import ErrorBody
from graph import connections
from graph import model as m
from graph.analysis_cache import Analysed
from screening.watchlist import WatchEntry

router = APIRouter(tags=["analyst"], responses=ERROR_RESPONSES)
ANALYST = requires("analyst")
_NOT_FOUND = {404: {"model": ErrorBody, "description": "No such entity."}}
EntityId = Annotated[str, Path(min_length=1, max_length=500, description="A node id, e.g. phone:+447400123456 "
                                                                          "(ids may contain '/').")]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _store(caller: Caller) -> Any:
    return caller.services.stores.get()


def _analysed(caller: Caller) -> Analysed:
    return caller.services.analysis.get(_store(caller))


def watch_out(entry: WatchEntry) -> WatchOut:
    return WatchOut(id=entry.id, entity=NodeRef(id=entry.entity_id, label=entry.label, name=entry.name),
                    category=entry.category, reason=entry.reason, by=entry.by, created_at=entry.created_at,
                    removed_at=entry.removed_at, removed_by=entry.removed_by)


@router.get("/entities", response_model=list[NodeOut], summary="Search entities by name or identifier")
def search(q: Annotated[str, Query(min_length=1, max_length=200, description="A name (every word as a prefix) or "
                                                                             "an identifier in any written form.")],
           caller: Caller = ANALYST,
           label: Annotated[list[str] | None, Query(description="Only these node labels.")] = None,
           region: Annotated[str | None, Query(pattern="^[A-Z]{2}$", description="Country for a phone number "
                                               "written without its code (default SIGHTLINE_DEFAULT_REGION).")] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[NodeOut]:
    from nlp.identifiers import normalise_phone

    unknown = sorted(set(label or []) - set(m.NODE_LABELS))
    if unknown:
        raise ApiError(422, f"{len(unknown)} unknown label(s); choose from {', '.join(m.NODE_LABELS)}")
    store = _store(caller)
    nodes = []
    region = region or caller.services.settings.default_region
    phone = normalise_phone(q, [region]) if region else None
    if phone is not None and phone[0] != q:  # a national number: the store only knows it in E.164
        nodes = store.search(phone[0], labels=label or None, limit=limit)
    seen = {n.id for n in nodes}
    nodes += [n for n in store.search(q, labels=label or None, limit=limit) if n.id not in seen]
    nodes = nodes[:limit]
    caller.audit(len(nodes))
    return [node_out(n) for n in nodes]


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
            summary="Everything within 1 to 3 hops of an entity (bounded)")
def neighbourhood(entity_id: EntityId, caller: Caller = ANALYST,
                  depth: Annotated[int, Query(ge=1, le=3)] = 1,
                  limit: Annotated[int, Query(ge=1, le=5000, description="Most nodes returned "
                                                                          "(capped by SIGHTLINE_API_NEIGHBOURHOOD_LIMIT).")] = 200,
                  marks: Annotated[bool, Query(description="Add each node's network, key actor and broker marks, "
                                                           "and the cited narratives' dates.")] = False) -> SubgraphOut:
    limit = min(limit, caller.services.settings.api_neighbourhood_limit)
    sub = _store(caller).neighbourhood(entity_id, depth=depth, limit=limit)
    if not any(n.id == entity_id for n in sub.nodes):
        caller.audit(0, outcome="not_found")
        raise ApiError(404, "no entity with this id")
    caller.audit(len(sub.nodes))
    out = SubgraphOut(center=entity_id, depth=depth, nodes=[node_out(n) for n in sub.nodes],
                      edges=[edge_out(e) for e in sub.edges], truncated=sub.truncated)
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
          cutoff: Annotated[int, Query(ge=1, le=6, description="Longest path (all).")] = 4,
          limit: Annotated[int, Query(ge=1, le=20, description="Most paths (all).")] = 10) -> PathsOut:
    store = _store(caller)
    if source == target:
        raise ApiError(422, "source and target are the same entity")
    if mode == "shortest":
        found = connections.shortest_path(store, source, target)
        results = [found] if found is not None else []
    else:
        results = connections.all_paths(store, source, target, cutoff=cutoff, limit=limit)
    nodes: dict[str, dict[str, Any]] = {}
    for node_id in {n for p in results for n in p.nodes}:
        detail = store.node(node_id)
        if detail is not None:
            nodes[node_id] = {"label": detail.node.label, "name": detail.node.name}
    caller.audit(len(results))
    names = Names(nodes)
    return PathsOut(source=source, target=target, mode=mode, paths=[path_out(p, names) for p in results])  # type: ignore[arg-type]


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
