"""Export jobs (``POST /v1/exports``): the worker runs ``sharing.exports.run_export`` into
``SIGHTLINE_HOME/api-exports/<job id>/`` and records the files, the record count and its progress.

An export of a large graph takes minutes, so it is a job like a report: the request returns at once, the
workspace or client polls ``GET /v1/exports/{id}`` (which shows ``progress``) and downloads the files when
it is done. A request the exporter refuses (an empty graph) fails the job with the exporter's message.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from intake.jobs import DONE, FAILED, Job, JobQueue
from sharing.exports import ExportError, ExportRequest, run_export
from sharing.pseudonyms import Pseudonymiser
from state.secrets import export_key
from state.settings import Settings

EXPORTS_DIR = "api-exports"
FILE_NAMES = {"ftm": "entities.ftm.jsonl", "graph": "graph.jsonl"}  # htcds and synthetic: a folder of files
PROGRESS_SECONDS = 1.0


def export_dir(home: Path, job_id: str) -> Path:
    return home / EXPORTS_DIR / job_id


def run_export_job(settings: Settings, store: Any, jobs: JobQueue, job: Job, worker: str) -> None:
    params = dict(job.params)
    reveal = bool(params.get("reveal"))
    # the reason was checked and written to the audit log when the job was asked for; it is not kept here
    request = ExportRequest(params["format"], reveal, "recorded in the audit log" if reveal else None,
                            params.get("epsilon"))
    folder = export_dir(settings.home, job.id)
    name = FILE_NAMES.get(request.format)
    target = folder / name if name else folder / request.format
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] >= PROGRESS_SECONDS or done == total:
            last[0] = time.monotonic()
            jobs.progress(job.id, worker, done, total)

    try:
        result = run_export(store, request, target, Pseudonymiser.from_secret(export_key(settings)),
                            organisation_types=settings.organisation_type_map(), progress=progress)
    except ExportError as error:
        shutil.rmtree(folder, ignore_errors=True)
        jobs.finish(job.id, worker, FAILED, str(error))
        return
    params["records"] = result.records
    params["files"] = {p.name: str(p.relative_to(settings.home)) for p in result.files}
    params["progress"] = {"done": result.records, "total": result.records}
    jobs.finish(job.id, worker, DONE, params=params)
