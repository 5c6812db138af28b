"""What the routes share inside one server process: settings, ``api.sqlite``, the graph store, caches.

Built once by ``create_app`` and kept on ``app.state.services``. The graph store is opened once per
thread: FastAPI runs synchronous routes in a thread pool, and an SQLite connection must not carry two
threads' transactions at once (a Neo4j driver would be shareable, but one per thread costs little).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from api.analysis_cache import AnalysisCache
from state.audit import AuditLog
from state.db import ApiDatabase
from intake.jobs import JobQueue
from state.keys import KeyStore
from intake.narratives import NarrativeRecords
from screening.service import ScreeningService
from state.settings import Settings
from screening.watchlist import Watchlist


class StoreProvider:
    """One graph store per thread, opened on first use and closed with the server."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> Any:  # the GraphStore protocol
        from graph.stores.protocol import open_configured_store

        store = getattr(self._local, "store", None)
        if store is None:
            store = open_configured_store(self.settings)
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


@dataclass
class Services:
    settings: Settings
    db: ApiDatabase
    keys: KeyStore
    audit: AuditLog
    jobs: JobQueue
    stores: StoreProvider
    analysis: AnalysisCache
    narratives: NarrativeRecords
    watchlist: Watchlist
    screening: ScreeningService

    @classmethod
    def open(cls, settings: Settings) -> Services:
        db = ApiDatabase(settings.api_db_path)
        jobs = JobQueue(db, lease_seconds=settings.api_job_lease_seconds)
        stores = StoreProvider(settings)
        return cls(settings=settings, db=db, keys=KeyStore(db),
                   audit=AuditLog(db, settings.api_audit_key or settings.pseudonym_key), jobs=jobs,
                   stores=stores, analysis=AnalysisCache(settings),
                   narratives=NarrativeRecords(db, jobs), watchlist=Watchlist(db),
                   screening=ScreeningService(settings, db, stores.get))

    def close(self) -> None:
        self.stores.close()
        self.db.close()
