"""Turning what an NGO sends (a JSON body, or a .txt/.json/.jsonl/.csv/.docx/.pdf file) into queued narratives.

Everything is checked here, before anything is stored, so that the worker only meets narratives it can
extract: text that is empty, too long or binary, metadata of the wrong form, and unknown fields are
refused with a message naming the record. In a batch file a bad record does not sink the good ones: it is
listed as rejected (with the reason) and the rest is queued; a file that cannot be read at all is refused
whole. Reading the file is ``intake.readers``' job, shared with the command line, which is stricter (it
stops at the first bad record; see there for what else differs). A narrative's id is derived from its
content hash, so the same text always has the same id whoever sends it and however often.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from intake.jobs import NewItem, RejectedItem
from intake.readers import UPLOAD_KINDS, InputError, Record, Upload, kind_of, read
from intake.records import META_FIELDS, NarrativeFileRecord, NarrativeSubmit
from nlp import NarrativeError
from nlp.extract import check_text, content_hash

UPLOAD_SUFFIXES = tuple(UPLOAD_KINDS)
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


def parse_upload(filename: str, data: bytes, organisation: str, max_chars: int) -> Parsed:
    """Every narrative in an uploaded file; ``InputError`` if the file as a whole cannot be read."""
    name = Path(filename or "upload").name[:200]
    kind = kind_of(name, UPLOAD_KINDS)
    if kind is None:
        raise InputError(f"{name}: unsupported file type; send one of {', '.join(UPLOAD_SUFFIXES)}")
    if not data:
        raise InputError(f"{name}: the file is empty")
    records = list(read(Upload(name, data), kind))
    if len(records) > MAX_RECORDS:
        raise InputError(f"{name}: {len(records):,} records; at most {MAX_RECORDS:,} per file")
    parsed = Parsed()
    for record in records:
        value = record.value
        reference = str(value.get("id"))[:200] if isinstance(value, dict) and value.get("id") is not None else record.where
        try:
            parsed.items.append(_accepted(record, organisation, max_chars, reference))
        except ValidationError as error:
            parsed.rejected.append(RejectedItem(reference, f"{record.where}: {_problem(error)}"))
        except (InputError, NarrativeError) as error:
            parsed.rejected.append(RejectedItem(reference, f"{record.where}: {error}"))
    return parsed


def _accepted(record: Record, organisation: str, max_chars: int, reference: str) -> NewItem:
    """One record of a batch as a checked narrative; raises (without the record's place) when it is not one."""
    if record.problem is not None:
        raise InputError(record.problem)
    if not isinstance(record.value, dict):
        raise InputError("expected a JSON object with a \"text\" field")
    checked = NarrativeFileRecord.model_validate(record.value)
    if checked.organisation is not None and checked.organisation != organisation:
        raise InputError(f"organisation is taken from your API key ({organisation!r}); leave it out or give the same")
    return item_from(checked, max_chars, reference)
