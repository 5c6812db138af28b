"""Reading narrative files of every format, for the command line and for uploads alike.

Two paths read narrative files: ``sightline ingest``/``extract`` read files and folders on disk
(``intake.sources``), and ``POST /v1/narratives`` reads one uploaded file (``intake.submissions``). Each
format is read here, by one function, and ``read`` picks the function by the file's ``Kind``, so a fix to a
format reaches both paths. What comes out is a ``Record`` per narrative: its fields as the file wrote them
(a JSON value, a CSV row, or a document's text and file name), or why the record could not be read. A file
that cannot be read at all (binary, malformed CSV, a broken PDF) raises ``InputError`` instead.

Checking a record's fields is each path's own business, because the two promise different things, and
this module keeps those differences rather than smoothing them over:

- Accepted files (``FILE_KINDS``, ``UPLOAD_KINDS``): the command line reads .jsonl, .ndjson and .json as
  JSON lines, .txt/.docx/.pdf, and folders of documents with an optional ``metadata.csv``; an upload may
  be .json as one document (an object, an array, or JSON lines), .jsonl, a .csv batch, or .txt/.docx/.pdf.
- Strictness: the command line stops at the first bad record, after every good one before it has been
  handed on; an upload lists a bad record as rejected and queues the rest. Their record schemas differ
  too (``intake.sources.narrative_from_record``; ``intake.records.NarrativeFileRecord``).
- JSON lines: a file on disk is streamed, split at newline bytes and decoded line by line, so the command
  line reads a file of any size in constant memory; an upload, bounded in size, is decoded whole and split
  with ``str.splitlines``, so it also breaks at ``\\r``, U+2028 and the like, and a line holding only
  Unicode spaces counts as blank.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from intake.records import META_FIELDS, NarrativeFileRecord

DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf")
METADATA_FILE = "metadata.csv"
METADATA_COLUMNS = ("organisation", "date", "language", "consent", "source_grading")
_BINARY_SNIFF = 8192


class InputError(ValueError):
    """A file or record that cannot be read; the message names where."""


class Kind(StrEnum):
    JSON_LINES = "jsonl"
    JSON = "json"  # one object, an array of objects, or JSON lines
    CSV = "csv"  # a batch: a 'text' column and any of NarrativeFileRecord's fields
    DOCUMENT = "document"  # .txt, .docx or .pdf: one narrative, named by the file


# Which files each path accepts, by suffix; the order is the order the error messages list them in.
FILE_KINDS: Mapping[str, Kind] = {".jsonl": Kind.JSON_LINES, ".ndjson": Kind.JSON_LINES, ".json": Kind.JSON_LINES,
                                  ".txt": Kind.DOCUMENT, ".docx": Kind.DOCUMENT, ".pdf": Kind.DOCUMENT}
UPLOAD_KINDS: Mapping[str, Kind] = {".txt": Kind.DOCUMENT, ".json": Kind.JSON, ".jsonl": Kind.JSON_LINES,
                                    ".csv": Kind.CSV, ".docx": Kind.DOCUMENT, ".pdf": Kind.DOCUMENT}


def kind_of(name: str | Path, kinds: Mapping[str, Kind]) -> Kind | None:
    """The kind of file ``name`` is among ``kinds`` (by suffix, any case), or None if it is not one of them."""
    return kinds.get(Path(name).suffix.lower())


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent over HTTP: its name (already reduced to a safe base name) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Record:
    """One narrative's fields as the file gave them, or why they could not be read.

    ``where`` names the record in messages: ``file``, ``file:line`` or ``file[index]``. ``problem`` is the
    reason without ``where``, so a path can word its message either way."""

    where: str
    value: Any = None
    problem: str | None = None

    def error(self) -> InputError:
        return InputError(f"{self.where}: {self.problem}")


def read(source: Path | Upload, kind: Kind) -> Iterator[Record]:
    """Every record of a file of the given kind, in file order (the one dispatch by file type).

    A file on disk is streamed where its format allows (JSON lines), so nothing is read before it is asked
    for; an upload is in memory already. ``InputError`` when the file as a whole cannot be read."""
    where = str(source) if isinstance(source, Path) else source.name
    if kind is Kind.DOCUMENT:
        text = read_document(source) if isinstance(source, Path) else document_from_bytes(source.name, source.data)
        yield Record(where, {"text": text, "id": Path(where).stem})
        return
    if kind is Kind.JSON_LINES and isinstance(source, Path):
        yield from json_lines(file_lines(source))
        return
    text = decode_text(_file_bytes(source) if isinstance(source, Path) else source.data, where)
    if kind is Kind.JSON_LINES:
        yield from json_lines(text_lines(text, where))
    elif kind is Kind.JSON:
        yield from json_document(text, where)
    else:
        yield from csv_records(text, where)


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


# -- text ---------------------------------------------------------------------------------------------

def decode_text(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM) if it is, else the encoding charset-normalizer is sure of; never binary.

    NGOs export from whatever they use (Word, old Windows tools), so Latin-1 and the like are accepted
    when the guess is confident; a NUL byte means a binary file sent by mistake, refused before guessing."""
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


# -- documents: .txt, .docx, .pdf ---------------------------------------------------------------------

def read_document(path: Path) -> str:
    """The text of a .txt, .docx or .pdf file on disk; ``InputError`` naming the file if there is none."""
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


def document_from_bytes(name: str, data: bytes) -> str:
    """The text of an uploaded document. A .docx or .pdf goes through a private temporary file, so that it
    is read exactly as one on disk; messages then name the upload, not the temporary path."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".docx", ".pdf"):
        return decode_text(data, name)
    with tempfile.TemporaryDirectory(prefix="sightline-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return read_document(path)
        except InputError as error:
            raise InputError(str(error).replace(str(path), name)) from None


def _read_docx(path: Path) -> str:
    import docx  # imported on first use: python-docx and pypdf are slow to load and most runs need neither
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


def folder_documents(folder: Path) -> list[Path]:
    """The documents of a folder, by name (other files, such as ``metadata.csv``, are not narratives)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)


# -- JSON lines and JSON ------------------------------------------------------------------------------

def file_lines(path: Path) -> Iterator[tuple[str, str]]:
    """(``path:line``, text) per non-blank line of a file on disk, one line at a time, each decoded alone."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                where = f"{path}:{number}"
                yield where, decode_text(raw, where)


def count_file_lines(path: Path) -> int:
    """How many records ``file_lines`` will give (for a progress bar), without decoding any."""
    with path.open("rb") as handle:
        return sum(1 for raw in handle if raw.strip())


def text_lines(text: str, where: str) -> Iterator[tuple[str, str]]:
    """(``where:line``, text) per non-blank line of text already decoded (an upload)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield f"{where}:{number}", line


def json_lines(lines: Iterable[tuple[str, str]]) -> Iterator[Record]:
    """Each line's JSON value; a line that is not JSON is a record with its problem, not the end of the file."""
    for where, line in lines:
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield Record(where, problem=f"not valid JSON ({error.msg} at column {error.colno})")
            continue
        yield Record(where, value)


def json_document(text: str, where: str) -> list[Record]:
    """A .json upload: one object, an array of objects (each a record), or else JSON lines.

    People save JSON lines as .json too, so a text that is not one JSON document but has several lines is
    read line by line; so is a bare ``null``, whose one line is then rejected as not an object."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        if "\n" not in text.strip():
            raise InputError(f"{where}: not valid JSON (give an object, an array of objects, or JSON lines)") from None
        whole = None
    if isinstance(whole, dict):
        return [Record(where, whole)]
    if isinstance(whole, list):
        return [Record(f"{where}[{i}]", value) for i, value in enumerate(whole)]
    if whole is not None:
        raise InputError(f"{where}: expected a JSON object or an array of objects")
    return list(json_lines(text_lines(text, where)))


# -- CSV: upload batches and a folder's metadata.csv --------------------------------------------------

def csv_table(source: Path | str, where: str) -> tuple[list[str], list[dict[str, str]]]:
    """Columns and rows of a CSV file on disk or already decoded, every cell a string ('' when empty).

    Cells stay text (no type guessing, no 'NA' turned into a missing value): an id ``007`` or a date
    ``2020-01`` must come out exactly as written."""
    import pandas as pd  # imported on first use: slow to load, and only CSV needs it

    try:
        frame = pd.read_csv(source if isinstance(source, Path) else io.StringIO(source), dtype=str,
                            keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as error:
        raise InputError(f"{where}: not a readable CSV file ({error})") from None
    return list(frame.columns), frame.to_dict("records")


def csv_records(text: str, where: str) -> list[Record]:
    """A .csv batch: one record per row, named by its line in the file (the header is line 1).

    The columns are checked for the whole file, before any row: a misspelt column would otherwise reject
    every row with the same message. Empty cells are left out (the field is absent), except the text."""
    columns, rows = csv_table(text, where)
    if "text" not in columns:
        raise InputError(f"{where}: needs a 'text' column (and optionally id, {', '.join(META_FIELDS)})")
    allowed = set(NarrativeFileRecord.model_fields)
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise InputError(f"{where}: unknown column(s) {', '.join(map(str, unknown))}; "
                         f"allowed: {', '.join(sorted(allowed))}")
    return [Record(f"{where}:{n + 2}", {k: v for k, v in row.items() if v != "" or k == "text"})
            for n, row in enumerate(rows)]


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """A folder's ``metadata.csv`` (column ``id`` plus any of METADATA_COLUMNS), keyed by narrative id;
    empty when the folder has none. Documents carry no metadata of their own, so this is where it goes."""
    if not path.exists():
        return {}
    columns, rows = csv_table(path, str(path))
    if "id" not in columns:
        raise InputError(f"{path}: needs an 'id' column naming each narrative file (without extension)")
    seen: set[str] = set()
    for row in rows:
        if row["id"] in seen:
            raise InputError(f"{path}: id {row['id']!r} appears more than once")
        seen.add(row["id"])
    kept = [c for c in METADATA_COLUMNS if c in columns]
    return {row["id"]: {c: row[c].strip() for c in kept} for row in rows}
