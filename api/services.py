"""What the routes share inside one server process: settings, ``api.sqlite``, the graph store, caches.

Built once by ``create_app`` and kept on ``app.state.services``. The graph store is opened once per
thread: FastAPI runs synchronous routes in a thread pool, and an SQLite connection must not carry two
threads' transactions at once (a Neo4j driver would be shareable, but one per thread costs little).

Nothing here may be needed by another server process (``SIGHTLINE_API_PROCESSES``, or processes on other
machines): keys, sessions, jobs and the watchlist are read from the service-state database on every use;
the analysis cache follows the graph generation row (``state.generation``); failed authentications are
counted in the database (``state.auth_failures``); the screening index follows ``screening_version``.
docs/deployment.md ("What each process keeps in memory") lists each piece.
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
from state.auth_failures import FailureLedger
from state.db import ApiDatabase
from state.generation import shared_analysis_cache
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
    auth_failures: FailureLedger

    @classmethod
    def open(cls, settings: Settings) -> Services:
        db = settings.api_database()
        jobs = JobQueue(db, lease_seconds=settings.api_job_lease_seconds)
        stores = StoreProvider(settings.store_config())
        hashing_key = audit_key(settings)
        return cls(settings=settings, db=db, keys=KeyStore(db),
                   audit=AuditLog(db, hashing_key), jobs=jobs,
                   stores=stores, analysis=shared_analysis_cache(settings, db),
                   narratives=NarrativeRecords(db, jobs), watchlist=Watchlist(db),
                   screening=ScreeningService(settings, db, stores.get),
                   sessions=SessionStore(db, settings.web_idle_minutes * 60, settings.web_session_hours * 3600),
                   auth_failures=FailureLedger(db, hashing_key))

    def close(self) -> None:
        self.stores.close()
        self.db.close()
