"""Who takes part in a computation and how to reach them: parsed and checked before anything connects."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MIN_PARTIES = 3  # Shamir sharing with t = (m - 1) // 2: two parties would give t = 0, nothing private
MAX_PARTIES = 16


class PartyError(ValueError):
    """The party list or this party's place in it is wrong; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Federation:
    """The parties in index order, this party's index, where it listens, and its TLS folder (if any)."""

    addresses: tuple[Address, ...]
    index: int
    bind: str
    tls_dir: Path | None = None

    @property
    def size(self) -> int:
        return len(self.addresses)

    @property
    def threshold(self) -> int:
        """How many parties may pool what they see and still learn nothing beyond the result."""
        return (self.size - 1) // 2


def parse_address(text: str) -> Address:
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise PartyError("a party must be given as HOST:PORT (port 1-65535)")
    return Address(host, int(port))


def federation(parties: Sequence[str], index: int, *, bind: str | None = None, tls_dir: Path | None = None) -> Federation:
    addresses = tuple(parse_address(p) for p in parties)
    if len(addresses) < MIN_PARTIES:
        raise PartyError(f"a joint computation needs at least {MIN_PARTIES} parties (--party once per party, in "
                         "index order); with two, secret sharing would protect nothing")
    if len(addresses) > MAX_PARTIES:
        raise PartyError(f"at most {MAX_PARTIES} parties")
    if len(set(addresses)) != len(addresses):
        raise PartyError("two parties have the same HOST:PORT")
    if not 0 <= index < len(addresses):
        raise PartyError(f"--index must be between 0 and {len(addresses) - 1} (this party's place in the --party list)")
    own = addresses[index].host
    return Federation(addresses, index, bind or _default_bind(own), tls_dir)


def _default_bind(host: str) -> str:
    """Listen on this party's own address when it is an IP or localhost, else on every interface."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "0.0.0.0"
    return host
