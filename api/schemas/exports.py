"""Request and response models of ``/v1/exports`` (docs/sharing.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import Strict


class ExportCreate(Strict):
    format: Literal["htcds", "ftm", "graph", "synthetic"] = Field(
        description="htcds: victim-case records (CSV, JSON and a README); ftm: FollowTheMoney entities (JSON lines); "
                    "graph: the graph's own JSON lines; synthetic: made-up victim cases under differential privacy "
                    "with their utility and privacy report.")
    reveal: bool = Field(False, description="Names and values as they are instead of pseudonyms: administrators only, "
                                            "with a reason; audited.")
    reason: str | None = Field(None, min_length=3, max_length=500, description="Why a revealed export is needed "
                                                                               "(required with reveal; audited).")
    epsilon: float | None = Field(None, gt=0, le=20, description="synthetic: the privacy budget (default: "
                                                                 "SIGHTLINE_SYNTHETIC_EPSILON).")


class ExportProgress(BaseModel):
    done: int
    total: int


class ExportOut(BaseModel):
    """An export job: what was asked for, how far it is, and the files to download when done."""
    job_id: str
    status: Literal["pending", "running", "done", "failed"]
    format: str
    reveal: bool
    records: int | None = Field(None, description="HTCDS: victim cases; ftm: entities; graph: lines (when done).")
    files: list[str] = Field(default_factory=list, description="Names to download from /v1/exports/{job_id}/files/{name}.")
    progress: ExportProgress | None = None
    created_at: str
    finished_at: str | None
    error: str | None
