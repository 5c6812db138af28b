"""The public encoding every party applies to its identifiers before secret-sharing them.

Everything here is public and identical for all parties (a change is a protocol change, hence
``PROTOCOL_VERSION``): the prime field, how an identifier becomes a fingerprint and its three candidate
bins, and the dummy values that fill empty slots. Only the secret shares of the resulting tables leave a
party, so the hash needs no secret key; it is salted per session so that tables from two sessions cannot be
lined up against each other.

The prime ``3 * 2**30 + 1`` keeps the zero test cheap: ``x ** (p - 1)`` is 31 squarings and one
multiplication. A fingerprint is 31 bits, so two different identifiers compared in one bin look equal with
probability ``1 / (p - 2m)``, about 3e-10; docs/mpc.md gives the per-computation bound.
"""

from __future__ import annotations

import hashlib

PROTOCOL_VERSION = "sightline-mpc-1"
PRIME = 3 * 2**30 + 1
HASHES = 3  # cuckoo hash functions (and simple-hashing copies) per identifier


def real_modulus(parties: int) -> int:
    """Real fingerprints live in ``[0, PRIME - 2 * parties)``; the values above are the parties' dummies."""
    return PRIME - 2 * parties


def cuckoo_dummy(index: int, parties: int) -> int:
    """The value filling party ``index``'s empty cuckoo bins: never a fingerprint, never a simple dummy."""
    return PRIME - 1 - index


def simple_dummy(index: int, parties: int) -> int:
    """The value filling party ``index``'s empty simple-hashing slots."""
    return PRIME - 1 - parties - index


def digest(salt: str, key: str) -> bytes:
    """SHA-256 over the session salt and an identifier's ``kind:key``."""
    return hashlib.sha256(salt.encode("utf-8") + b"\x00" + key.encode("utf-8")).digest()


def fingerprint(raw: bytes, parties: int) -> int:
    return int.from_bytes(raw[16:24], "big") % real_modulus(parties)


def bins(raw: bytes, n_bins: int) -> tuple[int, ...]:
    """The identifier's candidate bins, one per hash function (they may coincide)."""
    return tuple(int.from_bytes(raw[4 * i:4 * i + 4], "big") % n_bins for i in range(HASHES))
