"""Opening the configured graph store: a typed ``StoreConfig`` in, a ``GraphStore`` out.

The application's settings (``state.settings``) build the config; graph/ never reads them, so the graph
package can be used, tested and benchmarked without the service around it. ``StoreProvider`` keeps one
store per thread for servers and workers: an SQLite connection must not carry two threads' transactions.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from graph.corrections import CorrectionLog
from graph.decisions import DecisionLog
from graph.stores.protocol import GraphStore, StoreError


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """Which store, and where: ``home`` holds the SQLite file, the decision and correction logs and the
    local Neo4j's record; a Neo4j store uses ``neo4j_uri`` if set, else the local one started from ``home``."""

    home: Path
    kind: Literal["sqlite", "neo4j"] | str = "sqlite"
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"


def open_store(home: Path, kind: str = "sqlite", *, neo4j_uri: str | None = None, neo4j_user: str = "neo4j",
               neo4j_password: str | None = None, neo4j_database: str = "neo4j") -> GraphStore:
    """The embedded store in ``home``, or Neo4j: ``neo4j_uri`` if given, else the local one started from ``home``."""
    return open_configured_store(StoreConfig(home, kind, neo4j_uri, neo4j_user, neo4j_password, neo4j_database))


def open_configured_store(config: StoreConfig) -> GraphStore:
    """The store the config names (from ``SIGHTLINE_STORE`` and, for Neo4j, ``SIGHTLINE_NEO4J_*``)."""
    home = config.home
    if config.kind == "sqlite":
        from graph.stores.sqlite import (
            SQLiteStore,  # (each adapter only when chosen: the driver loads slowly)
        )

        return SQLiteStore(home / "graph.sqlite", DecisionLog(home), CorrectionLog(home))
    if config.kind == "neo4j":
        from graph.neo4j_local.server import local_uri
        from graph.stores.neo4j import Neo4jStore

        uri = config.neo4j_uri or local_uri(home)
        if uri is None:
            raise StoreError(f"SIGHTLINE_STORE=neo4j but no Neo4j is running for {home} and SIGHTLINE_NEO4J_URI is "
                             "not set; run `sightline neo4j start` or point SIGHTLINE_NEO4J_URI at a server")
        return Neo4jStore(uri, config.neo4j_user, config.neo4j_password, config.neo4j_database,
                          DecisionLog(home), CorrectionLog(home))
    raise StoreError(f"unknown store {config.kind!r}; SIGHTLINE_STORE must be 'sqlite' or 'neo4j'")


class StoreProvider:
    """One graph store per thread, opened on first use and closed together."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self._local = threading.local()
        self._opened: list[GraphStore] = []
        self._lock = threading.Lock()

    def get(self) -> GraphStore:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_configured_store(self.config)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._opened:
                try:
                    store.close()
                except Exception:  # noqa: BLE001 - closing at shutdown must not stop the other closes
                    pass
            self._opened.clear()
        self._local = threading.local()
