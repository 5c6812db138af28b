"""Analyst routes that change or produce something: the POSSIBLY_SAME_AS review queue, the watchlist, the
analysts' decisions on the victim rule and Key Judgement reports.

Decisions on pairs go through ``store.decide`` (kept in the decision log with who made them, and honoured
on every later ingest); watchlist entries and report jobs are in ``api.sqlite``. Reports pseudonymise
victims unless the request says ``reveal_names``, which is recorded in the audit log both when the report
is ordered and each time it is fetched.

A watchlist entry the victim rule keeps from screening (the person is also a victim, or a victim uses one
of its identifiers) is still recorded, and the answer carries a warning that says so without naming any
victim. For an identifier the exploiting side controls, an analyst records a decision
(``/victim-rule/decisions``, with a reason, audited) after which it screens; withdrawing it restores the rule.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import FileResponse, JSONResponse
from starlette.responses import Response

from api.auth import Caller, requires
from api.errors import ApiError
from api.graph_views import node_ref
from api.routers import ERROR_RESPONSES
from api.routers.analyst import watch_out
from api.routers.common import visible_job
from api.schemas.analyst import (
    PairDecided, PairDecision, PairOut, ReportCreate, ReportOut, ReportQueued, RuleWarningOut,
    VictimRuleDecisionCreate, VictimRuleDecisionOut, WatchCategory, WatchCreate, WatchOut, WatchRemove,
)
from api.schemas.common import ErrorBody
from graph import model as m
from graph import pipeline
from intake.jobs import DONE, REPORT, Job
from screening.victim_rule import AlreadyDecided, NotAnIdentifier, NotWithheld, RuleWarning, record_decision
from screening.watchlist import WatchEntry

router = APIRouter(tags=["analyst"], responses=ERROR_RESPONSES)
ANALYST = requires("analyst")
_NOT_FOUND = {404: {"model": ErrorBody, "description": "Not found."}}
WATCHABLE = (m.PERSON, m.ORGANIZATION, *m.IDENTIFIER_NODE_LABELS)
MEDIA_TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
# A report read inside the workspace is a document of its own: no script, nothing fetched (its figures are
# data: URIs), its own inline styles only, sandboxed even when opened outside the frame, framed only by us.
READER_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
                 "frame-ancestors 'self'; sandbox")


# -- the POSSIBLY_SAME_AS review queue -----------------------------------------------------------------

@router.get("/review/pairs", response_model=list[PairOut], summary="Possible duplicates to review, best score first")
def pairs(caller: Caller = ANALYST,
          status: Annotated[str, Query(pattern="^(pending|confirmed|rejected|all)$")] = "pending",
          limit: Annotated[int, Query(ge=1, le=500)] = 50,
          offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[PairOut]:
    store = caller.services.stores.get()
    wanted = None if status == "all" else status
    # every pair of the graph, scored and sorted, kept until the graph or the decisions change
    ranked = caller.services.analysis.derived(caller.services.analysis.state(store), f"pairs:{status}",
                                              lambda: store.pairs(wanted))
    found = ranked[offset:offset + limit]
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
        raise ApiError(404, "no such pair in the review queue")
    if pair.status != "pending":
        raise ApiError(409, f"this pair was already {pair.status}")
    decision = "confirmed" if body.decision == "confirm" else "rejected"
    try:
        pipeline.decide(store, pair.a.id, pair.b.id, decision, caller.who, body.reason or "")
    except StoreError as error:
        raise ApiError(409, str(error)) from None
    caller.services.analysis.invalidate()  # (every API process: the decision log is one machine's file)
    caller.audit(1, decision=decision, a=pair.a.id, b=pair.b.id, reason=body.reason)
    return PairDecided(id=pair_id, a=pair.a.id, b=pair.b.id, decision=decision, by=caller.who,  # type: ignore[arg-type]
                       reason=body.reason)


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
    warnings = caller.services.screening.watch_warnings([node.id])[node.id]  # before the write: no 500 after it
    entry = caller.services.watchlist.add(node.id, node.label, node.name, body.category, body.reason, caller.key.id,
                                          caller.organisation)
    caller.audit(1, entity_id=node.id, category=body.category, withheld=len(warnings))
    return _with_warnings(entry, warnings)


def _with_warnings(entry: WatchEntry, warnings: list[RuleWarning]) -> WatchOut:
    """The entry as analysts see it, with what the victim rule keeps from screening."""
    out = watch_out(entry)
    out.removed_reason = entry.removed_reason
    out.warnings = [RuleWarningOut(code=w.code, message=w.message, kind=w.kind, value=w.value) for w in warnings]
    return out


@router.get("/watchlist", response_model=list[WatchOut], summary="The watchlist, newest first")
def watchlist(caller: Caller = ANALYST, category: WatchCategory | None = None,
              include_removed: bool = False, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[WatchOut]:
    entries = caller.services.watchlist.entries(category=category, include_removed=include_removed, limit=limit,
                                                offset=offset)
    active = [e.entity_id for e in entries if e.removed_at is None]
    warnings = caller.services.screening.watch_warnings(active) if active else {}
    caller.audit(len(entries))
    return [_with_warnings(e, warnings.get(e.entity_id, []) if e.removed_at is None else []) for e in entries]


@router.delete("/watchlist/{watch_id}", response_model=WatchOut, responses=_NOT_FOUND,
               summary="Take an entry off the watchlist (kept, with who removed it and, if given, why)")
def unwatch(watch_id: Annotated[str, Path(min_length=1, max_length=100)], caller: Caller = ANALYST,
            body: Annotated[WatchRemove | None, Body()] = None) -> WatchOut:
    entry = caller.services.watchlist.get(watch_id)
    if entry is None:
        raise ApiError(404, "no such watchlist entry")
    if entry.removed_at is None:
        entry = caller.services.watchlist.remove(watch_id, caller.who, body.reason if body else None)
        assert entry is not None
    caller.audit(1, reason=body.reason if body else None)
    return _with_warnings(entry, [])


# -- the victim rule: analysts' decisions --------------------------------------------------------------

@router.post("/victim-rule/decisions", response_model=VictimRuleDecisionOut, status_code=201,
             responses={409: {"model": ErrorBody}},
             summary="Decide that one identifier a victim uses is controlled by the exploiting side, so it screens")
def decide_controlled(body: VictimRuleDecisionCreate, caller: Caller = ANALYST) -> VictimRuleDecisionOut:
    screening = caller.services.screening
    _, withheld = screening.victim_rule()
    try:
        decision = record_decision(screening.decisions, withheld, body.kind, body.value,
                          body.region or caller.services.settings.default_region, body.reason, caller.key.id,
                          caller.organisation)
    except NotAnIdentifier:
        raise ApiError(422, f"body.value: not a valid {body.kind}" + (
            " (write a phone number with its country code, or give a region)" if body.kind == "phone" else ""),
            details=[{"location": "body.value", "message": f"not a valid {body.kind}", "type": "value_error"}]) from None
    except AlreadyDecided:
        raise ApiError(409, f"an active decision already covers this {body.kind}; withdraw it first") from None
    except NotWithheld:
        raise ApiError(409, f"the victim rule does not withhold this {body.kind}: no person recorded as a victim "
                       "uses it in the graph, so there is nothing to decide") from None
    caller.audit(1, action="victim_rule_lifted", kind=body.kind, identifier=decision.value, decision_id=decision.id)
    return VictimRuleDecisionOut.model_validate(decision, from_attributes=True)


@router.get("/victim-rule/decisions", response_model=list[VictimRuleDecisionOut],
            summary="Analysts' decisions on the victim rule, newest first (active only unless include_withdrawn)")
def controlled_decisions(caller: Caller = ANALYST, include_withdrawn: bool = False,
                         limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                         offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[VictimRuleDecisionOut]:
    found = caller.services.screening.decisions.entries(include_withdrawn=include_withdrawn, limit=limit,
                                                        offset=offset)
    caller.audit(len(found))
    return [VictimRuleDecisionOut.model_validate(d, from_attributes=True) for d in found]


@router.delete("/victim-rule/decisions/{decision_id}", response_model=VictimRuleDecisionOut, responses=_NOT_FOUND,
               summary="Withdraw a decision (kept, with who withdrew it); the victim rule withholds the identifier again")
def withdraw_decision(decision_id: Annotated[str, Path(min_length=1, max_length=100)],
                      caller: Caller = ANALYST) -> VictimRuleDecisionOut:
    decisions = caller.services.screening.decisions
    decision = decisions.get(decision_id)
    if decision is None:
        raise ApiError(404, "no victim-rule decision with this id")
    if decision.withdrawn_at is None:
        decision = decisions.withdraw(decision_id, caller.who)
        assert decision is not None
    caller.audit(1, action="victim_rule_restored", kind=decision.kind)
    return VictimRuleDecisionOut.model_validate(decision, from_attributes=True)


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


def _report_out(job: Job) -> ReportOut:
    params = job.params
    return ReportOut(job_id=job.id, status=job.status, title=params.get("title"),  # type: ignore[arg-type]
                     yardstick=params.get("yardstick"), formats=list(params.get("formats", [])),
                     available=sorted(params.get("outputs", {})) if job.status == DONE else [],
                     reveal_names=bool(params.get("reveal_names", False)), narratives=params.get("narratives"),
                     created_at=job.created_at, finished_at=job.finished_at, error=job.error)


@router.get("/reports", response_model=list[ReportOut],
            summary="Your organisation's reports, newest first: what was asked for and what is ready")
def list_reports(caller: Caller = ANALYST, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[ReportOut]:
    jobs = caller.services.jobs.list(caller.organisation, REPORT, limit, offset)
    caller.audit(len(jobs))
    return [_report_out(job) for job in jobs]


def _report_file(caller: Caller, job_id: str, format: str) -> Any:
    """The path of a finished report's file in ``format``, or the JSON answer that says why there is none."""
    job = visible_job(caller, job_id, REPORT)
    if job.status != DONE:
        return JSONResponse({"error": {"code": "conflict", "message": f"the report job is {job.status}"
                                       + (f": {job.error}" if job.error else "; try again when it is done"),
                                       "details": {"status": job.status}}}, status_code=409)
    outputs = job.params.get("outputs", {})
    if format not in outputs:
        raise ApiError(404, f"this report was not rendered as {format}; it has {', '.join(sorted(outputs))}")
    path = caller.services.settings.home / outputs[format]
    if not path.is_file():
        raise ApiError(404, "the report file is gone from SIGHTLINE_HOME; order it again")
    caller.audit(1, reveal_names=job.params.get("reveal_names", False), format=format)
    return path


@router.get("/reports/{job_id}", responses={**_NOT_FOUND, 409: {"model": ErrorBody, "description": "Not ready yet."},
                                           200: {"content": {"text/html": {}, "text/markdown": {},
                                                             "application/pdf": {}},
                                                 "description": "The report in the requested format."}},
            response_class=FileResponse, summary="A finished report, as html, md or pdf")
def get_report(job_id: Annotated[str, Path(min_length=1, max_length=100)], caller: Caller = ANALYST,
               format: Annotated[str, Query(pattern="^(html|md|pdf)$")] = "html") -> Any:
    found = _report_file(caller, job_id, format)
    if isinstance(found, Response):
        return found
    return FileResponse(found, media_type=MEDIA_TYPES[format], filename=f"sightline-report-{job_id}.{format}")


@router.get("/reports/{job_id}/view", responses={**_NOT_FOUND, 409: {"model": ErrorBody, "description": "Not ready yet."},
                                                200: {"content": {"text/html": {}, "text/plain": {}},
                                                      "description": "The report to read in a frame."}},
            response_class=FileResponse,
            summary="A finished report to read in the workspace: its HTML (or else its Markdown as plain text), "
                    "inline, sandboxed, with a policy that allows no script and no request")
def view_report(job_id: Annotated[str, Path(min_length=1, max_length=100)], caller: Caller = ANALYST) -> Any:
    job = visible_job(caller, job_id, REPORT)
    format = "html" if "html" in job.params.get("outputs", {}) or job.status != DONE else "md"
    found = _report_file(caller, job_id, format)
    if isinstance(found, Response):
        return found
    media = MEDIA_TYPES["html"] if format == "html" else "text/plain; charset=utf-8"
    return FileResponse(found, media_type=media, content_disposition_type="inline",
                        filename=f"sightline-report-{job_id}.{format}",
                        headers={"Content-Security-Policy": READER_POLICY, "X-Content-Type-Options": "nosniff",
                                 "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})
