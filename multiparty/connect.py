"""Opening the connections between parties: MPyC's scheme (party i listens for the parties below it and
connects to those above it) with named-party TLS and with lost connections reported, not raised into the
event loop.

MPyC's own exchanger raises from ``connection_lost`` and otherwise leaves every pending share waiting
forever; here a connection that ends before the shutdown tells the ``Party``, which stops the computation.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from typing import Any

from multiparty import tls


def _exchanger_class() -> type:
    from mpyc.asyncoro import MessageExchanger

    class Exchanger(MessageExchanger):  # type: ignore[misc, valid-type]
        """MPyC's message exchanger, reporting drops and checking a TLS peer's name against its index."""

        def __init__(self, party: Any, peer_pid: int | None = None) -> None:
            super().__init__(party.rt, peer_pid)
            self.party = party

        def data_received(self, data: bytes) -> None:
            self.party.heard()
            known = self.peer_pid is not None
            super().data_received(data)
            if not known and self.peer_pid is not None and self.party.federation.tls_dir is not None:
                claimed = self.peer_pid
                ssl_object = self.transport.get_extra_info("ssl_object")
                if ssl_object is None or tls.peer_index(ssl_object) != claimed:
                    self.transport.close()
                    self.party.peer_lost(claimed, "presented a certificate that does not name it")

        def connection_lost(self, exc: Exception | None) -> None:
            peer = self.peer_pid
            if not self.party.closing:
                self.party.peer_lost(peer, "dropped out")  # closed or reset: the same for the others
            if peer is not None and self.runtime.parties[peer].protocol is self:
                with contextlib.suppress(Exception):  # the own future may already be settled while closing
                    self.runtime.unset_protocol(peer)

    return Exchanger


def _contexts(party: Any) -> tuple[ssl.SSLContext | None, ssl.SSLContext | None]:
    folder = party.federation.tls_dir
    if folder is None:
        return None, None
    files = tls.TlsFiles.from_dir(folder)
    tls.check_party_files(files, party.federation.index)
    return tls.server_context(files), tls.client_context(files)


async def open_all(party: Any) -> None:
    """Listen (if any lower party must reach us), connect upwards, and wait until every peer is connected.

    The listener is handed to ``party`` as soon as it exists, so that a timeout closes it too."""
    rt = party.rt
    loop = rt._loop
    Exchanger = _exchanger_class()
    server_context, client_context = _contexts(party)
    for peer in rt.parties:
        peer.protocol = loop.create_future() if peer.pid == rt.pid else None
    if rt.pid:
        port = rt.parties[rt.pid].port
        party.server = await loop.create_server(lambda: Exchanger(party), host=party.federation.bind, port=port,
                                          ssl=server_context)
    for peer in rt.parties[rt.pid + 1:]:
        hostname = tls.party_name(peer.pid) if client_context is not None else None
        while True:
            try:
                await loop.create_connection(lambda pid=peer.pid: Exchanger(party, pid), peer.host, peer.port,
                                             ssl=client_context, server_hostname=hostname)
                break
            except ssl.SSLError:
                raise
            except OSError:
                await asyncio.sleep(0.2)
    await rt.parties[rt.pid].protocol
    party.close_listener()  # everyone is here: accept no further connection during the computation
