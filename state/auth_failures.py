"""Failed authentications of the last minute, shared by every API process through the service-state database.

Why in the database: the limit on failed authentications (``SIGHTLINE_API_AUTH_FAILURES_PER_MINUTE``, per
client address and per key id) was counted in each server process's memory, so N processes behind one port
or a load balancer let a guesser try N times the limit. Each failure is now one row, which every process
counts before it looks at a presented key (``api.auth.FailureLimiter``); rows older than the window are
deleted as new ones arrive, so the table holds at most a minute of failures.

The subject (``address:<ip>`` or ``key:<id>``) is stored as an HMAC under the audit log's key, as the audit
log keeps client addresses: whoever reads the database learns how often something failed, not who tried.
Times are wall-clock seconds (``time.time``), so processes on several machines need synchronised clocks
(NTP), which a deployment has anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Sequence

from state.db import ApiDatabase

WINDOW_SECONDS = 60.0


class FailureLedger:
    """Record failures and read back each subject's failure times within the window."""

    def __init__(self, db: ApiDatabase, key: str, clock: Callable[[], float] = time.time,
                 window: float = WINDOW_SECONDS) -> None:
        self.db = db
        self._key = key.encode("utf-8")
        self.clock = clock
        self.window = window

    def _digest(self, subject: str) -> str:
        return hmac.new(self._key, subject.encode("utf-8"), hashlib.sha256).hexdigest()[:40]

    def recent(self, subjects: Sequence[str]) -> dict[str, list[float]]:
        """Each subject's failure times within the window, oldest first (subjects without any are left out)."""
        if not subjects:
            return {}
        digests = {self._digest(s): s for s in subjects}
        marks = ",".join("?" * len(digests))
        rows = self.db.query(f"SELECT subject, at FROM auth_failures WHERE subject IN ({marks}) AND at > ? "
                             "ORDER BY at", (*digests, self.clock() - self.window))
        found: dict[str, list[float]] = {}
        for row in rows:
            found.setdefault(digests[row[0]], []).append(float(row[1]))
        return found

    def record(self, subjects: Sequence[str]) -> None:
        """One failure for each subject, now; failures older than the window are forgotten."""
        at = self.clock()
        with self.db.transaction(exclusive=False) as db:  # inserts and a delete by time: no global order needed
            db.executemany("INSERT INTO auth_failures (subject, at) VALUES (?, ?)",
                           [(self._digest(s), at) for s in subjects])
            db.execute("DELETE FROM auth_failures WHERE at < ?", (at - self.window,))
