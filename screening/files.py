"""Partners' customer files as their systems export them, read into a table of text cells (pandas).

- **CSV** with a byte-order mark or without, separated by ``,``, ``;``, tab or ``|`` (the separator that
  splits the header row most is taken), in any encoding: UTF-8 (with or without BOM), UTF-16 with its BOM,
  else the encoding charset-normalizer detects, which is reported. A file that is UTF-8 except for a few
  rows (two exports joined together) keeps its UTF-8 rows as they are, and only the cells that are not
  UTF-8 are decoded in the encoding detected for them, each with a warning for its row.
- **Excel** ``.xlsx`` / ``.xlsm`` through pandas and openpyxl (the first sheet); a date cell reads as
  "1980-01-12 00:00:00", which ``screening.dates`` accepts.

Column names are folded (case, spaces, dashes) and the usual names banks give them are read as the
screening columns ("date_of_birth", "DOB" -> ``birth_date``, "nationality" -> ``country``). Columns that
are none of them are kept in the output but not read (a note says which), unless ``strict``.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

SEPARATORS = (",", ";", "\t", "|")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
COLUMN_ALIASES = {"dob": "birth_date", "date_of_birth": "birth_date", "birthdate": "birth_date",
                  "birth_day": "birth_date", "born": "birth_date", "nationality": "country",
                  "citizenship": "country", "country_code": "country", "full_name": "name",
                  "customer_name": "name", "client_name": "name", "mobile": "phone", "phone_number": "phone",
                  "telephone": "phone", "e_mail": "email", "email_address": "email", "customer_id": "id",
                  "client_id": "id", "reference": "id", "type": "kind", "entity_type": "kind"}
_BYTE_BASE = 0xF700  # undecodable bytes are parked in the private-use area, one character per byte
_PARKED = re.compile("[\uf780-\uf7ff]")


class PartnerFileError(ValueError):
    """The file cannot be read at all; one clear message (it never quotes the file's content)."""


@dataclass(slots=True)
class PartnerTable:
    frame: pd.DataFrame  # every cell text, "" where empty; columns as in the file, folded
    columns: dict[str, str]  # screening column -> the file's column that holds it
    notes: list[str] = field(default_factory=list)  # about the whole file
    row_warnings: dict[int, list[str]] = field(default_factory=dict)  # row position -> warnings


def _park(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start:error.end]
    return "".join(chr(_BYTE_BASE + b) for b in bad), error.end


codecs.register_error("sightline-park", _park)


def _unpark(cell: str, encoding: str) -> str:
    raw = b"".join(bytes([ord(c) - _BYTE_BASE]) if _PARKED.fullmatch(c) else c.encode("utf-8") for c in cell)
    return raw.decode(encoding, errors="replace")


#: What a few odd rows of a UTF-8 file are read in: charset-normalizer's guess on so little text is only
#: trusted among the legacy encodings such exports come in; otherwise Windows-1252.
_ROW_ENCODINGS = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "cp1257"}


def _detected(data: bytes, choices: set[str] | None = None) -> str:
    best = from_bytes(data).best()
    found = str(best.encoding) if best is not None else "cp1252"
    return found if choices is None or found in choices else "cp1252"


def decode(data: bytes) -> tuple[str, list[str], str | None]:
    """The text, notes on how it was read, and the encoding of parked cells (``None``: nothing parked)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), ["read as UTF-16 (byte-order mark)"], None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), [], None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="sightline-park")
    lines = [line for line in text.splitlines() if not line.isascii()]
    parked = [line for line in lines if _PARKED.search(line)]
    valid = len(lines) - len(parked)
    # A legacy single-byte file almost never holds a valid multi-byte UTF-8 sequence by chance, so UTF-8
    # lines beside the bad ones mean a UTF-8 file with odd rows in another encoding (two exports joined).
    if valid and valid * 20 >= len(parked):
        bad = b"\n".join(_unpark(line, "latin-1").encode("latin-1", errors="replace") for line in parked)
        return text, [], _detected(bad, _ROW_ENCODINGS)
    encoding = _detected(data)
    return data.decode(encoding, errors="replace"), [f"the file is not UTF-8; read as {encoding} (detected)"], None


def _separator(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _fold_column(name: object) -> str:
    folded = re.sub(r"[\s\-.]+", "_", str(name).strip().lower()).strip("_")
    return folded


def _read_excel(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, dtype=str, engine="openpyxl", na_filter=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise PartnerFileError(f"{path}: not a readable Excel workbook ({type(error).__name__})") from None
    return frame


def read_table(path: Path, allowed: Iterable[str], *, strict: bool = False) -> PartnerTable:
    """The file as text cells with its screening columns found; raises ``PartnerFileError``."""
    allowed = tuple(allowed)
    if not path.is_file():
        raise PartnerFileError(f"{path}: no such file")
    notes: list[str] = []
    parked_encoding: str | None = None
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise PartnerFileError(f"{path}: old Excel (.xls) files cannot be read; save it as .xlsx or CSV")
    if suffix in EXCEL_SUFFIXES:
        frame = _read_excel(path)
    else:
        text, notes, parked_encoding = decode(path.read_bytes())
        if not text.strip():
            raise PartnerFileError(f"{path}: the file is empty (a header row is needed)")
        separator = _separator(text)
        if separator != ",":
            notes.append(f"columns separated by {'tab' if separator == chr(9) else repr(separator)}")
        try:
            frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
                                skipinitialspace=True)
        except pd.errors.EmptyDataError:
            raise PartnerFileError(f"{path}: the file is empty (a header row is needed)") from None
        except (pd.errors.ParserError, ValueError) as error:
            first = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
            raise PartnerFileError(f"{path}: not a readable CSV file ({first})") from None
    frame = frame.fillna("").astype(str)
    frame.columns = [_fold_column(c) for c in frame.columns]
    if len(set(frame.columns)) != len(frame.columns):
        raise PartnerFileError(f"{path}: a column name appears twice ({', '.join(c[:40] for c in frame.columns)})")
    columns: dict[str, str] = {}
    unknown: list[str] = []
    for column in frame.columns:
        meaning = column if column in allowed else COLUMN_ALIASES.get(column)
        if meaning in allowed and meaning not in columns:
            columns[meaning] = column
        else:
            unknown.append(column)
    if unknown:
        listed = ", ".join(repr(c[:40]) for c in unknown[:10])
        if strict:
            raise PartnerFileError(f"{path}: unknown column(s) {listed}; the columns may be any of {', '.join(allowed)}")
        notes.append(f"column(s) {listed} not read (kept in the output); the columns read are {', '.join(allowed)}")
    table = PartnerTable(frame, columns, notes)
    if parked_encoding is not None:
        _repair_parked(table, parked_encoding)
    return table


def _repair_parked(table: PartnerTable, encoding: str) -> None:
    """Decode the cells that were not UTF-8 in ``encoding`` and warn on their rows."""
    frame = table.frame
    for column in frame.columns:
        values = frame[column]
        hit = values.str.contains(_PARKED, regex=True)
        if not hit.any():
            continue
        for position in hit.to_numpy().nonzero()[0]:
            frame.iat[position, frame.columns.get_loc(column)] = _unpark(values.iat[position], encoding)
            table.row_warnings.setdefault(int(position), []).append(
                f"{column}: not UTF-8 like the rest of the file; read as {encoding}")
