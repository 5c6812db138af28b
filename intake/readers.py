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
- Encodings: both accept UTF-8 (with or without BOM), UTF-16/32 with a BOM, and otherwise the encoding
  charset-normalizer finds (``decode``); an upload also reports which encoding it was read with, and says
  when that was a guess.
- Nesting: every JSON value is read through ``nlp.json_input``, which refuses one nested deeper than
  ``MAX_JSON_DEPTH`` as a bad record (a clear message, not a ``RecursionError``).
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from intake.records import IGNORED_FIELDS, META_FIELDS, NarrativeFileRecord
from nlp.json_input import JsonInputError, JsonTooDeep, loads

DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf")
METADATA_FILE = "metadata.csv"
METADATA_COLUMNS = ("organisation", "date", "language", "consent", "source_grading")
_BINARY_SNIFF = 8192
_MAX_CHAOS = 0.2  # charset-normalizer's mess ratio above which a guess is refused rather than trusted
# Encodings people's tools actually write (Windows code pages first, then ISO 8859 and the main CJK ones),
# in the order a tie between equally plausible guesses is broken: a short Spanish text decodes without
# mess as cp1252 and as DOS cp857 alike, and only one of those is what Word or Excel wrote.
_COMMON_ENCODINGS = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256", "cp1258",
                     "latin_1", "iso8859_15", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "koi8_r",
                     "cp874", "gb18030", "big5", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "mac_roman")
_WORD = re.compile(r"\w+")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


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
class Decoded:
    """A text file's text and the encoding it was read with (a codec name such as ``utf-8`` or ``cp1252``).

    ``guessed`` when the bytes were not UTF-8 and carried no BOM, so the encoding is charset-normalizer's
    best guess: an upload says so, since a wrong guess garbles names without any error."""

    text: str
    encoding: str
    guessed: bool = False


@dataclass(frozen=True, slots=True)
class UploadRead:
    """Every record of an uploaded file, and how its text was decoded (None for .docx and .pdf)."""

    records: list[Record]
    decoded: Decoded | None


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
    if isinstance(source, Upload):
        yield from read_upload(source, kind).records
        return
    where = str(source)
    if kind is Kind.DOCUMENT:
        yield Record(where, {"text": read_document(source), "id": source.stem})
    elif kind is Kind.JSON_LINES:
        yield from json_lines(file_lines(source))
    else:
        yield from _records(decode_text(_file_bytes(source), where), where, kind)


def read_upload(upload: Upload, kind: Kind) -> UploadRead:
    """Every record of an uploaded file, with the encoding its text was read in (for the submitter to check)."""
    if kind is Kind.DOCUMENT and Path(upload.name).suffix.lower() in (".docx", ".pdf"):
        text = document_from_bytes(upload.name, upload.data)
        return UploadRead([Record(upload.name, {"text": text, "id": Path(upload.name).stem})], None)
    decoded = decode(upload.data, upload.name)
    if kind is Kind.DOCUMENT:
        records = [Record(upload.name, {"text": decoded.text, "id": Path(upload.name).stem})]
    else:
        records = list(_records(decoded.text, upload.name, kind))
    return UploadRead(records, decoded)


def _records(text: str, where: str, kind: Kind) -> Iterable[Record]:
    if kind is Kind.JSON_LINES:
        return json_lines(text_lines(text, where))
    if kind is Kind.JSON:
        return json_document(text, where)
    return csv_records(text, where)


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


# -- text ---------------------------------------------------------------------------------------------

def decode_text(data: bytes, where: str) -> str:
    """The text of ``data`` as ``decode`` reads it."""
    return decode(data, where).text


def decode(data: bytes, where: str) -> Decoded:
    """UTF-8 (with or without BOM), UTF-16/32 with a BOM, else the encoding charset-normalizer finds most
    plausible; never binary.

    NGOs export from whatever they use (Word, Notepad's "Unicode", old Windows tools), so Latin-1 and the
    like are accepted when the guess is clean; a NUL byte in a file without a UTF-16/32 BOM means a binary
    file sent by mistake, refused before guessing."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(f"{where}: starts with a {encoding.upper()} byte-order mark but is not "
                                 f"{encoding.upper()} text") from None
            if "\x00" in text:
                raise InputError(f"{where}: looks like a binary file (NUL characters), not text")
            return Decoded(text, codecs.lookup(encoding).name)
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{where}: looks like a binary file (NUL bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    guess = _guess_encoding(data)
    if guess is None:
        raise InputError(f"{where}: not valid UTF-8 and the encoding could not be recognised; save it as UTF-8")
    return guess


def _guess_encoding(data: bytes) -> Decoded | None:
    """charset-normalizer's least messy reading among the common encodings (among all if none fits).

    Short texts decode cleanly in several code pages, so ties are broken by what a person would see: fewer
    words mixing scripts ('Mьller' is 'Müller' read as cp1251), more of the non-ASCII characters letters
    (a Polish 'ł' read as cp1252 becomes '³'), the more coherent language, then the more common encoding.
    UTF-16/32 without a BOM are left out: text with none of their NUL bytes is not either of them."""
    matches = list(from_bytes(data, cp_isolation=list(_COMMON_ENCODINGS)))
    if not matches or min(m.chaos for m in matches) > _MAX_CHAOS:
        matches = [m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))]
    if not matches or min(m.chaos for m in matches) > _MAX_CHAOS:
        return None
    least = min(m.chaos for m in matches)
    best = min((m for m in matches if m.chaos <= least + 0.01), key=_plausibility)
    text = str(best)
    # Code pages that read these bytes as the very same text are equally right; name the most common one.
    for encoding in _COMMON_ENCODINGS[: _common_rank(best.encoding)]:
        try:
            if data.decode(encoding) == text:
                return Decoded(text, codecs.lookup(encoding).name, guessed=True)
        except UnicodeDecodeError:
            continue
    return Decoded(text, codecs.lookup(best.encoding).name, guessed=True)


def _common_rank(encoding: str) -> int:
    return _COMMON_ENCODINGS.index(encoding) if encoding in _COMMON_ENCODINGS else len(_COMMON_ENCODINGS)


def _plausibility(match: Any) -> tuple[int, float, float, int]:
    """Sort key of a candidate reading: smaller is more plausible (see ``_guess_encoding``)."""
    text = str(match)
    mixed = sum(1 for word in _WORD.findall(text) if len({_script(c) for c in word if c.isalpha()}) > 1)
    beyond_ascii = [c for c in text if ord(c) > 127]
    letters = sum(c.isalpha() for c in beyond_ascii) / len(beyond_ascii) if beyond_ascii else 1.0
    return (mixed, -round(letters, 3), -round(match.coherence, 2), _common_rank(match.encoding))


def _script(char: str) -> str:
    """The script a letter belongs to, by the first word of its Unicode name (LATIN, CYRILLIC, GREEK, ...)."""
    return unicodedata.name(char, "?").split(" ", 1)[0]


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
            value = loads(line)
        except JsonInputError as error:
            yield Record(where, problem=str(error))
            continue
        yield Record(where, value)


def json_document(text: str, where: str) -> list[Record]:
    """A .json upload: one object, an array of objects (each a record), or else JSON lines.

    People save JSON lines as .json too, so a text that is not one JSON document but has several lines is
    read line by line; so is a bare ``null``, whose one line is then rejected as not an object."""
    try:
        whole = loads(text)
    except JsonTooDeep as error:
        if not _first_line_is_json(text):  # one deep document, not JSON lines with a deep line among them
            raise InputError(f"{where}: {error}") from None
        whole = None
    except JsonInputError:
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


def _first_line_is_json(text: str) -> bool:
    first = next((line for _, line in text_lines(text, "")), "")
    try:
        loads(first)
    except JsonInputError:
        return False
    return "\n" in text.strip()


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
    allowed = set(NarrativeFileRecord.model_fields) | set(IGNORED_FIELDS)
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        # (counted, not quoted: an upload's error answer never echoes what was sent)
        raise InputError(f"{where}: {len(unknown)} unknown column(s); allowed: {', '.join(sorted(allowed))}")
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
