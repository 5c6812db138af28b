"""Routes for more than one group: a health check (no key needed), ``/v1/me``, and jobs.

A job is visible to its organisation only, and only to the role that starts that kind of job (ingestion:
``ngo``; reports: ``analyst``); anything else answers 404, as if there were no such job.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import PUBLIC, Caller, requires
from api.errors import ApiError
from api.routers import ERROR_RESPONSES
from api.schemas.common import ErrorBody, Health, JobItemOut, JobOut, Me, Progress
from intake.jobs import EXISTING, FAILED, INGEST, QUEUED, REPORT, STORED, Job

router = APIRouter(tags=["service"], responses=ERROR_RESPONSES)
VERSION = "1"
KIND_OF_ROLE = {"ngo": INGEST, "analyst": REPORT}


@router.get("/health", response_model=Health, dependencies=[requires(PUBLIC)],
            summary="Is the server up (no key needed)")
def health() -> Health:
    return Health(status="ok", version=VERSION)


@router.get("/me", response_model=Me, summary="The role and organisation of the calling key")
def me(caller: Caller = requires("ngo", "analyst", "partner", "admin")) -> Me:
    return Me(key_id=caller.key.id, role=caller.role, organisation=caller.organisation)  # type: ignore[arg-type]


def job_out(caller: Caller, job: Job, with_items: bool = True) -> JobOut:
    progress, items = None, []
    if job.kind == INGEST:
        rows = caller.services.jobs.items(job.id)
        counts = Counter(r.status for r in rows)
        progress = Progress(total=len(rows), done=len(rows) - counts[QUEUED], queued=counts[QUEUED],
                            stored=counts[STORED], existing=counts[EXISTING], failed=counts[FAILED])
        if with_items:
            items = [JobItemOut(seq=r.seq, narrative_id=r.narrative_id or None, reference=r.reference,
                                status=r.status, error=r.error) for r in rows]
    result = None
    if job.kind == REPORT and job.params.get("outputs"):
        result = {"formats": sorted(job.params["outputs"]), "narratives": job.params.get("narratives"),
                  "reveal_names": job.params.get("reveal_names", False), "title": job.params.get("title"),
                  "yardstick": job.params.get("yardstick")}
    return JobOut(id=job.id, kind=job.kind, status=job.status, created_at=job.created_at,  # type: ignore[arg-type]
                  started_at=job.started_at, finished_at=job.finished_at, progress=progress, items=items,
                  error=job.error, result=result)


def visible_job(caller: Caller, job_id: str, kind: str | None = None) -> Job:
    job = caller.services.jobs.get(job_id)
    if job is None or job.organisation != caller.organisation or job.kind != KIND_OF_ROLE.get(caller.role) \
            or (kind is not None and job.kind != kind):
        raise ApiError(404, "no such job for your organisation")
    return job


@router.get("/jobs/{job_id}", response_model=JobOut, responses={404: {"model": ErrorBody}},
            summary="A job's status, progress and per-narrative results and errors")
def get_job(job_id: str, caller: Caller = requires("ngo", "analyst")) -> JobOut:
    out = job_out(caller, visible_job(caller, job_id))
    caller.audit(len(out.items))
    return out


@router.get("/jobs", response_model=list[JobOut], summary="Your organisation's jobs, newest first (without items)")
def list_jobs(caller: Caller = requires("ngo", "analyst"), limit: Annotated[int, Query(ge=1, le=200)] = 50,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[JobOut]:
    jobs = caller.services.jobs.list(caller.organisation, KIND_OF_ROLE[caller.role], limit, offset)
    return [job_out(caller, job, with_items=False) for job in jobs]
