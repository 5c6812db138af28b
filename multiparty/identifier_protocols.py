"""Overlap and joint key actors: what the parties compute from their secret-shared identifier tables.

Both run ``matching.pair_tests`` and open only aggregates, except what a party is told about its *own*
identifiers (``rt.output(..., receivers=[a])``), which it already holds:

- **overlap**: per pair of parties and for all parties together, how many identifiers they share, by kind.
  With every party's opt-in, each party also learns which of its own identifiers each other party holds.
- **key actors**: each party learns which of its own identifiers at least ``min_orgs`` organisations hold
  (itself included); everyone learns how many distinct identifiers that is. The count per identifier is
  mapped to a flag by a polynomial (``matching.lagrange``), so only multiplications are needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, permutations
from typing import Any

import numpy as np

from multiparty import fields, matching
from multiparty.tables import KINDS, PartyTables


async def _matches(rt: Any, tables: PartyTables, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """Every party's tables secret-shared, then the pair test for each of ``pairs``."""
    cuckoo, simple = matching.share_tables(rt, tables.cuckoo, tables.simple)
    return dict(zip(pairs, await matching.pair_tests(rt, cuckoo, simple, pairs)))


def _one_hot(tables: PartyTables) -> np.ndarray:
    hot = np.zeros((len(tables.kinds), len(KINDS)), dtype=object)
    for b, kind in enumerate(tables.kinds):
        if kind >= 0:
            hot[b, kind] = 1
    return hot


def _own_keys(tables: PartyTables, found: Any) -> list[str]:
    values = np.asarray(found.value if hasattr(found, "value") else found, dtype=object)
    return sorted(key for key, hit in zip(tables.keys, values) if key is not None and int(hit) == 1)


async def overlap(rt: Any, tables: PartyTables, *, reveal: bool) -> dict[str, Any]:
    m, me = len(rt.parties), rt.pid
    field = rt.SecFld(fields.PRIME)
    unordered = list(combinations(range(m), 2))
    pairs = list(permutations(range(m), 2)) if reveal else unordered
    found = await _matches(rt, tables, pairs)
    kinds = rt.input(field.array(_one_hot(tables)))
    bins = len(tables.kinds)
    counts = [rt.np_matmul(found[(a, b)].reshape(1, bins), kinds[a]) for a, b in unordered]
    everyone = found[(0, 1)]
    for q in range(2, m):
        everyone = everyone * found[(0, q)]
    counts.append(rt.np_matmul(everyone.reshape(1, bins), kinds[0]))
    opened = await rt.output(rt.np_vstack(counts))
    table = [[int(v) for v in row] for row in np.asarray(opened.value, dtype=object).reshape(len(counts), len(KINDS))]
    result: dict[str, Any] = {
        "pairs": [{"parties": [a, b], "total": sum(row), "by_kind": dict(zip(KINDS, row))}
                  for (a, b), row in zip(unordered, table)],
        "all_parties": {"total": sum(table[-1]), "by_kind": dict(zip(KINDS, table[-1]))},
    }
    if reveal:
        shared: dict[str, list[int]] = {}
        for a, b in pairs:
            mine = await rt.output(found[(a, b)], receivers=[a])
            if a == me:
                for key in _own_keys(tables, mine):
                    shared.setdefault(key, []).append(b)
        result["shared_with"] = {key: sorted(parties) for key, parties in sorted(shared.items())}
    return result


def _flag_polynomials(m: int, min_orgs: int) -> tuple[list[int], list[int]]:
    """Over c = the number of *other* parties holding an identifier (0..m-1): the flag ``c + 1 >= min_orgs``,
    and the flag divided by ``c + 1`` (summed over every holder's bins it counts each identifier once)."""
    points = list(range(m))
    flag = [int(c + 1 >= min_orgs) for c in points]
    share = [f * pow(c + 1, fields.PRIME - 2, fields.PRIME) % fields.PRIME for c, f in zip(points, flag)]
    return matching.lagrange(flag, points, fields.PRIME), matching.lagrange(share, points, fields.PRIME)


async def key_actors(rt: Any, tables: PartyTables, *, min_orgs: int) -> dict[str, Any]:
    m, me = len(rt.parties), rt.pid
    pairs = list(permutations(range(m), 2))
    found = await _matches(rt, tables, pairs)
    flag_poly, share_poly = _flag_polynomials(m, min_orgs)
    flags: list[Any] = []
    distinct = None
    for a in range(m):
        others = [found[(a, b)] for b in range(m) if b != a]
        count = others[0]
        for more in others[1:]:
            count = count + more
        flags.append(matching.evaluate(rt, count, flag_poly))
        part = rt.np_sum(matching.evaluate(rt, count, share_poly))
        distinct = part if distinct is None else distinct + part
    total = int((await rt.output(distinct)).value)
    own: list[str] = []
    for a in range(m):
        mine = await rt.output(flags[a], receivers=[a])
        if a == me:
            own = _own_keys(tables, mine)
    return {"min_orgs": min_orgs, "distinct_key_actors": total, "yours": own}


def expected_overlap(sets: Sequence[set[str]]) -> dict[str, Any]:
    """The same answer computed in the clear on pooled sets: for tests and the benchmark's baseline."""
    def by_kind(keys: set[str]) -> dict[str, int]:
        return {kind: sum(1 for k in keys if k.split(":", 1)[0] == kind) for kind in KINDS}
    m = len(sets)
    pairs = [{"parties": [a, b], "total": len(sets[a] & sets[b]), "by_kind": by_kind(sets[a] & sets[b])}
             for a, b in combinations(range(m), 2)]
    common = set.intersection(*map(set, sets))
    return {"pairs": pairs, "all_parties": {"total": len(common), "by_kind": by_kind(common)}}
