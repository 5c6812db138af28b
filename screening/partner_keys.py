"""Per-partner secrets for the privacy-preserving mode, and the one function both sides hash with.

Protocol (documented in docs/screening.md, "Privacy-preserving mode"): for each identifier the partner
computes ``identifier_key(kind, value, region)`` (``screening.keys``), forms the message
``"<kind>:<key>"`` (e.g. ``phone:+447700900123``, ``iban:GB82WEST12345698765432``), and sends
``hex(HMAC-SHA256(secret, UTF-8 message))``, 64 lower-case hex digits, where ``secret`` is the 32 bytes
whose hex spelling is in the partner's key file. The service computes the same hashes of every flagged
identifier under that partner's secret and answers only for equal hashes.

The secret must be stored where the service can use it (it hashes the flagged identifiers with it), so
it lives in ``api.sqlite`` next to the watchlist it protects: whoever can read that file can already read
the flagged list, and the secret does not protect anything from the service itself (see the docs for what
this mode does and does not hide). One secret per organisation; rotating it invalidates the partner's
old hashes at once, in every server process (the ``partner_secrets`` triggers bump the screening version).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from state.db import ApiDatabase, now
from state.keys import check_organisation
from screening.keys import identifier_key
from nlp.identifiers import identifier_hash

SECRET_BYTES = 32
HASH_PATTERN = r"^[0-9a-f]{64}$"
_SECRET = re.compile(r"^[0-9a-fA-F]{64}$")


class SecretError(ValueError):
    """A key file or secret that cannot be used; says why."""


def hashed_identifier(secret: bytes, kind: str, key: str) -> str:
    """The keyed hash of one normalised identifier key (the message is ``kind:key``)."""
    return identifier_hash(f"{kind}:{key}", secret)


def hash_value(secret: bytes, kind: str, value: str, region: str | None = None) -> str | None:
    """What a partner sends for one identifier as written; None if it is not a valid identifier of ``kind``."""
    key = identifier_key(kind, value, region)
    return None if key is None else hashed_identifier(secret, kind, key)


def parse_secret(text: str) -> bytes:
    value = text.strip()
    if not _SECRET.match(value):
        raise SecretError("a partner secret is 64 hexadecimal digits (32 bytes), as `sightline partners hmac-key` "
                          "prints it")
    return bytes.fromhex(value)


def read_key_file(path: Path) -> bytes:
    try:
        return parse_secret(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SecretError(f"{path}: cannot read the key file ({error.strerror})") from None
    except UnicodeDecodeError:
        raise SecretError(f"{path}: the key file is not text") from None
    except SecretError as error:
        raise SecretError(f"{path}: {error}") from None


class PartnerSecrets:
    """Table ``partner_secrets`` in ``api.sqlite``: organisation -> hex secret."""

    def __init__(self, db: ApiDatabase) -> None:
        self.db = db

    def create(self, organisation: str, *, rotate: bool = False) -> tuple[str, bool]:
        """The organisation's secret (hex) and whether it is new; a new one replaces the old if ``rotate``."""
        organisation = check_organisation(organisation)
        with self.db.transaction() as db:
            row = db.execute("SELECT secret FROM partner_secrets WHERE organisation = ?", (organisation,)).fetchone()
            if row is not None and not rotate:
                return str(row["secret"]), False
            secret = secrets.token_hex(SECRET_BYTES)
            db.execute("INSERT OR REPLACE INTO partner_secrets VALUES (?, ?, ?)", (organisation, secret, now()))
        return secret, True

    def get(self, organisation: str) -> bytes | None:
        rows = self.db.query("SELECT secret FROM partner_secrets WHERE organisation = ?", (organisation,))
        return bytes.fromhex(rows[0]["secret"]) if rows else None

    def revoke(self, organisation: str) -> bool:
        with self.db.transaction() as db:
            return db.execute("DELETE FROM partner_secrets WHERE organisation = ?", (organisation,)).rowcount > 0
