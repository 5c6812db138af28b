"""A real TCP proxy between the driver and Neo4j that can cut one connection mid-transaction.

It stands in for a network fault (a dropped connection is the most common transient error a production
Neo4j client sees): armed with a marker, it forwards bytes until a client message containing the marker
passes, then closes that connection once and forwards normally afterwards.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse


class FaultyProxy:
    def __init__(self, target_uri: str) -> None:
        parsed = urlparse(target_uri)
        self._target = (parsed.hostname or "127.0.0.1", parsed.port or 7687)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.uri = f"bolt://127.0.0.1:{self._server.getsockname()[1]}"
        self._marker: bytes | None = None
        self.cuts = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, marker: bytes) -> None:
        with self._lock:
            self._marker = marker

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self._target)
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while data := src.recv(65536):
                if from_client:
                    with self._lock:
                        cut = self._marker is not None and self._marker in data
                        if cut:
                            self._marker = None
                            self.cuts += 1
                    if cut:
                        break
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self._server.close()
