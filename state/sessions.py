"""Workspace sessions: an API key exchanged once for a random session token kept in an HttpOnly cookie.

Why server-side rows rather than a signed cookie: a session must end everywhere at once when its key is
revoked, when the user signs out or when it sits idle, and several server processes must agree on that;
a row in ``api.sqlite`` gives all three. Only the SHA-256 of the token is stored (the token is 256 random
bits, so no salt or slow hash is needed), so whoever reads the database cannot sign in as anyone. Each
session has its own CSRF token, which pages send back with every state-changing request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from state.db import ApiDatabase


@dataclass(frozen=True, slots=True)
class Session:
    key_id: str
    csrf: str
    created_at: float
    last_seen: float


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SessionStore:
    """Create, resolve (sliding idle timeout, absolute lifetime) and end sessions."""

    def __init__(self, db: ApiDatabase, idle_seconds: float, max_age_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.idle_seconds = idle_seconds
        self.max_age_seconds = max_age_seconds
        self._clock = clock

    def create(self, key_id: str) -> tuple[str, Session]:
        """A new session for this key: (the token for the cookie, the session)."""
        token = secrets.token_urlsafe(32)
        at = self._clock()
        session = Session(key_id=key_id, csrf=secrets.token_urlsafe(32), created_at=at, last_seen=at)
        with self.db.transaction() as db:
            db.execute("DELETE FROM web_sessions WHERE last_seen < ? OR created_at < ?",
                       (at - self.idle_seconds, at - self.max_age_seconds))
            db.execute("INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?)",
                       (_hash(token), key_id, session.csrf, at, at))
        return token, session

    def resolve(self, token: str) -> Session | None:
        """The live session for this token, its idle clock restarted; None when unknown, idle or too old."""
        if not token or len(token) > 200:
            return None
        digest = _hash(token)
        at = self._clock()
        with self.db.transaction() as db:
            row = db.execute("SELECT * FROM web_sessions WHERE token_hash = ?", (digest,)).fetchone()
            if row is None or not hmac.compare_digest(row["token_hash"], digest):
                return None
            if row["last_seen"] < at - self.idle_seconds or row["created_at"] < at - self.max_age_seconds:
                db.execute("DELETE FROM web_sessions WHERE token_hash = ?", (digest,))
                return None
            db.execute("UPDATE web_sessions SET last_seen = ? WHERE token_hash = ?", (at, digest))
        return Session(key_id=row["key_id"], csrf=row["csrf"], created_at=row["created_at"], last_seen=at)

    def end(self, token: str) -> None:
        self.db.connection().execute("DELETE FROM web_sessions WHERE token_hash = ?", (_hash(token),))

    def end_all_for(self, key_id: str) -> None:
        """Sign out everywhere a key was used (called when the key is revoked)."""
        self.db.connection().execute("DELETE FROM web_sessions WHERE key_id = ?", (key_id,))
