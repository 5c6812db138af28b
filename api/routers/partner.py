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

from fastapi import APIRouter

from api.auth import Caller, requires
from api.errors import ApiError
from api.routers import ERROR_RESPONSES
from api.schemas.common import ErrorBody
from api.schemas.partner import (
    HashedScreenRequest, MatchedOnOut, PsiScreenRequest, PsiScreenResponse, ScreenRequest, ScreenResponse,
    ScreenResultOut,
)
from screening.models import ScreenMatch
from screening.queries import QueryProblem, read_query
from screening.service import NO_MATCH, NoPartnerSecret, PsiUnavailable, QuotaExceeded

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
