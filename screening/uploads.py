"""A partner's file uploaded through the API (``POST /v1/screen/file``), read exactly as ``sightline screen`` reads it.

Why a module of its own: the workspace's partner page uploads a bank's untidy export (any encoding, any
separator, Excel) and a browser cannot read every such file well, so the server reads it with the same code
the command line uses (``screening.batch.read_batch`` over ``screening.files``). That code reads from a
path, so the upload is written to a private temporary file with a fixed name (only its suffix is the
partner's) and removed at once. Messages never name that temporary path, nor quote the file's content.

The limits are what one request may cost the server: ``MAX_FILE_BYTES`` and ``MAX_FILE_ROWS``. A larger
file is for ``sightline screen --url``, which sends it in batches of 1,000.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

from screening.batch import Batch, BatchError, read_batch
from screening.files import EXCEL_SUFFIXES

MAX_FILE_BYTES = 5_000_000
MAX_FILE_ROWS = 5_000
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
UPLOAD_SUFFIXES = (*CSV_SUFFIXES, *EXCEL_SUFFIXES)


class UploadError(ValueError):
    """The upload cannot be screened; ``status`` is the HTTP status that says why (413, 415 or 422)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def upload_suffix(filename: str) -> str:
    """The file's suffix, lower-cased; a file without one is read as CSV (what most exports are)."""
    suffix = PurePath(filename.replace("\\", "/")).suffix.lower()
    if not suffix:
        return ".csv"
    if suffix == ".xls":
        raise UploadError(415, "old Excel (.xls) files cannot be read; save it as .xlsx or CSV")
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadError(415, f"files of this type cannot be screened; send one of {', '.join(UPLOAD_SUFFIXES)}")
    return suffix


def read_upload(filename: str, data: bytes, default_region: str | None) -> Batch:
    """Every row of the uploaded file read into a query, leniently (``read_batch``); raises ``UploadError``."""
    suffix = upload_suffix(filename)
    if len(data) > MAX_FILE_BYTES:
        raise UploadError(413, f"the file is larger than {MAX_FILE_BYTES:,} bytes; split it, or use "
                               "`sightline screen --url` for large files")
    if not data:
        raise UploadError(422, "the file is empty (a header row is needed)")
    with tempfile.TemporaryDirectory(prefix="sightline-screen-") as folder:
        path = Path(folder) / ("upload" + suffix)
        path.write_bytes(data)
        try:
            batch = read_batch(path, default_region)
        except BatchError as error:
            raise UploadError(422, str(error).replace(f"{path}: ", "").replace(str(path), "the file")) from None
    # The command line copies unread columns into its output file; the API's answer never holds them.
    batch.table.notes[:] = [note.replace(" (kept in the output)", "") for note in batch.table.notes]
    if len(batch.rows) > MAX_FILE_ROWS:
        raise UploadError(413, f"the file has {len(batch.rows):,} rows; at most {MAX_FILE_ROWS:,} are screened per "
                               "upload: split it, or use `sightline screen --url` for large files")
    return batch
