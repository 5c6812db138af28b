"""The graph's generation: one row in the service-state database that every graph change an API process makes
bumps, so that every process (on this machine or another) knows its in-memory analysis is stale.

Why a row and not the store's counts alone: the analysis cache (``graph.analysis_cache``) keys its one
analysis on the store's node and relationship counts plus the decision and correction logs' sizes, which
catches ingestion; but a correction, a consent change or a decision may leave every count as it was, and
the logs live in one machine's ``SIGHTLINE_HOME``. Before several API processes, ``invalidate`` in the
process that made the change was enough; with several, the process that did not make it would keep serving
the old analysis. So ``invalidate`` now bumps this row, and each process reads it (one primary-key read)
whenever it asks whether its analysis is current.
"""

from __future__ import annotations

from graph.analysis_cache import AnalysisCache
from state.db import ApiDatabase
from state.settings import Settings


class GraphGeneration:
    """``current()`` and ``bump()`` of the ``graph_generation`` row (``graph.analysis_cache.GenerationSource``)."""

    def __init__(self, db: ApiDatabase) -> None:
        self.db = db

    def current(self) -> int:
        rows = self.db.query("SELECT generation FROM graph_generation WHERE id = 1")
        return int(rows[0][0]) if rows else 0

    def bump(self) -> int:
        """Add one and return the new generation; any process's next ``current()`` sees it."""
        with self.db.transaction(exclusive=False) as db:  # a row lock is enough: the update is one statement
            row = db.execute("UPDATE graph_generation SET generation = generation + 1 WHERE id = 1 "
                             "RETURNING generation").fetchone()
            if row is None:  # (a database whose row was removed by hand: start again)
                db.execute("INSERT INTO graph_generation (id, generation) VALUES (1, 1) ON CONFLICT DO NOTHING")
                return 1
        return int(row[0])


def shared_analysis_cache(settings: Settings, db: ApiDatabase) -> AnalysisCache:
    """The analysis cache of an API or worker process, following the generation every process bumps."""
    return AnalysisCache(settings.home, settings.analysis_options(), generation=GraphGeneration(db))
