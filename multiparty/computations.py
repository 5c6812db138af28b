"""The three joint computations as ``session.Computation`` values: public parameters, own input, protocol.

Kept apart from the command line so that the tests and the benchmark run exactly what ``sightline mpc``
runs, with inputs from a Sightline home or given directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from multiparty import identifier_protocols, joint_stats, tables
from multiparty.agreement import Agreement
from multiparty.inputs import NORMALISATION
from multiparty.session import Computation

REVEAL = "reveal_overlap"


def _tables(read: Callable[[], Iterable[str]], index: int, parties: int, capacity: int, salt: str) -> Callable[[], tables.PartyTables]:
    def prepare() -> tables.PartyTables:
        return tables.build(read(), index=index, parties=parties, capacity=capacity, salt=salt)
    return prepare


def _identifier_parameters(capacity: int, salt: str) -> dict[str, str]:
    return {"normalisation": NORMALISATION, "capacity": str(capacity), "salt": salt,
            "bins": str(tables.n_bins(capacity)), "slots": str(tables.n_slots(capacity))}


def overlap(read: Callable[[], Iterable[str]], *, index: int, parties: int, capacity: int, salt: str,
            reveal: bool) -> Computation[tables.PartyTables]:
    async def compute(rt: Any, prepared: tables.PartyTables, agreed: Agreement) -> dict[str, Any]:
        everyone = agreed.everyone[REVEAL]
        result = await identifier_protocols.overlap(rt, prepared, reveal=everyone)
        return {"identifiers": prepared.size, "which_ones": everyone, **result}

    return Computation("overlap", _identifier_parameters(capacity, salt),
                       _tables(read, index, parties, capacity, salt), compute, {REVEAL: reveal})


def key_actors(read: Callable[[], Iterable[str]], *, index: int, parties: int, capacity: int, salt: str,
               min_orgs: int) -> Computation[tables.PartyTables]:
    if not 2 <= min_orgs <= parties:
        raise ValueError(f"--min-orgs must be between 2 and the number of parties ({parties})")

    async def compute(rt: Any, prepared: tables.PartyTables, agreed: Agreement) -> dict[str, Any]:
        result = await identifier_protocols.key_actors(rt, prepared, min_orgs=min_orgs)
        return {"identifiers": prepared.size, **result}

    return Computation("key-actors", {**_identifier_parameters(capacity, salt), "min_orgs": str(min_orgs)},
                       _tables(read, index, parties, capacity, salt), compute)


def stats(read: Callable[[], Iterable[Any]], *, table: joint_stats.StatsDomain, k: int,
          parties: int) -> Computation[np.ndarray]:
    read_cases: list[int] = []

    def prepare() -> np.ndarray:
        cases = list(read())
        read_cases.append(len(cases))
        counts = joint_stats.local_counts(cases, table)
        joint_stats.check_counts(counts, parties)
        return counts

    async def compute(rt: Any, prepared: np.ndarray, agreed: Agreement) -> dict[str, Any]:
        result = await joint_stats.joint_table(rt, prepared, table, k)
        return {"your_cases": read_cases[-1], **result}  # stays with this party: its own input size

    return Computation("stats", {"table": table.describe(), "k": str(k)}, prepare, compute)
