"""Partner routes (role ``partner``): screening identifiers, people and companies against flagged entities.

The answers are ``ScreenResultOut`` and nothing else: matched or not, a score, which feature matched and
how, the category of concern and a reference to quote when calling Sightline's analysts. Never narrative
text, node ids, reasons or anything about victims (``screening.flagged`` keeps victims out of the index).

Every request is audited with the partner's key and organisation, the number of queries and of matches,
and each screened identifier and name as a keyed hash (``state.audit``); a request over the key's hourly
allowance gets 429 before anything is screened.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from api.auth import Caller, requires
from api.errors import ApiError
from api.routers import ERROR_RESPONSES
from api.schemas.common import ErrorBody
from api.schemas.partner import (
    HashedScreenRequest, MatchedOnOut, PsiScreenRequest, PsiScreenResponse, ScreenedRowOut, ScreenFileResponse,
    ScreenRequest, ScreenResponse, ScreenResultOut,
)
from screening.models import ScreenMatch
from screening.queries import QueryProblem, read_query
from screening.service import MAX_QUERIES, NO_MATCH, NoPartnerSecret, PsiUnavailable, QuotaExceeded
from screening.uploads import MAX_FILE_ROWS, UPLOAD_SUFFIXES, UploadError, read_upload

router = APIRouter(tags=["partner"], responses=ERROR_RESPONSES)
PARTNER = requires("partner")
_LIMITED = {429: {"model": ErrorBody, "description": "More queries than the key's hourly allowance."}}


def result_out(match: ScreenMatch) -> ScreenResultOut:
    on = match.matched_on
    return ScreenResultOut(matched=match.matched, score=round(float(match.score), 4),
                           matched_on=MatchedOnOut(feature=on.feature, method=on.method) if on else None,  # type: ignore[arg-type]
                           category=match.category, reference=match.reference,
                           explanation=list(match.explanation), warnings=list(match.warnings))


def _charge(caller: Caller, queries: int) -> None:
    try:
        caller.services.screening.charge(caller.key.id, queries)
    except QuotaExceeded as error:
        caller.audit(outcome="rate_limited", queries=queries)
        raise ApiError(429, str(error)) from None


@router.post("/screen", response_model=ScreenResponse, responses=_LIMITED,
             summary="Screen up to 1,000 identifiers, people or companies against the flagged entities")
def screen(body: ScreenRequest, caller: Caller = PARTNER) -> ScreenResponse:
    region = caller.services.settings.default_region
    read, problems = [], []
    for position, item in enumerate(body.queries):
        try:
            read.append(read_query(item.model_dump(), default_region=region, strict=body.strict))
        except QueryProblem as problem:
            problems.append({"location": f"body.queries.{position}.{problem.field}", "message": problem.message,
                             "type": "value_error"})
    if problems:
        summary = "; ".join(f"{p['location']}: {p['message']}" for p in problems[:3])
        more = len(problems) - 3
        raise ApiError(422, f"the request is invalid: {summary}" + (f" (and {more} more)" if more > 0 else ""),
                       details=problems[:20])
    queries = [r.query for r in read if r.query is not None]
    _charge(caller, len(queries))
    answers = iter(caller.services.screening.screen(queries, require_dob_match=body.require_dob_match))
    # A query with nothing left to screen is answered "no match" with its warnings, never silently.
    results = [replace(next(answers) if r.query is not None else NO_MATCH, warnings=tuple(r.warnings)) for r in read]
    caller.audit(sum(r.matched for r in results), mode="plain", queries=len(queries),
                 screened=[v for r in read for v in r.audited], warned=sum(bool(r.warnings) for r in read))
    return ScreenResponse(results=[result_out(r) for r in results])


@router.post("/screen/hashed", response_model=ScreenResponse,
             responses={**_LIMITED, 409: {"model": ErrorBody, "description": "No HMAC secret agreed with your organisation."}},
             summary="Privacy-preserving screening: keyed hashes of identifiers instead of identifiers")
def screen_hashed(body: HashedScreenRequest, caller: Caller = PARTNER) -> ScreenResponse:
    _charge(caller, len(body.hashes))
    try:
        results = caller.services.screening.screen_hashed(caller.organisation, body.hashes)
    except NoPartnerSecret:
        caller.audit(outcome="no_secret", queries=len(body.hashes))
        raise ApiError(409, "no HMAC secret has been agreed with your organisation yet; ask Sightline's "
                            "administrators for one (`sightline partners hmac-key ORG`)") from None
    caller.audit(sum(r.matched for r in results), mode="hashed", queries=len(body.hashes), screened=body.hashes)
    return ScreenResponse(results=[result_out(r) for r in results])


@router.post("/screen/psi", response_model=PsiScreenResponse,
             responses={**_LIMITED, 503: {"model": ErrorBody, "description": "PSI is not installed on the server."}},
             summary="Private set intersection (ECDH-PSI, OpenMined): learn which of your identifiers are flagged; "
                     "the service sees none of them")
def screen_psi(body: PsiScreenRequest, caller: Caller = PARTNER) -> PsiScreenResponse:
    try:
        request = base64.b64decode(body.request, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(422, "request must be base64 of a PSI client request") from None
    service = caller.services.screening
    try:
        setup, response, count = service.psi_respond(request)
    except PsiUnavailable as error:
        status = 503 if "not installed" in str(error) else 422
        raise ApiError(status, str(error)) from None
    _charge(caller, count)
    # The service cannot know which items matched: only the partner can compute the intersection.
    caller.audit(None, mode="psi", queries=count)
    return PsiScreenResponse(setup=base64.b64encode(setup).decode("ascii"),
                             response=base64.b64encode(response).decode("ascii"))


FILE_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "additionalProperties": False,
    "properties": {"file": {"type": "string", "format": "binary", "description": (
        f"One of {', '.join(UPLOAD_SUFFIXES)}, at most {MAX_FILE_ROWS:,} rows, with any of the columns id, name, "
        "birth_date, country, phone, email, iban, wallet, kind, region (usual bank names such as DOB or "
        "nationality are understood); CSV in any encoding and separator.")}}}}}}}
_FILE_ERRORS = {**_LIMITED, 400: {"model": ErrorBody, "description": "The multipart body cannot be read."},
                413: {"model": ErrorBody, "description": "The file is too large or has too many rows."},
                415: {"model": ErrorBody, "description": "Not multipart, or a file type that cannot be screened."}}


async def _upload(request: Request) -> tuple[str, bytes]:
    """The one file of a multipart body: (its name without folders, its bytes)."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise ApiError(415, "send the file as multipart/form-data in a field named 'file'")
    try:
        form = await request.form()
    except HTTPException:
        raise
    except Exception as error:  # noqa: BLE001 - a malformed body (its parser's message may quote it)
        raise ApiError(400, f"the multipart body cannot be read ({type(error).__name__}); send one file in a "
                            "form field named 'file'") from None
    upload = form.get("file")
    if set(form.keys()) - {"file"} or not isinstance(upload, UploadFile) or len(form.getlist("file")) != 1:
        raise ApiError(422, "send exactly one file, in a form field named 'file', and no other field")
    name = (upload.filename or "upload.csv").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload.csv"
    return name, await upload.read()


def _screen_rows(caller: Caller, filename: str, data: bytes) -> ScreenFileResponse:
    try:
        batch = read_upload(filename, data, caller.services.settings.default_region)
    except UploadError as error:
        caller.audit(0, outcome="invalid", mode="file", size=len(data))
        raise ApiError(error.status, str(error)) from None
    usable = [row for row in batch.rows if row.screenable]
    _charge(caller, len(usable))
    found = []
    for start in range(0, len(usable), MAX_QUERIES):
        found += caller.services.screening.screen([row.read.query for row in usable[start:start + MAX_QUERIES]])
    answers = iter(found)
    ids = batch.table.frame[batch.table.columns["id"]].tolist() if "id" in batch.table.columns else None
    rows: list[ScreenedRowOut] = []
    for position, row in enumerate(batch.rows):
        if not row.screenable:  # nothing read: only its number and why, never its cells
            rows.append(ScreenedRowOut(row=position + 2, screened=False, query={},
                                       result=result_out(replace(NO_MATCH, warnings=tuple(row.warnings)))))
            continue
        answer = next(answers)
        reference = (str(ids[position]).strip()[:100] or None) if ids is not None else None
        rows.append(ScreenedRowOut(row=position + 2, screened=True, reference=reference, query=dict(row.read.fields),
                                   result=result_out(replace(answer, warnings=(*row.warnings, *answer.warnings)))))
    matched = sum(r.result.matched for r in rows)
    caller.audit(matched, mode="file", queries=len(usable), rows=len(rows),
                 screened=[v for row in usable for v in row.read.audited], warned=sum(bool(r.warnings) for r in batch.rows))
    return ScreenFileResponse(filename=filename, notes=list(batch.notes), columns=sorted(batch.table.columns),
                              rows=rows, screened=len(usable), matched=matched, not_screened=len(rows) - len(usable))


@router.post("/screen/file", response_model=ScreenFileResponse, openapi_extra=FILE_BODY, responses=_FILE_ERRORS,
             summary="Screen a file of identifiers, people and companies (CSV or Excel), row by row")
async def screen_file(request: Request, caller: Caller = PARTNER) -> ScreenFileResponse:
    """The file is read as ``sightline screen`` reads it (``screening.uploads``): a value that cannot be read is
    left out of its row with a warning, a row with nothing readable is answered ``screened: false`` and is not
    echoed. Each screened row counts against the key's hourly allowance, as on ``POST /v1/screen``."""
    filename, data = await _upload(request)
    return await run_in_threadpool(_screen_rows, caller, filename, data)
