"""Joint victim statistics across organisations, k-suppressed inside the computation.

The table is public before any data moves: the fields (origin, destination, type of exploitation, year) and
each field's categories (countries from ISO 3166-1, restricted by agreement; the HTCDS picklist of types;
a year range), each with ``other`` (stated, outside the agreed list) and ``unknown`` (not stated). Every
party counts its own victims per cell (distinct victims; a victim with two types of exploitation is in two
cells) and secret-shares the vector.

Inside the computation: the total ``T`` and the sum ``L`` of the ``t`` largest single-party contributions per
cell, ``t = (m - 1) // 2`` being how many parties the secret sharing lets collude; the cell is published only
when ``T - L >= k``. So any ``t`` parties together, knowing their own counts, still face at least ``k``
victims from the *other* organisations in any published cell (a rule on the largest narrative alone would
let the biggest contributor subtract itself and see a small remainder), and one narrative, which belongs to
one party, can never make a cell. Only the published flags and the published totals are opened; a suppressed cell's total is
never opened, not even to a party that contributed to it. No margins are released: they would give back the
suppressed cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

OTHER, UNKNOWN = "other", "unknown"
FIELDS = {"origin": "country_of_origin", "destination": "country_of_exploitation",
          "type": "type_of_exploitation", "year": "year"}
DEFAULT_BY = ("origin", "destination", "type", "year")
MAX_CELLS = 200_000
COUNT_BITS = 20  # secure integers: the comparisons' cost grows with it (32 bits took twice as long)


class StatsError(ValueError):
    """The table cannot be agreed or built as asked; the message names the problem, never the data."""


@dataclass(frozen=True, slots=True)
class StatsDomain:
    fields: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]

    @property
    def cells(self) -> int:
        return int(np.prod([len(v) for v in self.values]))

    def describe(self) -> str:
        """The public definition every party must agree on (digested in the agreement step)."""
        return ";".join(f"{f}={','.join(v)}" for f, v in zip(self.fields, self.values))

    def label(self, index: int) -> dict[str, str]:
        out: dict[str, str] = {}
        for field, values in zip(reversed(self.fields), reversed(self.values)):
            index, position = divmod(index, len(values))
            out[field] = values[position]
        return {f: out[f] for f in self.fields}


def exploitation_types() -> tuple[str, ...]:
    from sharing.synthetic_domain import public_domain

    return tuple(code for column, code in public_domain().flags.values() if column == FIELDS["type"])


def domain(by: Sequence[str], *, countries: Sequence[str] | None, years: tuple[int, int]) -> StatsDomain:
    from sharing.synthetic_domain import countries as all_countries

    fields = tuple(dict.fromkeys(f.strip().lower() for f in by if f.strip()))
    unknown = [f for f in fields if f not in FIELDS]
    if not fields or unknown:
        raise StatsError(f"--by takes a comma-separated list of: {', '.join(FIELDS)}")
    known = set(all_countries())
    chosen = tuple(sorted({c.strip().upper() for c in countries})) if countries else all_countries()
    if any(c not in known for c in chosen):
        raise StatsError("--countries takes ISO 3166-1 alpha-2 codes (like RO,GB), comma-separated")
    first, last = years
    if not 1900 <= first <= last <= 2100 or last - first > 50:
        raise StatsError("--years must be FIRST-LAST, between 1900 and 2100, at most 50 years")
    per_field = {"origin": chosen, "destination": chosen, "type": exploitation_types(),
                 "year": tuple(str(y) for y in range(first, last + 1))}
    values = tuple((*per_field[f], OTHER, UNKNOWN) for f in fields)
    built = StatsDomain(fields, values)
    if built.cells > MAX_CELLS:
        raise StatsError(f"the table would have {built.cells:,} cells (at most {MAX_CELLS:,}): name fewer countries "
                         "with --countries or count by fewer fields with --by")
    return built


def _categories(case: Any, field: str, values: tuple[str, ...]) -> list[str]:
    raw = getattr(case, FIELDS[field])
    items = [str(v) for v in raw] if isinstance(raw, (tuple, list)) else ([] if raw is None else [str(raw)])
    items = [v.upper() if field in ("origin", "destination") else v for v in items if v]
    if not items:
        return [UNKNOWN]
    return sorted({v if v in values else OTHER for v in items})


def local_counts(cases: Iterable[Any], table: StatsDomain) -> np.ndarray:
    """Distinct victims per cell of this party's own cases (one case per victim per narrative)."""
    positions = [{v: i for i, v in enumerate(values)} for values in table.values]
    victims: dict[int, set[str]] = {}
    for case in cases:
        cells = [0]
        for field, values, where in zip(table.fields, table.values, positions):
            size = len(values)
            cells = [c * size + where[v] for c in cells for v in _categories(case, field, values)]
        for cell in cells:
            victims.setdefault(cell, set()).add(case.victim)
    counts = np.zeros(table.cells, dtype=np.int64)
    for cell, people in victims.items():
        counts[cell] = len(people)
    return counts


def _release(table: StatsDomain, published: Sequence[int], totals: Sequence[int], k: int) -> dict[str, Any]:
    cells = [{**table.label(i), "victims": int(totals[i])} for i in range(table.cells) if published[i]]
    return {"by": list(table.fields), "k": k, "cells": table.cells, "published": cells,
            "suppressed": table.cells - len(cells)}


async def joint_table(rt: Any, counts: np.ndarray, table: StatsDomain, k: int) -> dict[str, Any]:
    """The k-suppressed joint table (runs inside MPyC; every party calls it with its own counts)."""
    secint = rt.SecInt(COUNT_BITS)
    shared = rt.input(secint.array(np.asarray(counts, dtype=object)))
    colluders = max(1, (len(shared) - 1) // 2)
    total = shared[0]
    for more in shared[1:]:
        total = total + more
    if colluders == 1:
        largest = shared[0]
        for more in shared[1:]:
            largest = rt.np_maximum(largest, more)
    else:  # a sorting network over the parties, every cell at once
        ranked = rt.np_sort(rt.np_vstack([x.reshape(1, -1) for x in shared]), axis=0)
        largest = ranked[-1]
        for row in range(2, colluders + 1):
            largest = largest + ranked[-row]
    published = 1 - rt.np_less(total - largest, k)
    released = published * total
    opened = await rt.output(rt.np_vstack((published.reshape(1, -1), released.reshape(1, -1))))
    values = np.asarray(opened, dtype=object).reshape(2, -1)
    return _release(table, [int(v) for v in values[0]], [int(v) for v in values[1]], k)


def expected_table(per_party: Sequence[np.ndarray], table: StatsDomain, k: int) -> dict[str, Any]:
    """The same release computed in the clear on pooled counts: for tests and the benchmark's baseline."""
    stacked = np.vstack(per_party)
    colluders = max(1, (len(per_party) - 1) // 2)
    total = stacked.sum(axis=0)
    largest = np.sort(stacked, axis=0)[-colluders:].sum(axis=0)
    published = (total - largest >= k).astype(int)
    return _release(table, list(published), list(total * published), k)


def max_count(parties: int) -> int:
    """The largest count a party may bring to a cell, so that the total of all parties stays in range."""
    return 2 ** (COUNT_BITS - 2) // parties


def check_counts(counts: Mapping[int, int] | np.ndarray, parties: int) -> None:
    if np.any(np.asarray(counts) < 0) or np.any(np.asarray(counts) > max_count(parties)):
        raise StatsError(f"a cell count is over {max_count(parties):,}, the most a joint table can hold per party")
