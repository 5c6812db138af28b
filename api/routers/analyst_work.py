"""Analyst routes that change or produce something: the POSSIBLY_SAME_AS review queue, the watchlist and
Key Judgement reports.

Decisions on pairs go through ``store.decide`` (kept in the decision log with who made them, and honoured
on every later ingest); watchlist entries and report jobs are in ``api.sqlite``. Reports pseudonymise
victims unless the request says ``reveal_names``, which is recorded in the audit log both when the report
is ordered and each time it is fetched.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse, JSONResponse

from api.auth import Caller, requires
from api.errors import ApiError
from api.graph_views import node_ref
from api.routers import ERROR_RESPONSES
from api.routers.analyst import watch_out
from api.routers.common import visible_job
from api.schemas.analyst import (
    PairDecided, PairDecision, PairOut, ReportCreate, ReportQueued, WatchCategory, WatchCreate, WatchOut,
)
from api.schemas.common import ErrorBody
from graph import model as m
from graph import pipeline
from intake.jobs import DONE, REPORT

router = APIRouter(tags=["analyst"], responses=ERROR_RESPONSES)
ANALYST = requires("analyst")
_NOT_FOUND = {404: {"model": ErrorBody, "description": "Not found."}}
WATCHABLE = (m.PERSON, m.ORGANIZATION, *m.IDENTIFIER_NODE_LABELS)
MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}


# -- the POSSIBLY_SAME_AS review queue -----------------------------------------------------------------

@router.get("/review/pairs", response_model=list[PairOut], summary="Possible duplicates to review, best score first")
def pairs(caller: Caller = ANALYST,
          status: Annotated[str, Query(pattern="^(pending|confirmed|rejected|all)$")] = "pending",
          limit: Annotated[int, Query(ge=1, le=500)] = 50,
          offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[PairOut]:
    found = caller.services.stores.get().pairs(None if status == "all" else status)[offset:offset + limit]
    caller.audit(len(found))
    return [PairOut(id=p.edge_id, a=node_ref(p.a), b=node_ref(p.b), score=p.score, reason=p.reason, status=p.status)
            for p in found]


@router.post("/review/pairs/{pair_id}", response_model=PairDecided, responses={**_NOT_FOUND, 409: {"model": ErrorBody}},
             summary="Confirm (merge) or reject a pending pair; the decision is kept with who made it")
def decide(pair_id: Annotated[str, Path(min_length=1, max_length=200)], body: PairDecision,
           caller: Caller = ANALYST) -> PairDecided:
    from graph.stores.protocol import StoreError

    store = caller.services.stores.get()
    pair = next((p for p in store.pairs(None) if p.edge_id == pair_id), None)
    if pair is None:
        raise ApiError(404, f"no pair {pair_id!r} in the review queue")
    if pair.status != "pending":
        raise ApiError(409, f"pair {pair_id!r} was already {pair.status}")
    decision = "confirmed" if body.decision == "confirm" else "rejected"
    try:
        pipeline.decide(store, pair.a.id, pair.b.id, decision, caller.who)
    except StoreError as error:
        raise ApiError(409, str(error)) from None
    caller.audit(1, decision=decision, a=pair.a.id, b=pair.b.id)
    return PairDecided(id=pair_id, a=pair.a.id, b=pair.b.id, decision=decision, by=caller.who)  # type: ignore[arg-type]


# -- watchlist -----------------------------------------------------------------------------------------

@router.post("/watchlist", response_model=WatchOut, status_code=201, responses={**_NOT_FOUND, 409: {"model": ErrorBody}},
             summary="Flag an entity (person, business or identifier) with a category and a reason")
def watch(body: WatchCreate, caller: Caller = ANALYST) -> WatchOut:
    detail = caller.services.stores.get().node(body.entity_id)
    if detail is None:
        raise ApiError(404, "no entity with this id")
    node = detail.node
    if node.label not in WATCHABLE:
        raise ApiError(422, f"a {node.label} cannot be flagged; flag a person, an organisation or an identifier")
    roles = set((node.props.get("roles") or {}).keys())
    if "victim" in roles and not roles & m.EXPLOITER_ROLES:
        raise ApiError(409, "this person is known only as a victim; victims are never put on the watchlist")
    if any(e.category == body.category for e in caller.services.watchlist.entries(entity_id=node.id)):
        raise ApiError(409, f"already on the watchlist under {body.category}")
    entry = caller.services.watchlist.add(node.id, node.label, node.name, body.category, body.reason, caller.key.id,
                                          caller.organisation)
    caller.audit(1, entity_id=node.id, category=body.category)
    return watch_out(entry)


@router.get("/watchlist", response_model=list[WatchOut], summary="The watchlist, newest first")
def watchlist(caller: Caller = ANALYST, category: WatchCategory | None = None,
              include_removed: bool = False, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[WatchOut]:
    entries = caller.services.watchlist.entries(category=category, include_removed=include_removed, limit=limit,
                                                offset=offset)
    caller.audit(len(entries))
    return [watch_out(e) for e in entries]


@router.delete("/watchlist/{watch_id}", response_model=WatchOut, responses=_NOT_FOUND,
               summary="Take an entry off the watchlist (kept, with who removed it)")
def unwatch(watch_id: Annotated[str, Path(min_length=1, max_length=100)], caller: Caller = ANALYST) -> WatchOut:
    entry = caller.services.watchlist.get(watch_id)
    if entry is None:
        raise ApiError(404, f"no watchlist entry {watch_id!r}")
    if entry.removed_at is None:
        entry = caller.services.watchlist.remove(watch_id, caller.who)
        assert entry is not None
    caller.audit(1)
    return watch_out(entry)


# -- reports -------------------------------------------------------------------------------------------

@router.post("/reports", response_model=ReportQueued, status_code=202,
             summary="Start a Key Judgement report job (victims pseudonymised unless reveal_names)")
def order_report(body: ReportCreate, caller: Caller = ANALYST) -> ReportQueued:
    settings = caller.services.settings
    params: dict[str, Any] = {"yardstick": body.yardstick or settings.report_yardstick,
                              "formats": sorted(set(body.formats)), "reveal_names": body.reveal_names,
                              "title": body.title}
    job = caller.services.jobs.submit(REPORT, caller.organisation, caller.key.id, params)
    caller.audit(1, reveal_names=body.reveal_names, formats=params["formats"], yardstick=params["yardstick"])
    return ReportQueued(job_id=job.id, status=job.status, reveal_names=body.reveal_names)


@router.get("/reports/{job_id}", responses={**_NOT_FOUND, 409: {"model": ErrorBody, "description": "Not ready yet."},
                                           200: {"content": {"text/html": {}, "text/markdown": {},
                                                             "application/pdf": {}},
                                                 "description": "The report in the requested format."}},
            response_class=FileResponse, summary="A finished report, as html, md or pdf")
def get_report(job_id: Annotated[str, Path(min_length=1, max_length=100)], caller: Caller = ANALYST,
               format: Annotated[str, Query(pattern="^(html|md|pdf)$")] = "html") -> Any:
    job = visible_job(caller, job_id, REPORT)
    if job.status != DONE:
        return JSONResponse({"error": {"code": "conflict", "message": f"report job {job_id} is {job.status}"
                                       + (f": {job.error}" if job.error else "; try again when it is done"),
                                       "details": {"status": job.status}}}, status_code=409)
    outputs = job.params.get("outputs", {})
    if format not in outputs:
        raise ApiError(404, f"this report was not rendered as {format}; it has {', '.join(sorted(outputs))}")
    path = caller.services.settings.home / outputs[format]
    if not path.is_file():
        raise ApiError(404, "the report file is gone from SIGHTLINE_HOME; order it again")
    caller.audit(1, reveal_names=job.params.get("reveal_names", False), format=format)
    return FileResponse(path, media_type=MEDIA_TYPES[format], filename=f"sightline-report-{job_id}.{format}")
