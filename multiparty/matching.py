"""The secure pair test every identifier computation is built on (runs inside MPyC).

For an ordered pair (a, b): per bin, the product over b's simple-table slots of ``(a's cuckoo value - slot)``
is zero exactly when b holds a's identifier of that bin (up to a fingerprint collision); a Fermat zero test
turns it into a shared 0/1. All pairs are stacked into one array, so the whole test costs
``log2(slots) + 32`` rounds of communication however many pairs there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from multiparty import fields

BLOCK_ELEMENTS = 4_000_000  # slot comparisons per block: about 1 GB of shares in flight at most


def share_tables(rt: Any, cuckoo: np.ndarray, simple: np.ndarray) -> tuple[list[Any], list[Any]]:
    """Every party's cuckoo and simple tables, secret-shared (lists indexed by party)."""
    field = rt.SecFld(fields.PRIME)
    own_cuckoo = field.array(np.asarray(cuckoo, dtype=object))
    own_simple = field.array(np.asarray(simple, dtype=object))
    return rt.input(own_cuckoo), rt.input(own_simple)


def _product_over_slots(rt: Any, d: Any) -> Any:
    """Product along axis 1 as a balanced tree: one round per level."""
    while d.shape[1] > 1:
        half = d.shape[1] // 2
        head = d[:, :half] * d[:, half:2 * half]
        d = rt.np_hstack((head, d[:, 2 * half:])) if d.shape[1] % 2 else head
    return d[:, 0]


def _block_tests(rt: Any, cuckoo: Sequence[Any], simple: Sequence[Any], pairs: Sequence[tuple[int, int]],
                 lo: int, hi: int) -> list[Any]:
    width = hi - lo
    stacked = rt.np_vstack([cuckoo[a][lo:hi].reshape(width, 1) - simple[b][lo:hi] for a, b in pairs])
    found = 1 - rt.np_pow(_product_over_slots(rt, stacked), fields.PRIME - 1)
    return [found[i * width:(i + 1) * width] for i in range(len(pairs))]


async def pair_tests(rt: Any, cuckoo: Sequence[Any], simple: Sequence[Any],
                     pairs: Sequence[tuple[int, int]]) -> list[Any]:
    """Shared 0/1 arrays, one per ordered pair (a, b): 1 in the bins where a's identifier is also b's.

    The bins are tested in blocks of about ``BLOCK_ELEMENTS`` slot comparisons, each finished before the next
    is scheduled, so memory stays bounded by the block, not by capacity x slots x pairs (MPyC schedules a
    whole expression at once and holds every intermediate array until it is done)."""
    bins, slots = simple[0].shape
    per_block = max(1, BLOCK_ELEMENTS // max(1, slots * len(pairs)))
    blocks: list[list[Any]] = []
    for lo in range(0, bins, per_block):
        found = _block_tests(rt, cuckoo, simple, pairs, lo, min(bins, lo + per_block))
        await rt.gather(found[-1])  # the block's last test done: its intermediates can go
        blocks.append(found)
    if len(blocks) == 1:
        return blocks[0]
    return [rt.np_hstack(tuple(block[i] for block in blocks)) for i in range(len(pairs))]


def lagrange(values: Sequence[int], points: Sequence[int], prime: int) -> list[int]:
    """Coefficients (constant first) of the polynomial over GF(prime) taking ``values`` at ``points``: how a
    small shared count is mapped to a flag (``count >= m``) with multiplications only."""
    n = len(points)
    coefficients = [0] * n
    for i, (x_i, y_i) in enumerate(zip(points, values)):
        basis = [1]
        denominator = 1
        for j, x_j in enumerate(points):
            if j == i:
                continue
            basis = [((basis[k - 1] if k else 0) - x_j * (basis[k] if k < len(basis) else 0)) % prime
                     for k in range(len(basis) + 1)]
            denominator = denominator * (x_i - x_j) % prime
        scale = y_i * pow(denominator, prime - 2, prime) % prime
        for k, c in enumerate(basis):
            coefficients[k] = (coefficients[k] + scale * c) % prime
    return coefficients


def evaluate(rt: Any, x: Any, coefficients: Sequence[int]) -> Any:
    """The polynomial at the shared array ``x`` (powers by repeated multiplication; public coefficients)."""
    result = x * 0 + coefficients[0]
    power = x
    for k, c in enumerate(coefficients[1:], start=1):
        if k > 1:
            power = power * x
        if c:
            result = result + power * c
    return result
