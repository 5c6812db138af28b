"""What the routes share inside one server process: settings, ``api.sqlite``, the graph store, caches.

Built once by ``create_app`` and kept on ``app.state.services``. The graph store is opened once per
thread: FastAPI runs synchronous routes in a thread pool, and an SQLite connection must not carry two
threads' transactions at once (a Neo4j driver would be shareable, but one per thread costs little).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.analysis_cache import AnalysisCache
from graph.stores.factory import StoreProvider
from intake.jobs import JobQueue
from intake.narratives import NarrativeRecords
from screening.service import ScreeningService
from screening.watchlist import Watchlist
from state.audit import AuditLog
from state.db import ApiDatabase
from state.keys import KeyStore
from state.secrets import audit_key
from state.sessions import SessionStore
from state.settings import Settings


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
    sessions: SessionStore

    @classmethod
    def open(cls, settings: Settings) -> Services:
        db = settings.api_database()
        jobs = JobQueue(db, lease_seconds=settings.api_job_lease_seconds)
        stores = StoreProvider(settings.store_config())
        return cls(settings=settings, db=db, keys=KeyStore(db),
                   audit=AuditLog(db, audit_key(settings)), jobs=jobs,
                   stores=stores, analysis=AnalysisCache(settings.home, settings.analysis_options()),
                   narratives=NarrativeRecords(db, jobs), watchlist=Watchlist(db),
                   screening=ScreeningService(settings, db, stores.get),
                   sessions=SessionStore(db, settings.web_idle_minutes * 60, settings.web_session_hours * 3600))

    def close(self) -> None:
        self.stores.close()
        self.db.close()
