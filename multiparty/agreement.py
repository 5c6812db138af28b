"""The first step of every computation: do all parties run the same computation, and can each of them?

Nothing of anyone's data has been shared at this point. Each party secret-shares a digest of every public
parameter (computation, protocol and normalisation versions, capacity, k, domains ...), a *ready* flag (0 when
its own input could not be read, is malformed or does not fit) and its opt-in flags; all of it is opened to
everyone, except the opt-ins: only whether *every* party opted in is opened, so nobody learns who did not.
Differing parameters are named, a party that is not ready is named, and the computation stops before any
data moves. Digests, not the values, so that a parameter never travels in the clear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from multiparty.errors import MpcError

DIGEST_PRIME = 2**127 - 1
SLOTS = 24  # parameter slots, fixed so that two versions with different parameter sets still line up


@dataclass(frozen=True, slots=True)
class Agreement:
    ready: tuple[bool, ...]
    everyone: dict[str, bool]  # opt-in flag -> whether every party set it (and nothing more)


def _digest(name: str, value: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{name}={value}".encode()).digest()[:15], "big")


async def agree(party: object, params: Mapping[str, str], *, ready: bool, opt_in: Mapping[str, bool],
                refusal: str = "") -> Agreement:
    """Open every party's parameter digests, ready flag and opt-ins; raise ``MpcError`` if they differ or a
    party is not ready."""
    rt = party.rt  # type: ignore[attr-defined]
    names = sorted(params)
    flags = sorted(opt_in)
    if len(names) + 1 > SLOTS:
        raise MpcError("too many parameters for the agreement step")  # a programming error, caught by tests
    field = rt.SecFld(DIGEST_PRIME)
    own = [_digest(n, params[n]) for n in names] + [0] * (SLOTS - 1 - len(names)) + [int(ready)]
    shared = rt.input([field(v) for v in own])
    consents = rt.input([field(int(bool(opt_in[f]))) for f in flags]) if flags else []
    products = []
    for j in range(len(flags)):
        product = consents[0][j]
        for more in consents[1:]:
            product = product * more[j]
        products.append(product)
    opened = await rt.output([x for per_party in shared for x in per_party] + products)
    everyone = {f: bool(int(opened[len(shared) * SLOTS + j].value)) for j, f in enumerate(flags)}
    rows = [[int(opened[i * SLOTS + j].value) for j in range(SLOTS)] for i in range(len(shared))]
    readiness = tuple(bool(row[-1]) for row in rows)
    if not all(readiness):
        who = ", ".join(str(i) for i, ok in enumerate(readiness) if not ok)
        mine = f" (this party: {refusal})" if refusal and not ready else ""
        raise MpcError(f"party {who} refused its input before anything was shared{mine}; nothing was computed")
    differing = _differing(names, own, rows)
    if differing:
        raise MpcError("the parties do not agree on " + ", ".join(differing) + "; every party must run the same "
                       "computation with the same parameters. Nothing was shared.")
    return Agreement(readiness, everyone)


def _differing(names: Sequence[str], own: Sequence[int], rows: Sequence[Sequence[int]]) -> list[str]:
    out = [name for j, name in enumerate(names) if any(row[j] != own[j] for row in rows)]
    if not out and any(row[:len(names)] != list(own[:len(names)]) for row in rows):
        out = ["the set of parameters (different Sightline versions?)"]
    return out
