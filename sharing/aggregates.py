"""k-anonymous aggregate tables of victims and cases, the way CTDC publishes case data: counts by a few
fields, every small cell suppressed, margins included, nothing recoverable from what is shown.

``aggregate(frame, by, k)`` counts the victim-case frame (``sharing.cases.case_frame``) for every combination
of the ``by`` fields (``victims``: distinct victim-in-case rows; ``cases``: distinct narratives), with every
margin: row, column and grand totals, and in three or more dimensions every partial margin. A missing value
is its own category, ``unknown``; a multi-valued field (types of exploitation, methods of control) counts a
victim once in each of its values, and a victim with none is ``unknown`` there. Margins are counted from the
data, not summed: a victim in two types of exploitation is one victim in the total, so along such a field
the total is at most the sum of its cells (documented in docs/sharing.md, and why suppression stays safe is
in ``sharing.suppression``).

Suppression (``sharing.suppression``) then hides cells, and a ``ReleaseLedger`` (``sharing.release_ledger``),
when given, keeps repeated releases from showing any single narrative. Everything here is a pure function
of the frame and the ledger's rows; the CLI and the API are shells over ``aggregate`` / ``release``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graph.atomic_file import write_atomic
from sharing.cases import AGGREGATE_FIELDS, MULTI_VALUED, case_frame, cases_from_store
from sharing.release_ledger import ReleaseLedger, after, cell_key, held, shown
from sharing.suppression import HELD, PRIMARY, SECONDARY, primary, protect

TOTAL = "Total"  # the margin's label in every published table (no category is spelt so)
UNKNOWN = "unknown"
MIN_K = 5
MAX_FIELDS = 4
MAX_CELLS = 200_000


class AggregateError(ValueError):
    """A request for a table that cannot be made; the message names no input beyond the field list."""


def parse_by(by: str | Iterable[str]) -> tuple[str, ...]:
    """``"country_of_origin,sex"`` or a list of names, checked: known fields, none twice, 1 to 4 of them."""
    names = [n.strip() for n in (by.split(",") if isinstance(by, str) else by)]
    names = [n for n in names if n]
    choices = ", ".join(AGGREGATE_FIELDS)
    if not names:
        raise AggregateError(f"name at least one field to count by ({choices})")
    if any(n not in AGGREGATE_FIELDS for n in names):
        raise AggregateError(f"unknown field to count by; choose from {choices}")
    if len(set(names)) != len(names):
        raise AggregateError("a field is named more than once")
    if len(names) > MAX_FIELDS:
        raise AggregateError(f"at most {MAX_FIELDS} fields in one table")
    return tuple(names)


def check_k(k: int, minimum: int = MIN_K) -> int:
    """``k`` as asked for, refused below ``minimum`` (never below 5, IOM's lowest published threshold)."""
    floor = max(MIN_K, minimum)
    if isinstance(k, bool) or not isinstance(k, int) or k < floor:
        raise AggregateError(f"k must be a whole number of at least {floor}")
    return k


@dataclass(frozen=True, slots=True)
class Counts:
    """True counts over the full table: axis ``i`` has ``len(domains[i])`` categories then the margin."""

    by: tuple[str, ...]
    domains: tuple[tuple[str, ...], ...]
    victims: np.ndarray
    cases: np.ndarray
    largest: np.ndarray  # the most victims any single narrative has in the cell

    @property
    def additive(self) -> tuple[bool, ...]:
        return tuple(f not in MULTI_VALUED for f in self.by)


def _categories(series: pd.Series, multi: bool) -> pd.Series:
    if multi:
        return series.map(lambda v: sorted({str(x) for x in v}) if isinstance(v, (tuple, list)) and len(v)
                          else [UNKNOWN])
    return series.astype(object).where(series.notna(), UNKNOWN).map(str)


def _domain(values: pd.Series) -> tuple[str, ...]:
    found = set(values.unique())
    return tuple(sorted(found - {UNKNOWN})) + ((UNKNOWN,) if UNKNOWN in found else ())


def count(frame: pd.DataFrame, by: Sequence[str]) -> Counts:
    """Victims and cases for every cell and margin of the table over ``by`` (through pandas)."""
    fields = parse_by(list(by))
    missing = [c for c in ("case", "victim", *fields) if c not in frame.columns]
    if missing:
        raise AggregateError("the victim-case table lacks a column it needs: " + ", ".join(missing))
    work = pd.DataFrame({"_case": pd.factorize(frame["case"].astype(str))[0],
                         "_vid": pd.factorize(frame["case"].astype(str) + "\x1f" + frame["victim"].astype(str))[0]})
    for f in fields:
        work[f] = _categories(frame[f], f in MULTI_VALUED).to_numpy()
    for f in fields:
        if f in MULTI_VALUED:
            work = work.explode(f, ignore_index=True)
    domains = tuple(_domain(work[f]) if len(work) else () for f in fields)
    shape = tuple(len(d) + 1 for d in domains)
    if math.prod(shape) > MAX_CELLS:
        raise AggregateError(f"that table would have {math.prod(shape)} cells (at most {MAX_CELLS}); "
                             "choose fewer fields")
    for f, domain in zip(fields, domains, strict=True):
        work[f] = pd.Categorical(work[f], categories=list(domain)).codes
    victims, cases, largest = (np.zeros(shape, dtype=np.int64) for _ in range(3))
    for keep_mask in product((False, True), repeat=len(fields)):
        keep = [f for f, kept in zip(fields, keep_mask, strict=True) if kept]
        if not keep:
            victims[(-1,) * len(fields)] = work["_vid"].nunique()
            cases[(-1,) * len(fields)] = work["_case"].nunique()
            largest[(-1,) * len(fields)] = work.groupby("_case")["_vid"].nunique().max() if len(work) else 0
            continue
        grouped = work.groupby(keep, sort=False)
        v, c = grouped["_vid"].nunique(), grouped["_case"].nunique()
        top = work.groupby([*keep, "_case"], sort=False)["_vid"].nunique().groupby(level=keep).max()
        top = top.reindex(v.index)
        index = tuple(v.index.get_level_values(f).to_numpy() if f in keep else np.full(len(v), len(d))
                      for f, d in zip(fields, domains, strict=True))
        victims[index], cases[index], largest[index] = v.to_numpy(), c.to_numpy(), top.to_numpy()
    return Counts(fields, domains, victims, cases, largest)


@dataclass(frozen=True, slots=True)
class AggregateCell:
    values: tuple[str, ...]  # one per field: a category, ``unknown`` or ``Total``
    victims: int | None  # as published: None when suppressed
    cases: int | None
    suppressed: bool
    reason: str | None  # primary | secondary | held (internal: shown to analysts only)
    true_victims: int
    true_cases: int


@dataclass(frozen=True, slots=True)
class AggregateTable:
    by: tuple[str, ...]
    k: int
    cells: tuple[AggregateCell, ...]

    @property
    def suppressed(self) -> int:
        return sum(c.suppressed for c in self.cells)

    def published_frame(self) -> pd.DataFrame:
        """The table as released: suppressed counts empty, a ``suppressed`` column saying which."""
        rows = [dict(zip(self.by, c.values, strict=True)) | {"victims": c.victims, "cases": c.cases,
                                                             "suppressed": c.suppressed} for c in self.cells]
        frame = pd.DataFrame(rows, columns=[*self.by, "victims", "cases", "suppressed"])
        for column in ("victims", "cases"):
            frame[column] = frame[column].astype("Int64")
        return frame

    def analyst_frame(self) -> pd.DataFrame:
        """True counts beside what is published and why a cell would be suppressed (never released)."""
        frame = self.published_frame()
        frame["true_victims"] = [c.true_victims for c in self.cells]
        frame["true_cases"] = [c.true_cases for c in self.cells]
        frame["reason"] = [c.reason for c in self.cells]
        return frame

    def write_csv(self, path: Path) -> None:
        """The published table as CSV, written whole or not at all."""
        write_atomic(path, self.published_frame().to_csv(index=False))


def release(counts: Counts, k: int, ledger: ReleaseLedger | None = None, record: bool = True) -> AggregateTable:
    """Suppress and (with a ledger) hold back, then publish. ``record=False`` decides without remembering
    (what an analyst's preview uses): it shows what would be released now."""
    k = check_k(k)
    must = primary(counts.victims, counts.largest, k)
    positions = list(np.ndindex(*counts.victims.shape))
    values = [tuple(d[i] if i < len(d) else None for d, i in zip(counts.domains, p, strict=True))
              for p in positions]
    keys = [cell_key(counts.by, v) for v in values]
    with ledger.transaction() if ledger is not None else nullcontext(None) as connection:
        previous = ReleaseLedger.read(connection, k, keys) if connection is not None else {}
        held_mask = np.zeros_like(must)
        for p, key in zip(positions, keys, strict=True):
            held_mask[p] = held(previous.get(key), int(counts.cases[p]))
        mask = protect(counts.victims, must | held_mask, counts.additive)
        cells, entries = [], {}
        for p, key, vals in zip(positions, keys, values, strict=True):
            v, c, hidden = int(counts.victims[p]), int(counts.cases[p]), bool(mask[p])
            entry = previous.get(key)
            published = None if hidden else shown(entry, v, c, k)
            entries[key] = after(entry, hidden, v, c, published)
            reason = PRIMARY if must[p] else HELD if held_mask[p] else SECONDARY if hidden else None
            cells.append(AggregateCell(tuple(TOTAL if x is None else x for x in vals),
                                       None if published is None else published[0],
                                       None if published is None else published[1], hidden, reason, v, c))
        if connection is not None and record:
            ReleaseLedger.write(connection, k, entries, previous)
    return AggregateTable(counts.by, k, tuple(cells))


def aggregate(frame: pd.DataFrame, by: Sequence[str], k: int, ledger: ReleaseLedger | None = None,
              record: bool = True) -> AggregateTable:
    """The published table of ``frame`` over ``by`` at threshold ``k`` (see the module's docstring)."""
    fields = parse_by(list(by))
    k = check_k(k)
    return release(count(frame, fields), k, ledger, record)


def frame_of_store(store: Any) -> pd.DataFrame:
    """The victim-case frame of a graph store (consenting narratives only, as ``sharing.cases`` reads them)."""
    return case_frame(cases_from_store(store))


def cells_out(table: AggregateTable, with_truth: bool) -> list[dict[str, Any]]:
    """The table's cells as plain dicts for the API; true counts only ``with_truth`` (analysts)."""
    out = []
    for c in table.cells:
        cell: dict[str, Any] = {"values": dict(zip(table.by, c.values, strict=True)), "victims": c.victims,
                                "cases": c.cases, "suppressed": c.suppressed}
        if with_truth:
            cell["detail"] = {"victims": c.true_victims, "cases": c.true_cases, "reason": c.reason}
        out.append(cell)
    return out
