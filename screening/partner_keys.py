"""Per-partner secrets for the privacy-preserving mode, and the one function both sides hash with.

Protocol (documented in docs/screening.md, "Privacy-preserving mode"): for each identifier the partner
computes ``identifier_key(kind, value, region)`` (``screening.keys``), forms the message
``"<kind>:<key>"`` (e.g. ``phone:+447700900123``, ``iban:GB82WEST12345698765432``), and sends
``hex(HMAC-SHA256(secret, UTF-8 message))``, 64 lower-case hex digits, where ``secret`` is the 32 bytes
whose hex spelling is in the partner's key file. The service computes the same hashes of every flagged
identifier under that partner's secret and answers only for equal hashes.

The secret must be usable by the service (it hashes the flagged identifiers with it), so it lives in
``api.sqlite`` next to the watchlist it protects, but encrypted: AES-256-GCM under the deployment's
partner-secrets key (``state.secrets``: ``SIGHTLINE_PARTNER_SECRETS_KEY`` or a generated owner-only file),
with the organisation as associated data, so a copy of ``api.sqlite`` alone (a backup, a support bundle)
gives no partner's secret, and a row moved to another organisation does not decrypt. Each row is
``enc1:<key fingerprint>:<base64 nonce|tag|ciphertext>``; rows written before encryption (64 hex digits)
are read once and re-encrypted (``migrate``, run whenever the table is opened). One secret per
organisation; rotating it invalidates the partner's old hashes at once, in every server process (the
``partner_secrets`` triggers bump the screening version).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import re
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from Crypto.Cipher import AES

from nlp.identifiers import identifier_hash
from screening.keys import identifier_key
from state.db import ApiDatabase, now
from state.keys import check_organisation
from state.secrets import (PARTNER_SECRETS, cipher_key, create_exclusive, fingerprint, partner_cipher_keys,
                           pending_path, read_secret_file, rotatable)
from state.settings import Settings

log = logging.getLogger("sightline.screening")

SECRET_BYTES = 32
HASH_PATTERN = r"^[0-9a-f]{64}$"
_SECRET = re.compile(r"^[0-9a-fA-F]{64}$")
ENCRYPTED = "enc1"
NONCE_BYTES = 12
TAG_BYTES = 16


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


def encrypt(key: bytes, organisation: str, secret_hex: str) -> str:
    """A stored row's ``secret`` column: the 32-byte secret under AES-256-GCM, bound to its organisation."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce, mac_len=TAG_BYTES)
    cipher.update(organisation.encode("utf-8"))
    sealed, tag = cipher.encrypt_and_digest(bytes.fromhex(secret_hex))
    return f"{ENCRYPTED}:{fingerprint(key)}:{base64.b64encode(nonce + tag + sealed).decode('ascii')}"


def decrypt(keys: Sequence[bytes], organisation: str, stored: str) -> bytes:
    """The secret of a stored row; raises ``SecretError`` when none of ``keys`` made it or it was altered."""
    kind, _, rest = stored.partition(":")
    made_by, _, payload = rest.partition(":")
    key = next((k for k in keys if fingerprint(k) == made_by), None)
    if kind != ENCRYPTED or key is None:
        raise SecretError(f"the HMAC secret of {organisation!r} was encrypted under another partner-secrets key "
                          "(SIGHTLINE_PARTNER_SECRETS_KEY changed, or the key file was replaced); restore that key, "
                          "or issue a new secret with `sightline partners hmac-key ORG --rotate`")
    try:
        raw = base64.b64decode(payload, validate=True)
        cipher = AES.new(key, AES.MODE_GCM, nonce=raw[:NONCE_BYTES], mac_len=TAG_BYTES)
        cipher.update(organisation.encode("utf-8"))
        return cipher.decrypt_and_verify(raw[NONCE_BYTES + TAG_BYTES:], raw[NONCE_BYTES:NONCE_BYTES + TAG_BYTES])
    except (ValueError, binascii.Error):
        raise SecretError(f"the stored HMAC secret of {organisation!r} is damaged or was altered; issue a new one "
                          "with `sightline partners hmac-key ORG --rotate`") from None


def is_plaintext(stored: str) -> bool:
    """A row written before secrets were encrypted: the hex secret itself."""
    return bool(_SECRET.match(stored))


class PartnerSecrets:
    """Table ``partner_secrets`` in ``api.sqlite``: organisation -> encrypted secret.

    ``keys`` gives the encryption keys, current first (``state.secrets.partner_cipher_keys``); it is asked on
    every use rather than once, so a rotation made by another process is followed without a restart."""

    def __init__(self, db: ApiDatabase, keys: Callable[[], Sequence[bytes]]) -> None:
        self.db = db
        self._keys = keys
        self.migrate()

    def migrate(self) -> int:
        """Encrypt rows stored in plain text by an earlier version; returns how many there were."""
        if not any(is_plaintext(r["secret"]) for r in self.db.query("SELECT secret FROM partner_secrets")):
            return 0
        key = self._keys()[0]
        with self.db.transaction() as db:
            rows = db.execute("SELECT organisation, secret FROM partner_secrets").fetchall()
            plain = [(r["organisation"], r["secret"].lower()) for r in rows if is_plaintext(r["secret"])]
            for organisation, secret_hex in plain:
                db.execute("UPDATE partner_secrets SET secret = ? WHERE organisation = ?",
                           (encrypt(key, organisation, secret_hex), organisation))
        if plain:
            log.warning("encrypted %d partner HMAC secret(s) stored in plain text by an earlier version", len(plain))
        return len(plain)

    def reencrypt(self, old: Sequence[bytes], new: bytes) -> int:
        """Every row decrypted with ``old`` and encrypted under ``new``, in one transaction: a row that does not
        decrypt stops the whole rotation and nothing changes."""
        with self.db.transaction() as db:
            rows = db.execute("SELECT organisation, secret FROM partner_secrets").fetchall()
            for row in rows:
                organisation, stored = row["organisation"], row["secret"]
                secret = bytes.fromhex(stored) if is_plaintext(stored) else decrypt([*old, new], organisation, stored)
                db.execute("UPDATE partner_secrets SET secret = ? WHERE organisation = ?",
                           (encrypt(new, organisation, secret.hex()), organisation))
        return len(rows)

    def create(self, organisation: str, *, rotate: bool = False) -> tuple[str, bool]:
        """The organisation's secret (hex) and whether it is new; a new one replaces the old if ``rotate``."""
        organisation = check_organisation(organisation)
        keys = self._keys()
        with self.db.transaction() as db:
            row = db.execute("SELECT secret FROM partner_secrets WHERE organisation = ?", (organisation,)).fetchone()
            if row is not None and not rotate:
                stored = row["secret"]
                return (stored.lower() if is_plaintext(stored) else decrypt(keys, organisation, stored).hex()), False
            secret = secrets.token_hex(SECRET_BYTES)
            db.execute("INSERT INTO partner_secrets VALUES (?, ?, ?) ON CONFLICT (organisation) DO UPDATE SET "
                       "secret = excluded.secret, created_at = excluded.created_at",
                       (organisation, encrypt(keys[0], organisation, secret), now()))
        return secret, True

    def get(self, organisation: str) -> bytes | None:
        """The secret, or None when there is none or it cannot be decrypted (logged: the partner is told it has
        no secret, and an administrator issues a new one)."""
        rows = self.db.query("SELECT secret FROM partner_secrets WHERE organisation = ?", (organisation,))
        if not rows:
            return None
        stored = rows[0]["secret"]
        if is_plaintext(stored):  # written by an earlier version after this one started
            self.migrate()
            return bytes.fromhex(stored)
        try:
            return decrypt(self._keys(), organisation, stored)
        except SecretError as error:
            log.error("%s", error)
            return None

    def revoke(self, organisation: str) -> bool:
        with self.db.transaction() as db:
            return db.execute("DELETE FROM partner_secrets WHERE organisation = ?", (organisation,)).rowcount > 0


def rotate_encryption(settings: Settings, db: ApiDatabase) -> int:
    """Replace the partner-secrets key file and re-encrypt every partner secret under the new key; returns how
    many were re-encrypted. The partners' secrets themselves do not change.

    Crash-safe: the new key is first written beside the old one (``partner-secrets.key.next``), the rows are
    re-encrypted in one transaction, and only then does the new file replace the old. Readers try both keys
    meanwhile (``state.secrets.partner_cipher_keys``), and a rotation cut short is finished by running it
    again, which reuses the waiting key."""
    current = rotatable(settings, PARTNER_SECRETS)
    old = partner_cipher_keys(settings)
    pending = pending_path(settings.home)
    created = not pending.exists() and create_exclusive(pending, secrets.token_hex(SECRET_BYTES))
    new = cipher_key(read_secret_file(pending))  # (a racing rotation's waiting key is as good as ours)
    try:
        count = PartnerSecrets(db, lambda: old).reencrypt(old, new)
    except BaseException:
        if created:  # nothing was re-encrypted under it
            pending.unlink(missing_ok=True)
        raise
    with contextlib.suppress(FileNotFoundError):  # a rotation running beside this one finished first
        pending.replace(current)
    log.info("rotated the partner-secrets key in %s; %d partner secret(s) re-encrypted", current, count)
    return count
