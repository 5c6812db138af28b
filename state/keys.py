"""API keys: random secrets handed out once, stored only as SHA-256 hashes, each with a role and organisation.

A key is ``sl_<id>_<secret>``: the id names it in listings and the audit log (it is not secret); the
secret is 256 random bits, so a plain SHA-256 of the whole key is enough to store (no salt or slow hash
is needed for a secret nobody chose). Whoever reads ``api.sqlite`` learns ids, roles and organisations,
never a usable key. Revoking keeps the row, so the audit log's key ids keep meaning something.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from state.db import ApiDatabase, now

ROLES = ("ngo", "analyst", "partner", "admin")
_PREFIX = "sl_"


class KeyRequestError(ValueError):
    """A key request that cannot be done (unknown role, empty organisation, no such key); says why."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    role: str
    organisation: str
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _row(row: object) -> ApiKey:
    return ApiKey(row["id"], row["role"], row["organisation"], row["created_at"], row["revoked_at"])  # type: ignore[index]


def check_organisation(organisation: str) -> str:
    organisation = organisation.strip()
    if not organisation or len(organisation) > 200 or any(ord(c) < 32 for c in organisation):
        raise KeyRequestError("organisation must be 1 to 200 printable characters")
    return organisation


class KeyStore:
    def __init__(self, db: ApiDatabase) -> None:
        self.db = db

    def create(self, role: str, organisation: str) -> tuple[ApiKey, str]:
        """A new key; the secret is returned here once and never again."""
        if role not in ROLES:
            raise KeyRequestError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        organisation = check_organisation(organisation)
        key_id = "key_" + secrets.token_hex(6)
        secret = f"{_PREFIX}{key_id[4:]}_{secrets.token_urlsafe(32)}"
        record = ApiKey(key_id, role, organisation, now())
        with self.db.transaction() as db:
            db.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)",
                       (record.id, _hash(secret), record.role, record.organisation, record.created_at))
        return record, secret

    def list(self, include_revoked: bool = True) -> list[ApiKey]:
        sql = "SELECT * FROM api_keys" + ("" if include_revoked else " WHERE revoked_at IS NULL")
        return [_row(r) for r in self.db.query(sql + " ORDER BY created_at, id")]

    def get(self, key_id: str) -> ApiKey | None:
        rows = self.db.query("SELECT * FROM api_keys WHERE id = ?", (key_id,))
        return _row(rows[0]) if rows else None

    def revoke(self, key_id: str) -> ApiKey:
        with self.db.transaction() as db:
            row = db.execute("SELECT * FROM api_keys WHERE id = ?", (key_id,)).fetchone()
            if row is None:
                raise KeyRequestError(f"no key with id {key_id!r}")
            if row["revoked_at"] is None:
                db.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ?", (now(), key_id))
        found = self.get(key_id)
        assert found is not None
        return found

    def authenticate(self, presented: str) -> ApiKey | None:
        """The active key this secret belongs to, or None."""
        if not presented.startswith(_PREFIX) or len(presented) > 200:
            return None
        digest = _hash(presented)
        rows = self.db.query("SELECT * FROM api_keys WHERE secret_hash = ?", (digest,))
        if not rows or not hmac.compare_digest(rows[0]["secret_hash"], digest):
            return None
        key = _row(rows[0])
        return key if key.active else None
