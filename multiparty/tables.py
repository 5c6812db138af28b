"""The two hashing tables a party secret-shares for identifier computations (pure, NumPy).

A pair test compares party *a*'s **cuckoo table** (every identifier in exactly one of its three candidate
bins, one per bin) against party *b*'s **simple table** (every identifier in all three of its candidate
bins, ``slots`` per bin). An identifier both hold sits in one bin of *a*'s cuckoo table and, whichever bin
that is, in the same bin of *b*'s simple table, so one comparison per bin finds it: ``bins`` zero tests per
pair instead of ``capacity ** 2``.

Sizes depend only on the public capacity, never on how many identifiers a party really has, so the traffic
says nothing about that either. A set larger than the capacity, a bin over ``slots`` or a cuckoo insertion
that does not settle make the party *not ready*: it says so in the agreement step, before anything is
shared.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from multiparty import fields

BIN_FACTOR = 1.5  # cuckoo bins per identifier of capacity (3 hash functions settle well below 0.9 load)
OVERFLOW_BOUND = 1e-6  # expected number of overflowing simple-table bins that the slot count allows
MAX_KICKS = 2000


class TableError(ValueError):
    """A party's identifiers do not fit the agreed tables; the message never names an identifier."""


def n_bins(capacity: int) -> int:
    return max(8, math.ceil(BIN_FACTOR * capacity))


def n_slots(capacity: int) -> int:
    """The smallest slot count whose expected number of overflowing bins is under ``OVERFLOW_BOUND``.

    Bin loads of the simple table are close to Poisson with mean ``HASHES * capacity / bins`` (2)."""
    bins = n_bins(capacity)
    mean = fields.HASHES * capacity / bins
    slots, term, tail = 0, math.exp(-mean), 1.0
    while True:
        tail -= term  # P(load > slots)
        if bins * tail < OVERFLOW_BOUND:
            return max(slots, 2)
        slots += 1
        term *= mean / slots


KINDS = ("phone", "email", "iban", "wallet", "name")


@dataclass(frozen=True, slots=True)
class PartyTables:
    cuckoo: np.ndarray  # (bins,) fingerprints or this party's cuckoo dummy
    simple: np.ndarray  # (bins, slots) fingerprints or this party's simple dummy
    kinds: np.ndarray  # (bins,) index into KINDS of the cuckoo bin's identifier, -1 when empty
    keys: tuple[str | None, ...]  # the identifier ("kind:key") in each cuckoo bin: stays with the party

    @property
    def size(self) -> int:
        return sum(key is not None for key in self.keys)


def build(identifiers: Iterable[str], *, index: int, parties: int, capacity: int, salt: str) -> PartyTables:
    """Tables for one party's identifiers (each ``kind:key``); raises ``TableError`` when they do not fit."""
    unique = sorted(set(identifiers))
    if len(unique) > capacity:
        raise TableError(f"{len(unique)} identifiers exceed the agreed capacity of {capacity}")
    bins, slots = n_bins(capacity), n_slots(capacity)
    cuckoo = np.full(bins, fields.cuckoo_dummy(index, parties), dtype=np.int64)
    simple = np.full((bins, slots), fields.simple_dummy(index, parties), dtype=np.int64)
    kinds = np.full(bins, -1, dtype=np.int64)
    keys: list[str | None] = [None] * bins
    fill = np.zeros(bins, dtype=np.int64)
    placed: list[int | None] = [None] * bins  # which identifier (by position in ``unique``) holds a cuckoo bin
    prints: list[int] = []
    candidates: list[tuple[int, ...]] = []
    for key in unique:
        raw = fields.digest(salt, key)
        prints.append(fields.fingerprint(raw, parties))
        candidates.append(fields.bins(raw, bins))
    for item, (value, where) in enumerate(zip(prints, candidates)):
        for b in sorted(set(where)):
            if fill[b] >= slots:
                raise TableError("a simple-hashing bin overflowed; agree on another salt and try again")
            simple[b, fill[b]] = value
            fill[b] += 1
        _cuckoo_insert(item, candidates, placed, random.Random(f"{salt}:{index}:{item}"))
    for b, item in enumerate(placed):
        if item is not None:
            cuckoo[b] = prints[item]
            keys[b] = unique[item]
            kind = unique[item].split(":", 1)[0]
            kinds[b] = KINDS.index(kind) if kind in KINDS else -1
    return PartyTables(cuckoo, simple, kinds, tuple(keys))


def _cuckoo_insert(item: int, candidates: Sequence[tuple[int, ...]], placed: list[int | None],
                   rng: random.Random) -> None:
    """Random-walk cuckoo insertion: take a free candidate bin, else evict an occupant and move it on."""
    current: int | None = item
    previous = -1
    for _ in range(MAX_KICKS):
        assert current is not None
        where = candidates[current]
        for b in where:
            if placed[b] is None:
                placed[b] = current
                return
        choices = [b for b in where if b != previous] or list(where)
        b = rng.choice(choices)
        placed[b], current = current, placed[b]
        previous = b
    raise TableError("the cuckoo table did not settle; agree on another salt and try again")
