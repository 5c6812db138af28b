"""An MPyC runtime for one Sightline party: built from our own arguments, hardened, and bounded in time.

MPyC is written for scripts: importing it parses ``sys.argv`` and it keeps one runtime per process in
module globals. Sightline is a command with its own arguments, so the import sees an empty command line and
the runtime is built here from a ``Federation`` instead. Three things are added around MPyC's protocol:

- **Restricted unpickling.** MPyC sends NumPy share arrays as pickles and ``pickle.loads`` whatever a peer
  sends, which would let one party run code on another. The module's ``pickle`` is replaced by one whose
  ``loads`` reconstructs NumPy arrays and plain Python values only.
- **Time bounds.** Connecting and every phase of a computation are bounded by a timeout; a peer whose
  connection drops makes this party stop at once instead of waiting for shares that never come.
- **Mutual TLS with named parties** (``multiparty.tls``): a peer's certificate must name the index it
  claims, which MPyC's own ``--ssl`` option does not check.
"""

from __future__ import annotations

import asyncio
import io
import logging
import pickle
import ssl
import sys
import threading
import types
from collections.abc import Awaitable
from typing import Any, TypeVar

from multiparty import connect
from multiparty.errors import MpcError
from multiparty.parties import Federation

T = TypeVar("T")
TICK = 1.0  # seconds between checks for silence
log = logging.getLogger(__name__)
_ALLOWED_GLOBALS = {
    ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "scalar"), ("builtins", "int"), ("builtins", "object"),
}
_import_lock = threading.Lock()


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError("a peer sent an object that is not a share array; refused")


def restricted_loads(data: bytes) -> Any:
    return _ArraysOnly(io.BytesIO(data)).load()


def load_mpyc() -> types.ModuleType:
    """Import ``mpyc.runtime`` without letting it read Sightline's command line, and harden its unpickling."""
    with _import_lock:
        if "mpyc.runtime" not in sys.modules:
            saved = sys.argv
            sys.argv = [saved[0] if saved else "sightline", "--no-log"]
            try:
                import mpyc.runtime  # noqa: F401 - the import runs MPyC's set-up on the argv above
            finally:
                sys.argv = saved
        module = sys.modules["mpyc.runtime"]
        module.pickle = types.SimpleNamespace(dumps=pickle.dumps, loads=restricted_loads)  # type: ignore[attr-defined]
        return module


def _install(rt: Any) -> None:
    """Make ``rt`` the runtime MPyC's modules use (what ``mpyc.runtime.setup`` does for its own)."""
    import mpyc.asyncoro
    import mpyc.mpctools
    import mpyc.random
    import mpyc.secgroups
    import mpyc.seclists
    import mpyc.secpols
    import mpyc.sectypes
    import mpyc.statistics

    for module in (mpyc.sectypes, mpyc.asyncoro, mpyc.mpctools, mpyc.seclists, mpyc.secpols, mpyc.secgroups,
                   mpyc.random, mpyc.statistics):
        module.runtime = rt  # type: ignore[attr-defined]


class Party:
    """One party's runtime and connections. Use ``run`` from synchronous code."""

    def __init__(self, federation: Federation, timeout: float) -> None:
        self.federation = federation
        self.timeout = timeout
        module = load_mpyc()
        import mpyc

        options = mpyc._get_arg_parser().parse_args(["--no-log", "-I", str(federation.index)])
        options.threshold = federation.threshold
        options.no_async = False
        parties = [module.Party(i, a.host, a.port) for i, a in enumerate(federation.addresses)]
        self.rt: Any = module.Runtime(federation.index, parties, options)
        _install(self.rt)
        self.closing = False
        self.messages = 0
        self.dropped: asyncio.Future[str] | None = None
        self.server: asyncio.AbstractServer | None = None  # set by connect.open_all while parties join

    @property
    def pid(self) -> int:
        return self.rt.pid

    def run(self, coroutine: Awaitable[T]) -> T:
        return self.rt._loop.run_until_complete(coroutine)

    def bytes_sent(self) -> int:
        return sum(p.protocol.nbytes_sent for p in self.rt.parties
                   if p.pid != self.pid and p.protocol is not None and hasattr(p.protocol, "nbytes_sent"))

    def peer_lost(self, peer: int | None, reason: str) -> None:
        """Called by a connection that ended outside the shutdown: everything waiting must stop."""
        if self.closing or self.dropped is None or self.dropped.done():
            return
        who = f"party {peer}" if peer is not None else "a party"
        self.dropped.set_result(f"{who} {reason}")

    async def start(self) -> None:
        """Connect to every other party within the timeout, or fail naming the parties that did not join."""
        self.dropped = self.rt._loop.create_future()
        try:
            await asyncio.wait_for(connect.open_all(self), self.timeout)
        except TimeoutError:
            missing = [p.pid for p in self.rt.parties if p.pid != self.pid and p.protocol is None]
            self.close()
            names = ("party " if len(missing) == 1 else "parties ") + (", ".join(map(str, missing)) or "some")
            raise MpcError(f"{names} did not join within {self.timeout:g} s (a refused TLS certificate looks the "
                           "same from here); nothing was computed") from None
        except ssl.SSLError:
            self.close()
            raise MpcError("the TLS handshake with another party failed: its certificate is not signed by the "
                           "federation's CA or does not name its index") from None
        except OSError as error:
            self.close()
            raise MpcError(f"could not listen or connect ({error.strerror or type(error).__name__}); "
                           "check --party, --index and --bind") from None
        self.rt.start_time = self.rt._loop.time()

    def heard(self) -> None:
        """A message arrived: the computation is alive (called by the connections)."""
        self.messages += 1

    async def phase(self, name: str, coroutine: Awaitable[T]) -> T:
        """Run one phase of the computation, stopping at once if a peer drops out, or when no message has
        arrived for the timeout: a long computation that keeps exchanging shares is never cut short, a
        stalled one is. Time this process spends computing counts as one tick at most, so a slow step of
        its own is not mistaken for the others' silence."""
        assert self.dropped is not None
        task = asyncio.ensure_future(coroutine)
        silent, seen = 0.0, self.messages
        while True:
            done, _ = await asyncio.wait({task, self.dropped}, timeout=TICK, return_when=asyncio.FIRST_COMPLETED)
            if done:
                break
            silent = 0.0 if self.messages != seen else silent + TICK
            seen = self.messages
            if silent >= self.timeout:
                break
        if task in done:
            return task.result()
        task.cancel()
        self.close()
        if self.dropped in done:
            raise MpcError(f"{self.dropped.result()} during {name}; the computation stopped, nothing was written")
        raise MpcError(f"no party sent anything for {self.timeout:g} s during {name} (a party may have stalled); "
                       "the computation stopped, nothing was written")

    async def shutdown(self) -> None:
        """MPyC's synchronised shutdown, bounded: every party has its result once this returns."""
        self.closing = True
        try:
            await asyncio.wait_for(self.rt.shutdown(), self.timeout)
        except TimeoutError:
            log.warning("a party did not confirm the end of the computation within %g s", self.timeout)
        finally:
            self.close()

    def close_listener(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def close(self) -> None:
        self.closing = True
        self.close_listener()
        for peer in self.rt.parties:
            protocol = peer.protocol
            if peer.pid != self.pid and protocol is not None and getattr(protocol, "transport", None) is not None:
                protocol.transport.close()
