"""Turning what an NGO sends (a JSON body, or a .txt/.json/.jsonl/.csv/.docx/.pdf file) into queued narratives.

Everything is checked here, before anything is stored, so that the worker only meets narratives it can
extract: text that is empty, too long or binary, metadata of the wrong form, and unknown fields are
refused with a message naming the record. In a batch file a bad record does not sink the good ones: it is
listed as rejected (with the reason) and the rest is queued; a file that cannot be read at all is refused
whole. A narrative's id is derived from its content hash, so the same text always has the same id
whoever sends it and however often.
"""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from intake.jobs import NewItem, RejectedItem
from api.schemas import NarrativeFileRecord, NarrativeSubmit
from intake.sources import InputError, decode_text, read_document
from nlp import NarrativeError
from nlp.extract import check_text, content_hash

UPLOAD_SUFFIXES = (".txt", ".json", ".jsonl", ".csv", ".docx", ".pdf")
META_FIELDS = ("language", "date", "consent", "source_grading", "region", "title")
MAX_RECORDS = 10_000


def narrative_id(digest: str) -> str:
    return "n" + digest[:24]


@dataclass(slots=True)
class Parsed:
    items: list[NewItem] = field(default_factory=list)
    rejected: list[RejectedItem] = field(default_factory=list)


def item_from(submission: NarrativeSubmit | NarrativeFileRecord, max_chars: int, reference: str | None) -> NewItem:
    """A checked narrative; ``NarrativeError`` (with a clear message) if its text cannot be extracted."""
    text = check_text(submission.text, max_chars)
    digest = content_hash(text)
    meta = {k: getattr(submission, k) for k in META_FIELDS if getattr(submission, k, None) is not None}
    return NewItem(narrative_id(digest), digest, text, meta, reference)


def _problem(error: ValidationError) -> str:
    parts = []
    for e in error.errors()[:3]:
        where = ".".join(str(p) for p in e.get("loc", ())) or "record"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)


def _records_json(text: str, where: str) -> list[tuple[str, Any]]:
    """A .json file holds one object, an array of objects, or JSON lines."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
        if "\n" not in text.strip():
            raise InputError(f"{where}: not valid JSON (give an object, an array of objects, or JSON lines)") from None
    if isinstance(whole, dict):
        return [(f"{where}", whole)]
    if isinstance(whole, list):
        return [(f"{where}[{i}]", record) for i, record in enumerate(whole)]
    if whole is not None:
        raise InputError(f"{where}: expected a JSON object or an array of objects")
    return _records_jsonl(text, where)


def _records_jsonl(text: str, where: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((f"{where}:{number}", json.loads(line)))
        except json.JSONDecodeError as error:
            out.append((f"{where}:{number}", InputError(f"not valid JSON ({error.msg} at column {error.colno})")))
    return out


def _records_csv(text: str, where: str) -> list[tuple[str, Any]]:
    import pandas as pd

    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as error:
        raise InputError(f"{where}: not a readable CSV file ({error})") from None
    if "text" not in frame.columns:
        raise InputError(f"{where}: needs a 'text' column (and optionally id, {', '.join(META_FIELDS)})")
    allowed = set(NarrativeFileRecord.model_fields)
    unknown = [c for c in frame.columns if c not in allowed]
    if unknown:
        raise InputError(f"{where}: unknown column(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(allowed))}")
    return [(f"{where}:{n + 2}", {k: v for k, v in row.items() if v != "" or k == "text"})
            for n, row in enumerate(frame.to_dict("records"))]


def _document_text(filename: str, data: bytes) -> str:
    suffix = Path(filename).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="sightline-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return read_document(path)
        except InputError as error:
            raise InputError(str(error).replace(str(path), filename)) from None


def parse_upload(filename: str, data: bytes, organisation: str, max_chars: int) -> Parsed:
    """Every narrative in an uploaded file; ``InputError`` if the file as a whole cannot be read."""
    name = Path(filename or "upload").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(f"{name}: unsupported file type; send one of {', '.join(UPLOAD_SUFFIXES)}")
    if not data:
        raise InputError(f"{name}: the file is empty")
    if suffix in (".docx", ".pdf", ".txt"):
        text = _document_text(name, data) if suffix != ".txt" else decode_text(data, name)
        records: list[tuple[str, Any]] = [(name, {"text": text, "id": Path(name).stem})]
    else:
        text = decode_text(data, name)
        records = _records_csv(text, name) if suffix == ".csv" else (
            _records_jsonl(text, name) if suffix == ".jsonl" else _records_json(text, name))
    if len(records) > MAX_RECORDS:
        raise InputError(f"{name}: {len(records):,} records; at most {MAX_RECORDS:,} per file")
    parsed = Parsed()
    for where, record in records:
        reference = str(record.get("id"))[:200] if isinstance(record, dict) and record.get("id") is not None else where
        try:
            if isinstance(record, Exception):
                raise record
            if not isinstance(record, dict):
                raise InputError("expected a JSON object with a \"text\" field")
            checked = NarrativeFileRecord.model_validate(record)
            if checked.organisation is not None and checked.organisation != organisation:
                raise InputError(f"organisation is taken from your API key ({organisation!r}); leave it out "
                                 "or give the same")
            parsed.items.append(item_from(checked, max_chars, reference))
        except ValidationError as error:
            parsed.rejected.append(RejectedItem(reference, f"{where}: {_problem(error)}"))
        except (InputError, NarrativeError) as error:
            parsed.rejected.append(RejectedItem(reference, f"{where}: {error}"))
    return parsed
