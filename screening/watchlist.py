"""The analysts' watchlist: entities flagged with a category of concern and a reason, in ``api.sqlite``.

A flag records who raised it and when; removing it keeps the row and records who removed it, so the list
can always be explained after the fact. Screening (a later issue) checks partners' identifiers against the
active entries. Victims are never flagged: a partner match on a victim's phone or account would point at
the very person the system protects.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from state.db import ApiDatabase, now
from state.sql import condition, equals, where

ERASED = "(deleted with its narrative)"


@dataclass(frozen=True, slots=True)
class WatchEntry:
    id: str
    entity_id: str
    label: str
    name: str
    category: str
    reason: str
    by: str
    created_at: str
    removed_at: str | None
    removed_by: str | None
    removed_reason: str | None = None  # why it was taken off, when the analyst said


def _entry(row: object) -> WatchEntry:
    r = row  # state.db.Row
    return WatchEntry(r["id"], r["entity_id"], r["label"], r["name"], r["category"], r["reason"],  # type: ignore[index]
                      f"{r['organisation']} ({r['key_id']})", r["created_at"], r["removed_at"], r["removed_by"],  # type: ignore[index]
                      r["removed_reason"])  # type: ignore[index]


class Watchlist:
    def __init__(self, db: ApiDatabase) -> None:
        self.db = db

    def add(self, entity_id: str, label: str, name: str, category: str, reason: str, key_id: str,
            organisation: str) -> WatchEntry:
        watch_id = "watch_" + secrets.token_hex(6)
        with self.db.transaction() as db:
            db.execute("INSERT INTO watchlist (id, entity_id, label, name, category, reason, key_id, organisation, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (watch_id, entity_id, label, name, category, reason, key_id, organisation, now()))
        found = self.get(watch_id)
        assert found is not None
        return found

    def get(self, watch_id: str) -> WatchEntry | None:
        rows = self.db.query("SELECT * FROM watchlist WHERE id = ?", (watch_id,))
        return _entry(rows[0]) if rows else None

    def entries(self, *, entity_id: str | None = None, category: str | None = None, include_removed: bool = False,
                limit: int = 100, offset: int = 0) -> list[WatchEntry]:
        clause, params = where(equals("entity_id", entity_id), equals("category", category),
                               None if include_removed else condition("removed_at IS NULL"))
        return [_entry(r) for r in self.db.query("SELECT * FROM watchlist" + clause
                                                 + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                                                 [*params, limit, offset])]

    def follow(self, renamed: dict[str, str], deleted: list[str], by: str) -> int:
        """After a narrative's deletion: flags on people the graph now knows under another id follow them;
        flags on entities that no longer exist are taken off (kept, with who removed them, but without the
        name, which came from the deleted narrative). How many changed."""
        changed = 0
        with self.db.transaction() as db:
            for old, new in renamed.items():
                changed += db.execute("UPDATE watchlist SET entity_id = ? WHERE entity_id = ?", (new, old)).rowcount
            for entity_id in deleted:
                changed += db.execute("UPDATE watchlist SET removed_at = COALESCE(removed_at, ?), "
                                      "removed_by = COALESCE(removed_by, ?), name = ? WHERE entity_id = ?",
                                      (now(), by, ERASED, entity_id)).rowcount
        return changed

    def remove(self, watch_id: str, by: str, reason: str | None = None) -> WatchEntry | None:
        """Take an entry off, keeping it with who removed it and why (the reason is optional: the command
        line's deletions have none), so the list can be explained after the fact."""
        with self.db.transaction() as db:
            db.execute("UPDATE watchlist SET removed_at = ?, removed_by = ?, removed_reason = ? "
                       "WHERE id = ? AND removed_at IS NULL", (now(), by, reason, watch_id))
        return self.get(watch_id)
