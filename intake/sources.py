"""Reading narratives from files: JSON lines, a .txt file, or a folder of .txt/.docx/.pdf files.

The command line and (later) the HTTP API share these readers. They stream: a malformed record raises
``InputError`` naming the file and line when the reader reaches it, after every good record before it
has been handed on, so nothing already processed is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from graph.build import NarrativeMeta
from nlp import Narrative, NarrativeError
from nlp.extract import check_text, content_hash

JSONL_FIELDS = frozenset({"id", "text", "language", "region", "organisation", "date", "consent",
                          "source_grading", "title"})
DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf")
METADATA_FILE = "metadata.csv"
METADATA_COLUMNS = ("organisation", "date", "language", "consent", "source_grading")
_BINARY_SNIFF = 8192


class InputError(ValueError):
    """A file or record that cannot be read; the message names where."""


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    kind: str  # "jsonl", "txt", "folder"

    def count(self) -> int:
        """How many narratives the source holds (for a progress bar); cheap, reads no document body."""
        if self.kind == "jsonl":
            with self.path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        if self.kind == "folder":
            return len(_documents(self.path))
        return 1

    def narratives(self, max_chars: int) -> Iterator[Narrative]:
        """Every narrative, checked: an empty, oversized or binary one raises ``InputError`` naming it."""
        if self.kind == "jsonl":
            for where, narrative, _values in read_jsonl(self.path):
                yield _checked(narrative, where, max_chars)
        else:
            paths = _documents(self.path) if self.kind == "folder" else [self.path]
            for path in paths:
                yield _checked(Narrative(read_document(path), id=path.stem), str(path), max_chars)


    def submissions(self, max_chars: int) -> Iterator[tuple[Narrative, NarrativeMeta]]:
        """Every narrative with its metadata: from the JSON line, or from the folder's ``metadata.csv``."""
        if self.kind == "jsonl":
            for where, narrative, values in read_jsonl(self.path):
                checked = _checked(narrative, where, max_chars)
                yield checked, _meta(checked, values)
            return
        table = read_metadata(self.path / METADATA_FILE) if self.kind == "folder" else {}
        for narrative in self.narratives(max_chars):
            yield narrative, _meta(narrative, table.get(narrative.id or "", {}))


def _meta(narrative: Narrative, values: dict[str, str]) -> NarrativeMeta:
    return NarrativeMeta(source_id=narrative.id or content_hash(narrative.text)[:16],
                         organisation=values.get("organisation") or None, date=values.get("date") or None,
                         language=narrative.language or values.get("language") or None,
                         consent=values.get("consent") or None, grading=values.get("source_grading") or None)


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """A folder's ``metadata.csv`` (column ``id`` plus any of METADATA_COLUMNS), keyed by narrative id."""
    if not path.exists():
        return {}
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as error:
        raise InputError(f"{path}: not a readable CSV file ({error})") from None
    if "id" not in frame.columns:
        raise InputError(f"{path}: needs an 'id' column naming each narrative file (without extension)")
    if frame["id"].duplicated().any():
        raise InputError(f"{path}: id {frame['id'][frame['id'].duplicated()].iloc[0]!r} appears more than once")
    columns = [c for c in METADATA_COLUMNS if c in frame.columns]
    return {row["id"]: {c: row[c].strip() for c in columns} for row in frame.to_dict("records")}


def open_source(path: Path) -> Source:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        return Source(path, "folder")
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return Source(path, "jsonl")
    if suffix in DOCUMENT_SUFFIXES:
        return Source(path, "txt")
    raise InputError(f"{path}: unsupported input; give JSON lines (.jsonl), a .txt/.docx/.pdf file, or a folder")


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM) if it is, else the encoding charset-normalizer is sure of; never binary."""
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{where}: looks like a binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise InputError(f"{where}: not valid UTF-8 and the encoding could not be recognised; save it as UTF-8")
    return str(best)


def read_document(path: Path) -> str:
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return _read_docx(path)
        if suffix == ".pdf":
            return _read_pdf(path)
        return decode_text(path.read_bytes(), str(path))
    except InputError:
        raise
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError) as error:
        raise InputError(f"{path}: not a readable .docx file ({error})") from None
    return "\n".join(p.text for p in document.paragraphs)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise InputError(f"{path}: the PDF is encrypted; give an unencrypted copy")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except PdfReadError as error:
        raise InputError(f"{path}: not a readable PDF ({error})") from None
    if not text.strip():
        raise InputError(f"{path}: the PDF has no extractable text (a scan? run OCR first)")
    return text


def _checked(narrative: Narrative, where: str, max_chars: int) -> Narrative:
    try:
        check_text(narrative.text, max_chars)
    except NarrativeError as error:
        raise InputError(f"{where}: {error}") from None
    return narrative


def read_jsonl(path: Path) -> Iterator[tuple[str, Narrative, dict[str, str]]]:
    """(where, narrative, metadata) per non-blank line; ``where`` is ``path:line`` for error messages."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            line = decode_text(raw, where)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{where}: not valid JSON ({error.msg} at column {error.colno})") from None
            narrative = narrative_from_record(record, where)
            yield where, narrative, {k: record[k] for k in METADATA_COLUMNS if record.get(k)}


def narrative_from_record(record: object, where: str) -> Narrative:
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
    for key in ("language", "region"):
        if key in record and record[key] is not None and not isinstance(record[key], str):
            raise InputError(f"{where}: \"{key}\" must be a string")
    for key in ("organisation", "date", "consent", "source_grading"):
        if key in record and record[key] is not None and not isinstance(record[key], str):
            raise InputError(f"{where}: \"{key}\" must be a string")
    return Narrative(record["text"], str(identifier), record.get("language"), record.get("region"))
