"""One party's run of one computation, start to finish: read its own input, connect, agree, compute, stop.

The input is read *before* connecting, and a party whose input cannot be used still joins, to say so in the
agreement step, so the others stop at once with its index rather than waiting out the timeout. The result
is returned only when the whole computation is done and every party has confirmed the end; the caller
writes it, whole, only then.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from multiparty import agreement, fields
from multiparty.errors import MpcError
from multiparty.parties import Federation
from multiparty.runtime import Party

T = TypeVar("T")


@dataclass(slots=True)
class Outcome:
    computation: str
    index: int
    parties: int
    parameters: dict[str, str]
    result: dict[str, Any]
    seconds: float
    bytes_sent: int

    def to_json(self) -> dict[str, Any]:
        return {"computation": self.computation, "party": self.index, "parties": self.parties,
                "parameters": self.parameters, "result": self.result,
                "cost": {"seconds": round(self.seconds, 3), "bytes_sent": self.bytes_sent}}


@dataclass(slots=True)
class Computation(Generic[T]):
    """What a command hands to ``run``: the public parameters, how to read its own input, how to compute."""

    name: str
    parameters: dict[str, str]
    prepare: Callable[[], T]
    compute: Callable[[Any, T, agreement.Agreement], Awaitable[dict[str, Any]]]
    opt_in: Mapping[str, bool] = field(default_factory=dict)
    refusals: tuple[type[BaseException], ...] = (ValueError, OSError, RuntimeError)  # StoreError is one


def default_salt(name: str) -> str:
    """Public, the same for every party that runs the same computation on the same (UTC) day."""
    return f"{name}:{dt.datetime.now(dt.UTC).date().isoformat()}"


def run(federation: Federation, timeout: float, computation: Computation[T],
        on_phase: Callable[[str], None] = lambda phase: None) -> Outcome:
    prepared: T | None = None
    refusal = ""
    try:
        prepared = computation.prepare()
    except computation.refusals as error:  # the party's own input: told locally, refused to the others
        refusal = str(error) or type(error).__name__
    params = {"computation": computation.name, "protocol": fields.PROTOCOL_VERSION,
              "parties": ",".join(str(a) for a in federation.addresses), **computation.parameters}
    party = Party(federation, timeout)
    began = time.perf_counter()

    async def main() -> tuple[dict[str, Any], int]:
        on_phase(f"waiting for the other {federation.size - 1} parties to join")
        await party.start()
        on_phase("agreeing on the parameters")
        agreed = await party.phase("the agreement step", agreement.agree(
            party, params, ready=prepared is not None, opt_in=computation.opt_in, refusal=refusal))
        assert prepared is not None  # agree raised otherwise
        on_phase(f"computing {computation.name}")
        result = await party.phase("the computation", computation.compute(party.rt, prepared, agreed))
        sent = party.bytes_sent()
        on_phase("confirming the end with every party")
        await party.shutdown()
        return result, sent

    try:
        result, sent = party.run(main())
    except MpcError:
        party.close()
        raise
    return Outcome(computation.name, federation.index, federation.size, params, result,
                   time.perf_counter() - began, sent)
