"""Narratives from files for the command line: JSON lines, a .txt/.docx/.pdf file, or a folder of them.

``intake.readers`` reads every format (uploads use the same readers); this module adds the command line's
own rules. They are strict and they stream: a malformed record raises ``InputError`` naming the file and
line when the reader reaches it, after every good record before it has been handed on, so nothing already
processed is lost and a run never goes on past a record it could not take. A JSON-lines record may carry
only ``JSONL_FIELDS`` (no ``reference``: the record's ``id`` is the reference); a folder's documents take
their metadata from the folder's ``metadata.csv``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.build import NarrativeMeta
from intake.readers import (
    FILE_KINDS, METADATA_COLUMNS, METADATA_FILE, InputError, Kind, Record, count_file_lines, folder_documents, kind_of,
    read, read_metadata,
)
from nlp import Narrative, NarrativeError
from nlp.extract import check_text, content_hash

JSONL_FIELDS = frozenset({"id", "text", "language", "region", "organisation", "date", "consent",
                          "source_grading", "title"})
FOLDER = "folder"


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    kind: str  # a readers.Kind (JSON lines or a document), or FOLDER

    def count(self) -> int:
        """How many narratives the source holds (for a progress bar); cheap, reads no document body."""
        if self.kind == Kind.JSON_LINES:
            return count_file_lines(self.path)
        if self.kind == FOLDER:
            return len(folder_documents(self.path))
        return 1

    def _records(self) -> Iterator[Record]:
        paths = folder_documents(self.path) if self.kind == FOLDER else [self.path]
        for path in paths:
            yield from read(path, Kind.DOCUMENT if self.kind == FOLDER else Kind(self.kind))

    def _read(self, max_chars: int) -> Iterator[tuple[Narrative, dict[str, str]]]:
        """Every narrative, checked, with the metadata its record gave; the first bad one raises."""
        for record in self._records():
            if record.problem is not None:
                raise record.error()
            narrative = _checked(narrative_from_record(record.value, record.where), record.where, max_chars)
            yield narrative, {k: record.value[k] for k in METADATA_COLUMNS if record.value.get(k)}

    def narratives(self, max_chars: int) -> Iterator[Narrative]:
        """Every narrative, checked: an empty, oversized or binary one raises ``InputError`` naming it."""
        for narrative, _values in self._read(max_chars):
            yield narrative

    def submissions(self, max_chars: int) -> Iterator[tuple[Narrative, NarrativeMeta]]:
        """Every narrative with its metadata: from the JSON line, or from the folder's ``metadata.csv``
        (read first, so a broken table stops the run before any narrative)."""
        table = read_metadata(self.path / METADATA_FILE) if self.kind == FOLDER else None
        for narrative, values in self._read(max_chars):
            yield narrative, _meta(narrative, values if table is None else table.get(narrative.id or "", {}))


def _meta(narrative: Narrative, values: dict[str, str]) -> NarrativeMeta:
    return NarrativeMeta(source_id=narrative.id or content_hash(narrative.text)[:16],
                         organisation=values.get("organisation") or None, date=values.get("date") or None,
                         language=narrative.language or values.get("language") or None,
                         consent=values.get("consent") or None, grading=values.get("source_grading") or None)


def open_source(path: Path) -> Source:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        return Source(path, FOLDER)
    kind = kind_of(path, FILE_KINDS)
    if kind is None:
        raise InputError(f"{path}: unsupported input; give JSON lines (.jsonl), a .txt/.docx/.pdf file, or a folder")
    return Source(path, kind)


def _checked(narrative: Narrative, where: str, max_chars: int) -> Narrative:
    try:
        check_text(narrative.text, max_chars)
    except NarrativeError as error:
        raise InputError(f"{where}: {error}") from None
    return narrative


def narrative_from_record(record: object, where: str) -> Narrative:
    """The command line's check of one record (a JSON line, or a document as ``{"id", "text"}``)."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object with \"id\" and \"text\"")
    unknown = set(record) - JSONL_FIELDS
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(JSONL_FIELDS))}")
    if "text" not in record or not isinstance(record["text"], str):
        raise InputError(f"{where}: \"text\" is missing or not a string")
    identifier = record.get("id")
    if identifier is None or not isinstance(identifier, (str, int)) or isinstance(identifier, bool):
        raise InputError(f"{where}: \"id\" is missing or not a string or integer")
    for key in ("language", "region", "organisation", "date", "consent", "source_grading"):
        if key in record and record[key] is not None and not isinstance(record[key], str):
            raise InputError(f"{where}: \"{key}\" must be a string")
    return Narrative(record["text"], str(identifier), record.get("language"), record.get("region"))
