"""``/v1/exports``: HTCDS, FollowTheMoney and graph exports as jobs, for analysts and administrators.

Exports are pseudonymised (``sharing.exports``). ``reveal`` is for administrators only and needs a reason;
the request, every download and the reason are in the audit log. An export job is visible to the
organisation that asked for it, to its analysts and administrators; anyone else gets 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from api.auth import Caller, requires
from api.errors import ApiError
from api.routers import ERROR_RESPONSES
from api.schemas.common import ErrorBody
from api.schemas.exports import ExportCreate, ExportOut, ExportProgress
from intake.export_jobs import export_dir
from intake.jobs import DONE, EXPORT, Job

router = APIRouter(tags=["sharing"], responses=ERROR_RESPONSES)
EXPORTERS = requires("analyst", "admin")
_NOT_FOUND = {404: {"model": ErrorBody, "description": "No such export for your organisation."}}
MEDIA = {".csv": "text/csv; charset=utf-8", ".json": "application/json", ".jsonl": "application/x-ndjson",
         ".md": "text/markdown; charset=utf-8"}


def _visible(caller: Caller, job_id: str) -> Job:
    job = caller.services.jobs.get(job_id)
    if job is None or job.kind != EXPORT or job.organisation != caller.organisation:
        raise ApiError(404, "no such export for your organisation")
    if job.params.get("reveal") and caller.role != "admin":
        raise ApiError(404, "no such export for your organisation")
    return job


def _out(job: Job) -> ExportOut:
    params = job.params
    progress = params.get("progress")
    return ExportOut(job_id=job.id, status=job.status, format=params.get("format", ""),  # type: ignore[arg-type]
                     reveal=bool(params.get("reveal")), records=params.get("records"),
                     files=sorted(params.get("files", {})) if job.status == DONE else [],
                     progress=ExportProgress(**progress) if progress else None,
                     created_at=job.created_at, finished_at=job.finished_at, error=job.error)


@router.post("/exports", response_model=ExportOut, status_code=202,
             summary="Start an export job (pseudonymised; reveal: administrators only, with a reason, audited)")
def order_export(body: ExportCreate, caller: Caller = EXPORTERS) -> ExportOut:
    if body.reveal and caller.role != "admin":
        caller.audit(0, outcome="denied", format=body.format, reveal=True)
        raise ApiError(403, "only an administrator may ask for a revealed export", details={"role": caller.role})
    if body.reveal and not (body.reason or "").strip():
        raise ApiError(400, "a revealed export needs a reason (it is kept in the audit log)")
    if body.reveal and body.format == "synthetic":
        raise ApiError(400, "a synthetic release has no names to reveal")
    params: dict[str, Any] = {"format": body.format, "reveal": body.reveal}
    if body.format == "synthetic":
        params["epsilon"] = body.epsilon or caller.services.settings.synthetic_epsilon
    job = caller.services.jobs.submit(EXPORT, caller.organisation, caller.key.id, params)
    caller.audit(1, format=body.format, reveal=body.reveal, reason=body.reason if body.reveal else None,
                 epsilon=params.get("epsilon"))
    return _out(job)


@router.get("/exports", response_model=list[ExportOut], summary="Your organisation's exports, newest first")
def list_exports(caller: Caller = EXPORTERS) -> list[ExportOut]:
    jobs = [job for job in caller.services.jobs.list(caller.organisation, EXPORT, 100, 0)
            if caller.role == "admin" or not job.params.get("reveal")]
    caller.audit(len(jobs))
    return [_out(job) for job in jobs]


@router.get("/exports/{job_id}", response_model=ExportOut, responses=_NOT_FOUND,
            summary="An export's status, progress and files")
def get_export(job_id: Annotated[str, Path(min_length=1, max_length=100)], caller: Caller = EXPORTERS) -> ExportOut:
    out = _out(_visible(caller, job_id))
    caller.audit(1)
    return out


@router.get("/exports/{job_id}/files/{name}", responses={**_NOT_FOUND, 200: {"description": "The file."}},
            response_class=FileResponse, summary="Download one file of a finished export")
def download_export(job_id: Annotated[str, Path(min_length=1, max_length=100)],
                    name: Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")],
                    caller: Caller = EXPORTERS) -> Any:
    job = _visible(caller, job_id)
    files = job.params.get("files", {})
    if job.status != DONE:
        raise ApiError(409, f"the export job is {job.status}", details={"status": job.status})
    if name not in files:
        raise ApiError(404, "this export has no such file")
    home = caller.services.settings.home
    path = (home / files[name]).resolve()
    if not path.is_file() or export_dir(home, job.id).resolve() not in path.parents:
        raise ApiError(404, "the export file is gone from SIGHTLINE_HOME; ask for the export again")
    caller.audit(1, format=job.params.get("format"), reveal=bool(job.params.get("reveal")))
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"),
                        filename=f"sightline-{job.id}-{name}")
