"""WHERE clauses from optional filters, built in one place instead of pasted together in every store.

The job queue, the watchlist and the audit log each list rows under a handful of optional filters. Each used
to append ``"a = ?"`` strings to a list and join them by hand; a slip there (a value formatted into the text,
a missing ``AND``, parameters out of step with their placeholders) is an injection or a wrong answer. Here a
filter is a ``Condition``: SQL text written in the code (column names only ever come from there, and are
checked to be plain identifiers) plus the values for its ``?`` placeholders, which go to SQLite as
parameters and never into the text. A filter the caller was not given is ``None`` and drops out, so a query
lists all its filters in order and gets the clause and its parameters back in the same order::

    clause, params = where(equals("entity_id", entity_id), equals("category", category))
    rows = db.query("SELECT * FROM watchlist" + clause + " LIMIT ?", [*params, limit])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, LiteralString

Value = str | int | float | bytes | None
Operator = Literal["=", "!=", "<", "<=", ">", ">="]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Condition:
    """One term of a WHERE clause and the values of its placeholders, in order.

    A term that contains OR must bring its own parentheses: ``where`` joins terms with AND as they are."""

    sql: str
    params: tuple[Value, ...] = ()

    def __post_init__(self) -> None:
        if self.sql.count("?") != len(self.params):  # a value without its placeholder would shift all others
            raise ValueError(f"{self.sql!r} has {self.sql.count('?')} placeholder(s) for {len(self.params)} value(s)")


def _column(name: str) -> str:
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} is not a plain column name")
    return name


def condition(sql: LiteralString, *params: Value) -> Condition:
    """A term written out in the code, for what ``equals``/``compare``/``one_of`` do not cover
    (``removed_at IS NULL``, ``substr(route, 1, ?) = ?``) or for a filter that is always applied."""
    return Condition(sql, params)


def compare(column: LiteralString, operator: Operator, value: Value) -> Condition | None:
    """``column <op> ?``, or no filter when ``value`` is None (the caller was not given one)."""
    return None if value is None else Condition(f"{_column(column)} {operator} ?", (value,))


def equals(column: LiteralString, value: Value) -> Condition | None:
    """``column = ?``, or no filter when ``value`` is None."""
    return compare(column, "=", value)


def one_of(column: LiteralString, values: Sequence[Value] | None) -> Condition | None:
    """``column IN (?,?,...)``, or no filter when there are no values (rather than an ``IN ()`` that matches
    nothing, which SQLite would not even parse)."""
    if not values:
        return None
    return Condition(f"{_column(column)} IN ({','.join('?' * len(values))})", tuple(values))


def where(*conditions: Condition | None) -> tuple[str, list[Value]]:
    """`` WHERE a AND b`` (with its leading space, ready to append to a SELECT) and the parameters in
    placeholder order; ``("", [])`` when no condition applies, so the query lists every row."""
    terms = [c for c in conditions if c is not None]
    if not terms:
        return "", []
    return " WHERE " + " AND ".join(c.sql for c in terms), [p for c in terms for p in c.params]
