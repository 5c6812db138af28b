"""A partner's batch file read row by row into queries: what ``sightline screen`` screens.

``read_batch`` reads the file (``screening.files``: encodings, separators, Excel) and each row with the
server's own rules (``screening.queries.read_query``). By default a value that cannot be read is left out
of its row with a warning (``row.warnings``), a row with nothing left to screen is answered "not
screened" with its reasons, and every other row is screened. With ``strict`` the file is all or nothing:
every problem is listed (row number as a person counts them, header = row 1) and nothing is screened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from screening.files import PartnerFileError, PartnerTable, read_table
from screening.models import IDENTIFIER_KINDS
from screening.queries import QueryProblem, ReadQuery, read_query

SCREEN_COLUMNS = ("id", "name", "birth_date", "country", "phone", "email", "iban", "wallet", "kind", "region")
MAX_LISTED = 50


class BatchError(ValueError):
    """The file cannot be screened (unreadable, no usable column, or a bad row in strict mode)."""


@dataclass(slots=True)
class Row:
    read: ReadQuery
    warnings: list[str] = field(default_factory=list)  # the file's and the query's, in that order

    @property
    def screenable(self) -> bool:
        return self.read.query is not None


@dataclass(slots=True)
class Batch:
    table: PartnerTable
    rows: list[Row]

    @property
    def notes(self) -> list[str]:
        return self.table.notes


def _listed(problems: list[str]) -> str:
    more = len(problems) - MAX_LISTED
    return "\n".join(problems[:MAX_LISTED]) + (f"\n... and {more} more" if more > 0 else "")


def read_batch(path: Path, default_region: str | None, *, strict: bool = False) -> Batch:
    """Every row of ``path`` read into a query (module docstring); raises ``BatchError``."""
    try:
        table = read_table(path, SCREEN_COLUMNS, strict=strict)
    except PartnerFileError as error:
        raise BatchError(str(error)) from None
    if table.frame.empty:
        raise BatchError(f"{path}: no rows to screen")
    if not set(table.columns) & {"name", *IDENTIFIER_KINDS}:
        raise BatchError(f"{path}: nothing to screen: the file needs a name column or an identifier column "
                         "(phone, email, iban, wallet)")
    wanted = [(meaning, column) for meaning, column in table.columns.items() if meaning != "id"]
    data = {meaning: table.frame[column].tolist() for meaning, column in wanted}
    rows: list[Row] = []
    problems: list[str] = []
    for position in range(len(table.frame)):
        number = position + 2
        cells = {meaning: values[position] for meaning, values in data.items()}
        from_file = list(table.row_warnings.get(position, ()))
        if strict:
            problems += [f"row {number}: {warning}" for warning in from_file]
            try:
                rows.append(Row(read_query(cells, default_region, strict=True)))
            except QueryProblem as problem:
                problems.append(f"row {number}: {problem.field}: {problem.message}")
            continue
        read = read_query(cells, default_region)
        rows.append(Row(read, from_file + read.warnings))
    if problems:
        raise BatchError(f"{path}: {len(problems)} problem(s) in the rows; nothing was screened or written\n"
                         f"{_listed(problems)}")
    return Batch(table, rows)
