"""NGO routes: submit narratives, follow the job, read and correct what was extracted from your own.

An organisation sees only narratives it submitted: any other id answers 404, the same as an id that does
not exist, so the API does not even confirm that someone else's narrative is there. Submissions are
committed to ``api.sqlite`` before the 202 goes out (``intake.jobs``); the extraction runs in the worker.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from api.auth import Caller, requires
from api.errors import ApiError
from api.routers import ERROR_RESPONSES
from api.schemas.common import ErrorBody
from api.schemas.ngo import (
    ConsentResult, ConsentUpdate, CorrectionOut, CorrectionResult, DuplicateOut, EntityCorrection, EntityOut,
    ExtractionOut, NarrativeOut, NarrativeSummary, QueuedNarrative, RejectedOut, SubmissionCounts, SubmissionOut,
)
from graph import pipeline
from intake.jobs import FAILED, QUEUED
from intake.narratives import NarrativeView, corrected_entities, stored_narrative
from intake.readers import InputError
from intake.records import NarrativeSubmit
from intake.sharing import NotStoredYet, change_consent
from intake.submissions import UPLOAD_SUFFIXES, Parsed, item_from, parse_upload
from nlp import NarrativeError

router = APIRouter(tags=["ngo"], responses=ERROR_RESPONSES)
NGO = requires("ngo")
_NOT_FOUND = {404: {"model": ErrorBody, "description": "No such narrative among your organisation's submissions."}}

SUBMIT_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": NarrativeSubmit.model_json_schema()},
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "additionalProperties": False,
        "properties": {"file": {"type": "string", "format": "binary",
                                "description": f"One of {', '.join(UPLOAD_SUFFIXES)}. Batch files (.json, .jsonl, "
                                               ".csv) hold records with `text` and optionally `id`, `language`, "
                                               "`date`, `source_grading`, `consent`, `region`, `title`."}}}},
}}}


def _invalid(error: ValidationError) -> RequestValidationError:
    errors = []
    for e in error.errors():
        loc = tuple(e.get("loc", ()))
        errors.append({**e, "loc": ("body", *loc)} if e.get("type") != "json_invalid" else
                      {**e, "loc": ("body", "?")})
    return RequestValidationError(errors)


async def _parse(request: Request, caller: Caller) -> Parsed:
    settings = caller.services.settings
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("application/json"):
        try:
            body = NarrativeSubmit.model_validate_json(await request.body())
        except ValidationError as error:
            raise _invalid(error) from None
        try:
            return Parsed(items=[item_from(body, settings.max_text_chars, body.reference)])
        except NarrativeError as error:
            raise ApiError(422, f"the narrative cannot be accepted: {error}", details=[
                {"location": "body.text", "message": str(error), "type": "invalid_narrative"}]) from None
    if content_type.startswith("multipart/form-data"):
        try:
            form = await request.form()
        except HTTPException:
            raise
        except Exception as error:  # noqa: BLE001 - a malformed multipart body from the client
            # (the parser's own message may quote the body: name only the kind of failure)
            raise ApiError(400, f"the multipart body cannot be read ({type(error).__name__}); send one file in "
                                "a form field named 'file'") from None
        unknown = sorted(set(form.keys()) - {"file"})
        upload = form.get("file")
        if unknown or not isinstance(upload, UploadFile) or len(form.getlist("file")) != 1:
            raise ApiError(422, "send exactly one file, in a form field named 'file'"
                                + (f" ({len(unknown)} other field(s) sent)" if unknown else ""))
        data = await upload.read()
        try:
            parsed = await run_in_threadpool(parse_upload, upload.filename or "upload", data, caller.organisation,
                                             settings.max_text_chars)
        except InputError as error:
            raise ApiError(422, str(error)) from None
        if not parsed.items:
            raise ApiError(422, f"no narrative in the file could be accepted ({len(parsed.rejected)} rejected)",
                           details=[{"reference": r.reference, "error": r.error} for r in parsed.rejected[:100]])
        return parsed
    raise ApiError(415, "send the narrative as application/json ({\"text\": ...}) or a file as multipart/form-data "
                        f"(field 'file': {', '.join(UPLOAD_SUFFIXES)})")


@router.post("/narratives", status_code=202, response_model=SubmissionOut, openapi_extra=SUBMIT_BODY,
             summary="Submit a narrative (JSON) or a file of narratives (multipart)",
             responses={200: {"model": SubmissionOut, "description": "Every narrative was already known: nothing queued."},
                        202: {"description": "Queued: the job id says where to follow it."},
                        400: {"model": ErrorBody}, 413: {"model": ErrorBody}, 415: {"model": ErrorBody}})
async def submit(request: Request, caller: Caller = NGO) -> JSONResponse:
    """The submission is committed before the answer: a 202 is never lost, even if the server stops.
    Sending a text that was already submitted (by anyone) queues nothing and returns the existing narrative."""
    parsed = await _parse(request, caller)
    params = {"kind": "json" if len(parsed.items) == 1 and not parsed.rejected else "file"}
    submission = await run_in_threadpool(caller.services.jobs.submit_ingest, caller.organisation, caller.key.id,
                                         parsed.items, parsed.rejected, params)
    await run_in_threadpool(caller.audit, len(submission.queued), items=len(parsed.items),
                            existing=len(submission.known), rejected_items=len(parsed.rejected),
                            duplicates=len(parsed.duplicates), text_chars=sum(len(i.text) for i in parsed.items))
    job = submission.job
    narratives = [QueuedNarrative(id=i.narrative_id, reference=i.reference, status=QUEUED, job_id=job.id if job else None)
                  for i in submission.queued]
    narratives += [QueuedNarrative(id=k.narrative_id, reference=i.reference, status=k.status,
                                   job_id=k.job_id if k.organisation == caller.organisation else None)
                   for i, k in submission.known]
    out = SubmissionOut(job_id=job.id if job else None,
                        status=job.status if job else None, narratives=narratives,
                        rejected=[RejectedOut(reference=r.reference, error=r.error) for r in submission.rejected],
                        duplicates=[DuplicateOut(reference=d.reference, narrative_id=d.narrative_id, same_as=d.same_as)
                                    for d in parsed.duplicates],
                        counts=SubmissionCounts(records=parsed.records or len(parsed.items), narratives=len(narratives),
                                                duplicates=len(parsed.duplicates), rejected=len(parsed.rejected)),
                        encoding=parsed.encoding, warnings=parsed.warnings)
    return JSONResponse(out.model_dump(), status_code=202 if submission.queued else 200)


def _view(caller: Caller, narrative_id: str) -> NarrativeView:
    view = caller.services.narratives.view(narrative_id, caller.organisation)
    if view is None:
        caller.audit(0, outcome="not_found")
        raise ApiError(404, f"no narrative {narrative_id!r} among your organisation's submissions")
    return view


@router.get("/narratives", response_model=list[NarrativeSummary], summary="Your organisation's narratives, newest first")
def list_narratives(caller: Caller = NGO, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[NarrativeSummary]:
    views = caller.services.narratives.listing(caller.organisation, limit, offset)
    caller.audit(len(views))
    return [NarrativeSummary(id=v.id, reference=v.reference, status=v.status, submitted_at=v.submitted_at,
                             excerpt=v.text[:160] if v.text else None, title=v.meta.get("title"),
                             date=v.meta.get("date"), language=v.meta.get("language"),
                             consent=v.meta.get("consent"), owner=v.owner, shared=v.shared)
            for v in views]


@router.get("/narratives/{narrative_id}", response_model=NarrativeOut, responses=_NOT_FOUND,
            summary="One of your narratives: status, metadata and text")
def get_narrative(narrative_id: str, caller: Caller = NGO) -> NarrativeOut:
    view = _view(caller, narrative_id)
    caller.audit(1)
    return _narrative_out(view)


def _narrative_out(view: NarrativeView) -> NarrativeOut:
    return NarrativeOut(id=view.id, reference=view.reference, status=view.status, job_id=view.job_id,
                        submitted_at=view.submitted_at, stored_at=view.stored_at, metadata=view.meta, text=view.text,
                        owner=view.owner, shared=view.shared)


@router.patch("/narratives/{narrative_id}", response_model=ConsentResult,
              responses={**_NOT_FOUND, 409: {"model": ErrorBody, "description": "Not stored yet, or another "
                                                                                "organisation's submission owns it."}},
              summary="Change the consent of one of your narratives: the shared graph gains or loses its facts")
def change_narrative_consent(narrative_id: str, body: ConsentUpdate, caller: Caller = NGO) -> ConsentResult:
    """Withdrawing consent (restricted, refused, withdrawn) takes the narrative's facts out of the shared graph
    as deletion does, and keeps it for your organisation; giving it writes them, with your corrections."""
    view = _view(caller, narrative_id)
    if not view.owner:
        caller.audit(0, outcome="conflict")
        raise ApiError(409, "another organisation submitted this text first: its consent decides; yours is kept "
                            "with your own submission only")
    services, s = caller.services, caller.services.settings
    try:
        change = change_consent(services.stores.get(), services.narratives, narrative_id, caller.organisation,
                                body.consent, s.thresholds(), [view.meta.get("region"), s.default_region],
                                f"{caller.organisation} ({caller.key.id}), consent {body.consent}")
    except NotStoredYet:
        raise ApiError(409, "the narrative is not stored yet (queued or failed); change its consent once its job "
                            "is done") from None
    changed = change.shared != change.was_shared
    if changed:
        services.analysis.invalidate()
    caller.audit(1, consent=body.consent, shared=change.shared, changed=changed)
    return ConsentResult(narrative=_narrative_out(_view(caller, narrative_id)), changed=changed,
                         nodes_deleted=change.nodes_deleted, watchlist_changed=change.watchlist_changed)


def _extraction(caller: Caller, view: NarrativeView) -> ExtractionOut:
    if view.extraction is None:
        status = "failed" if view.status == FAILED else "not extracted yet"
        raise ApiError(409, f"narrative {view.id!r} is {status} (job {view.job_id})",
                       details={"status": view.status, "job_id": view.job_id})
    x = view.extraction
    corrections = caller.services.narratives.corrections(view.id, caller.organisation)
    return ExtractionOut(narrative_id=view.id, language=x["language"], ner=x["ner"], narrator=x["narrator"],
                         entities=[EntityOut(**e) for e in corrected_entities(x, corrections)],
                         relations=x["relations"], routes=x["routes"], roles=x["roles"], indicators=x["indicators"],
                         warnings=x["warnings"], corrections=[CorrectionOut(**asdict(c)) for c in corrections])


@router.get("/narratives/{narrative_id}/extraction", response_model=ExtractionOut,
            responses={**_NOT_FOUND, 409: {"model": ErrorBody, "description": "Not extracted yet, or it failed."}},
            summary="What was extracted from one of your narratives, with the corrections applied")
def get_extraction(narrative_id: str, caller: Caller = NGO) -> ExtractionOut:
    view = _view(caller, narrative_id)
    out = _extraction(caller, view)
    caller.audit(len(out.entities))
    return out


def _correct_graph(caller: Caller, view: NarrativeView, entity_id: str, body: EntityCorrection) -> None:
    """The graph store records the correction (it holds for every later ingest) and writes the narrative again
    with it applied: a rejected mention's evidence goes (and what only it supported), a relabelled one moves
    to a node of its new label. First, so that a correction the graph cannot take is not recorded either.

    Only the owner's corrections reach the graph, and only while the narrative is shared (``intake.sharing``
    replays them when consent is given); another submitter's are checked the same way and kept as its notes."""
    narrative_id = view.id
    from graph.corrections import CorrectionError, make_correction
    from nlp.extraction import Entity, Extraction

    stored = stored_narrative(caller.services.db, narrative_id)
    assert stored is not None  # (it has an extraction, so the worker stored it)
    raw = next(e for e in stored.extraction["entities"] if e["id"] == entity_id)
    s = caller.services.settings
    try:
        correction = make_correction(stored.content_hash, Entity(**raw), body.action,
                                     f"{caller.organisation} ({caller.key.id})", body.label,
                                     [stored.meta.get("region"), s.default_region])
    except CorrectionError as error:
        raise ApiError(422, f"entity {entity_id!r} cannot be relabelled {body.label}: {error}",
                       details=[{"location": "body.label", "message": str(error), "type": "invalid_relabel"}]) from None
    if not (view.owner and view.shared):
        return
    pipeline.correct(caller.services.stores.get(), correction, Extraction.from_dict(stored.extraction), stored.text,
                     s.thresholds())
    caller.services.analysis.invalidate()


@router.patch("/narratives/{narrative_id}/entities/{entity_id}", response_model=CorrectionResult,
              responses={**_NOT_FOUND, 409: {"model": ErrorBody, "description": "Not extracted yet."}},
              summary="Reject or relabel an extracted entity (or restore it); recorded with who did it, applied to "
                      "the graph when your submission owns the narrative and it is shared")
def correct_entity(narrative_id: str, entity_id: str, body: EntityCorrection, caller: Caller = NGO) -> CorrectionResult:
    view = _view(caller, narrative_id)
    current = {e.id: e for e in _extraction(caller, view).entities}
    entity = current.get(entity_id)
    if entity is None:
        raise ApiError(404, f"narrative {narrative_id!r} has no extracted entity {entity_id!r}")
    if body.action == "relabel" and body.label is None:
        raise ApiError(422, "relabel needs a label", details=[{"location": "body.label", "message": "required for relabel",
                                                               "type": "missing"}])
    if body.action != "relabel" and body.label is not None:
        raise ApiError(422, f"{body.action} takes no label", details=[{"location": "body.label",
                                                                        "message": "only for relabel", "type": "extra"}])
    if body.action == "relabel" and body.label == entity.label:
        raise ApiError(409, f"entity {entity_id!r} already has the label {body.label}")
    _correct_graph(caller, view, entity_id, body)
    records = caller.services.narratives
    correction = records.correct(narrative_id, entity_id, body.action, body.label, body.reason, caller.key.id,
                                 caller.organisation)
    caller.audit(1, action=body.action, label=body.label)
    updated = {e.id: e for e in _extraction(caller, view).entities}[entity_id]
    return CorrectionResult(entity=updated, correction=CorrectionOut(**asdict(correction)))
