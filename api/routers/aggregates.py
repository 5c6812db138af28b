"""``GET /v1/aggregates``: k-anonymous counts of victims and cases, the only figures partners and NGOs get
about the shared graph (docs/sharing.md).

Every role may ask; what comes back is the published table, released through the ledger in ``api.sqlite``
(``sharing.release_ledger``), so asking again after one more narrative shows nothing of it. Analysts and
administrators may add ``show_suppressed=true`` to see the true counts and why each cell would be suppressed:
a preview, not a release (the ledger is not touched); a partner or an NGO asking for it gets 403. The
counting (pandas) runs in ``sharing.aggregates``; the true counts are kept per graph state and field list
(``AnalysisCache.derived``), the release is decided on every request. Every call is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import Caller, requires
from api.errors import ApiError
from api.routers import ERROR_RESPONSES
from api.schemas.aggregates import AggregateCellOut, AggregateOut
from api.schemas.common import ErrorBody
from sharing.aggregates import (
    AggregateError,
    cells_out,
    check_k,
    count,
    frame_of_store,
    parse_by,
    release,
)
from sharing.release_ledger import ReleaseLedger

router = APIRouter(tags=["aggregates"], responses=ERROR_RESPONSES)
EVERYONE = requires("partner", "ngo", "analyst", "admin")
MAY_PREVIEW = {"analyst", "admin"}


@router.get("/aggregates", response_model=AggregateOut, responses={400: {"model": ErrorBody}},
            summary="Victims and cases by up to four fields, small cells suppressed (k-anonymous)")
def aggregates(caller: Caller = EVERYONE,
               by: Annotated[str, Query(max_length=200, description="Fields, comma-separated: year, country_of_origin, "
                                        "country_of_exploitation, type_of_exploitation, method_of_control, "
                                        "age_band, sex.")] = "",
               k: Annotated[int | None, Query(ge=-1_000_000, le=1_000_000, description="Threshold; at least the "
                                              "server's SIGHTLINE_SHARE_K (default 11).")] = None,
               show_suppressed: Annotated[bool, Query(description="Analysts and administrators: true counts with "
                                                      "a flag per cell (a preview, not a release).")] = False,
               ) -> AggregateOut:
    if show_suppressed and caller.role not in MAY_PREVIEW:
        caller.audit(outcome="denied")
        raise ApiError(403, "only analysts and administrators may see suppressed counts",
                       details={"required": sorted(MAY_PREVIEW), "role": caller.role})
    minimum = caller.services.settings.share_k
    try:
        fields = parse_by(by)
        threshold = check_k(minimum if k is None else k, minimum=minimum)
    except AggregateError as error:
        caller.audit(0, outcome="invalid")
        raise ApiError(400, str(error)) from None
    if threshold != minimum and caller.role not in MAY_PREVIEW:
        # the ledger keeps each k's releases apart, so a table at k=12 has no history to be held to: a partner
        # or an NGO choosing k could difference it against the k=11 release. They get the deployment's k.
        caller.audit(0, outcome="denied")
        raise ApiError(403, "only analysts and administrators may choose k; leave it out",
                       details={"required": sorted(MAY_PREVIEW), "role": caller.role})
    store = caller.services.stores.get()
    cache = caller.services.analysis
    state = cache.state(store)
    frame = cache.derived(state, "victim-case-frame", lambda: frame_of_store(store))
    try:
        counts = cache.derived(state, "aggregate-counts:" + ",".join(fields), lambda: count(frame, fields))
    except AggregateError as error:  # a table too large to publish
        caller.audit(0, outcome="invalid")
        raise ApiError(400, str(error)) from None
    table = release(counts, threshold, ReleaseLedger(caller.services.db), record=not show_suppressed)
    caller.audit(len(table.cells), by=list(fields), k=threshold, suppressed=table.suppressed,
                 preview=show_suppressed)
    return AggregateOut(by=list(fields), k=threshold, cells=[AggregateCellOut.model_validate(c) for c in cells_out(table, with_truth=show_suppressed)],
                        suppressed=table.suppressed, preview=show_suppressed)
