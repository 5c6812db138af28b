"""Turning what an NGO sends (a JSON body, or a .txt/.json/.jsonl/.csv/.docx/.pdf file) into queued narratives.

Everything is checked here, before anything is stored, so that the worker only meets narratives it can
extract: text that is empty, too long or binary, metadata of the wrong form, and unknown fields are
refused with a message naming the record. In a batch file a bad record does not sink the good ones: it is
listed as rejected (with the reason) and the rest is queued; a file that cannot be read at all is refused
whole. Reading the file is ``intake.readers``' job, shared with the command line, which is stricter (it
stops at the first bad record; see there for what else differs). A narrative's id is derived from its
content hash, so the same text always has the same id whoever sends it and however often.

What the submitter could not otherwise see is said in the answer rather than passed over: the encoding a
text file was read in (and a warning when it was a guess), every record that repeats the text of an
earlier one in the same file (queued once, listed as a duplicate), and fields an NGO may not set
(``IGNORED_FIELDS``: a file from ``sightline generate`` names an organisation), which are dropped with a
warning instead of sinking the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from intake.jobs import NewItem, RejectedItem
from intake.readers import (
    UPLOAD_KINDS,
    InputError,
    Record,
    Upload,
    kind_of,
    read_upload,
)
from intake.records import (
    IGNORED_FIELDS,
    META_FIELDS,
    NarrativeFileRecord,
    NarrativeSubmit,
)
from nlp import NarrativeError
from nlp.extract import check_text, content_hash

UPLOAD_SUFFIXES = tuple(UPLOAD_KINDS)
MAX_RECORDS = 10_000


def narrative_id(digest: str) -> str:
    return "n" + digest[:24]


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A record of a batch whose text an earlier record of the same batch already gave: queued once."""

    reference: str | None
    narrative_id: str
    same_as: str | None  # the reference of the first record with this text


@dataclass(slots=True)
class Parsed:
    items: list[NewItem] = field(default_factory=list)
    rejected: list[RejectedItem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None  # the text file's encoding; None for a JSON body, .docx and .pdf
    records: int = 0  # how many records the file held, whatever became of them


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
    """Every narrative in an uploaded file; ``InputError`` (not naming the file) if it cannot be read as a whole.

    ``organisation`` is the API key's; a record's own ``organisation`` is ignored (with a warning)."""
    name = Path(filename or "upload").name[:200]
    kind = kind_of(name, UPLOAD_KINDS)
    if kind is None:
        raise InputError(f"unsupported file type; send one of {', '.join(UPLOAD_SUFFIXES)}")
    if not data:
        raise InputError("the file is empty")
    try:
        content = read_upload(Upload(name, data), kind)
    except InputError as error:
        raise _unnamed(error, name) from None
    if len(content.records) > MAX_RECORDS:
        raise InputError(f"{len(content.records):,} records; at most {MAX_RECORDS:,} per file")
    parsed = Parsed(records=len(content.records))
    if content.decoded is not None:
        parsed.encoding = content.decoded.encoding
        if content.decoded.guessed:
            parsed.warnings.append(f"not UTF-8; read as {content.decoded.encoding} (detected by "
                                   "charset-normalizer): check that names and places read correctly, or send "
                                   "the file as UTF-8")
    first: dict[str, str | None] = {}  # content hash -> reference of the first record with that text
    ignored = 0
    for record in content.records:
        value = record.value
        reference = str(value.get("id"))[:200] if isinstance(value, dict) and value.get("id") is not None else record.where
        if isinstance(value, dict) and any(f in value for f in IGNORED_FIELDS):
            value = {k: v for k, v in value.items() if k not in IGNORED_FIELDS}
            ignored += 1
        try:
            item = _accepted(record, value, max_chars, reference)
        except ValidationError as error:
            parsed.rejected.append(RejectedItem(reference, f"{record.where}: {_problem(error)}"))
            continue
        except (InputError, NarrativeError) as error:
            parsed.rejected.append(RejectedItem(reference, f"{record.where}: {error}"))
            continue
        if item.content_hash in first:
            parsed.duplicates.append(Duplicate(reference, item.narrative_id, first[item.content_hash]))
        else:
            first[item.content_hash] = reference
            parsed.items.append(item)
    if ignored:
        parsed.warnings.append(f"{ignored:,} record(s) set {' or '.join(IGNORED_FIELDS)}, which was "
                               f"ignored: the organisation is always your API key's")
    if parsed.duplicates:
        parsed.warnings.append(f"{len(parsed.duplicates):,} record(s) repeat the text of an earlier record "
                               "in this file; each text is queued once (see duplicates)")
    return parsed


def _unnamed(error: InputError, name: str) -> InputError:
    """A whole-file error without the file's name: an error answer quotes nothing the client sent, and a
    file name can be a person's ("statement-of-<name>.txt"). Records keep ``name:line`` as their reference."""
    message = str(error)
    if message.startswith(f"{name}: "):
        message = message[len(name) + 2:]
    return InputError(message.replace(name, "the file"))


def _accepted(record: Record, value: Any, max_chars: int, reference: str) -> NewItem:
    """One record of a batch as a checked narrative; raises (without the record's place) when it is not one."""
    if record.problem is not None:
        raise InputError(record.problem)
    if not isinstance(value, dict):
        raise InputError("expected a JSON object with a \"text\" field")
    return item_from(NarrativeFileRecord.model_validate(value), max_chars, reference)
