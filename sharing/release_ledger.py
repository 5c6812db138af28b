"""The release ledger: what each aggregate cell last showed, so that no single narrative can be seen
arriving or leaving by comparing two releases (the differencing attack).

Plain thresholding fails it: a cell published at 12 and, after one more narrative, at 13 tells whoever
compares the two that this narrative had one victim with that cell's attributes. The ledger remembers, per
cell *key* (``k`` and the cell's field values, e.g. ``country_of_origin=NG``; the margin ``sex=Total`` of a
country x sex table is the same key as the cell of a country table), two things:

- the counts it last showed (if it ever showed any);
- whether it is suppressed now, and if so its true counts when it became suppressed (its *basis*, never shown).

A new release then decides per cell:

- suppressed before: it stays suppressed (*held*) until its number of narratives has moved by at least
  ``MIN_CHANGE_CASES`` from its basis; a held cell goes through secondary suppression like a small one;
- a cell that passes every rule shows new counts only when they differ from the last shown ones by at
  least ``k`` victims **and** ``MIN_CHANGE_CASES`` narratives; otherwise it shows the last shown counts again
  (also after a spell of suppression), so every change anyone can see is that large;
- any cell may become suppressed at any time (suppression tells nothing new);
- a cell key never released before is released by the ordinary rules (its first release).

One narrative adds or removes at most one narrative in any cell, so between two releases over data that
differ by one narrative every cell either shows the same counts or is suppressed.

Rows live in ``api.sqlite`` (table ``aggregate_ledger``), shared by the API and the CLI; a release reads and
writes its rows in one ``BEGIN IMMEDIATE`` transaction, so two processes releasing at once decide in turn.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from state.db import ApiDatabase, StateConnection, now

MIN_CHANGE_CASES = 2
_CHUNK = 400  # keys per SELECT ... IN (...)


@dataclass(frozen=True, slots=True)
class Entry:
    """A cell's ledger row: the counts last shown (None: never shown), whether it is suppressed now, and
    its true counts when it became suppressed (meaningful only while suppressed)."""

    shown: tuple[int, int] | None
    suppressed: bool
    basis: tuple[int, int]


def cell_key(fields: Sequence[str], values: Sequence[str | None]) -> str:
    """The canonical key of a cell: its non-margin fields and values, sorted by field (``None`` = margin)."""
    return json.dumps(sorted([f, v] for f, v in zip(fields, values, strict=True) if v is not None),
                      separators=(",", ":"))


def held(entry: Entry | None, cases: int) -> bool:
    """Must this cell stay suppressed whatever its counts (suppressed before, too few narratives since)?"""
    return entry is not None and entry.suppressed and abs(cases - entry.basis[1]) < MIN_CHANGE_CASES


def shown(entry: Entry | None, victims: int, cases: int, k: int) -> tuple[int, int]:
    """The counts a cell that passes every rule shows: the last shown ones unless the change is large."""
    if entry is None or entry.shown is None:
        return victims, cases
    last_victims, last_cases = entry.shown
    if abs(victims - last_victims) >= k and abs(cases - last_cases) >= MIN_CHANGE_CASES:
        return victims, cases
    return entry.shown


def after(entry: Entry | None, suppressed: bool, victims: int, cases: int, published: tuple[int, int] | None
          ) -> Entry:
    """The row to keep once the release is decided."""
    last = entry.shown if entry is not None else None
    if suppressed:
        if entry is not None and entry.suppressed:
            return entry  # the basis stays where the cell became suppressed
        return Entry(last, True, (victims, cases))
    assert published is not None
    return Entry(published, False, (victims, cases))


class ReleaseLedger:
    """The ``aggregate_ledger`` table of ``api.sqlite``."""

    def __init__(self, db: ApiDatabase) -> None:
        self.db = db

    @contextmanager
    def transaction(self) -> Iterator[StateConnection]:
        with self.db.transaction() as connection:
            yield connection

    @staticmethod
    def read(connection: StateConnection, k: int, keys: Sequence[str]) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        unique = sorted(set(keys))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in connection.execute(
                    "SELECT cell, suppressed, shown_victims, shown_cases, basis_victims, basis_cases "
                    f"FROM aggregate_ledger WHERE k = ? AND cell IN ({marks})", (k, *chunk)):
                last = None if row[2] is None else (int(row[2]), int(row[3]))
                found[row[0]] = Entry(last, bool(row[1]), (int(row[4]), int(row[5])))
        return found

    @staticmethod
    def write(connection: StateConnection, k: int, entries: dict[str, Entry],
              previous: dict[str, Entry]) -> int:
        """Store the rows that changed; returns how many."""
        at = now()
        changed = [(k, key, int(e.suppressed), *(e.shown or (None, None)), *e.basis, at)
                   for key, e in entries.items() if previous.get(key) != e]
        connection.executemany(
            "INSERT INTO aggregate_ledger (k, cell, suppressed, shown_victims, shown_cases, basis_victims, "
            "basis_cases, released_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (k, cell) DO UPDATE SET "
            "suppressed = excluded.suppressed, shown_victims = excluded.shown_victims, "
            "shown_cases = excluded.shown_cases, basis_victims = excluded.basis_victims, "
            "basis_cases = excluded.basis_cases, released_at = excluded.released_at", changed)
        return len(changed)

    def size(self) -> int:
        return int(self.db.query("SELECT COUNT(*) AS n FROM aggregate_ledger")[0]["n"])
