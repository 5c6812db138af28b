"""The deployment's own secrets: the audit key, the pseudonym key and the key partner secrets are encrypted under.

No secret is built into the code. Each one comes from its environment variable when that is set
(``SIGHTLINE_API_AUDIT_KEY``, ``SIGHTLINE_PSEUDONYM_KEY``, ``SIGHTLINE_PARTNER_SECRETS_KEY``,
``SIGHTLINE_EXPORT_KEY``, read by
``state.settings``), and otherwise from a file in ``SIGHTLINE_HOME/secrets/``, which the first process to
need it creates with 256 random bits, owner-only (0600, in a 0700 folder). Creation is atomic and never
overwrites: the value is written to a private temporary file and linked to its final name, which fails if
another process got there first, and then the winner's file is read. So ``sightline serve``, its worker
and any CLI command started at the same moment on a fresh home all end up with one key, and a report's
pseudonyms stay the same from one run to the next in one home.

Callers ask this module for the effective key (``audit_key``, ``pseudonym_key``, ``partner_cipher_keys``)
and can say where it came from (``Secret.describe``), never what it is. Rotation (``rotate``) replaces a
file-held key; what it does to data made under the old key is in docs/api.md, "Secrets".
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import HKDF

from state.settings import ENV_PREFIX, Settings

log = logging.getLogger("sightline.secrets")

AUDIT = "audit"
PSEUDONYM = "pseudonym"
PARTNER_SECRETS = "partner-secrets"
EXPORT = "export"
WHICH = (AUDIT, PSEUDONYM, PARTNER_SECRETS, EXPORT)
FOLDER = "secrets"
SECRET_BYTES = 32
MIN_ENV_CHARS = 16  # a secret from the environment shorter than this is refused: it could be guessed
PENDING_SUFFIX = ".next"  # a partner-secrets key being rotated in (see screening.partner_keys)
_HEX = re.compile(r"^[0-9a-f]{64}$")
_FIELD = {AUDIT: "api_audit_key", PSEUDONYM: "pseudonym_key", PARTNER_SECRETS: "partner_secrets_key",
          EXPORT: "export_key"}
_CIPHER_CONTEXT = b"sightline partner secrets v1"


class SecretsError(RuntimeError):
    """A secret that cannot be read, created or used; says why and where, never the value."""


@dataclass(frozen=True, slots=True)
class Secret:
    which: str
    value: str = field(repr=False)  # (a Secret printed or logged by mistake does not show it)
    source: str  # "environment", "file" or "created"
    where: str  # the variable's name or the file's path

    def describe(self) -> str:
        """Where the key came from, for the operator: never the key itself."""
        if self.source == "environment":
            return f"{self.which} key: from the environment ({self.where})"
        verb = "created" if self.source == "created" else "read from"
        return f"{self.which} key: {verb} {self.where} (owner-only)"


def env_name(which: str) -> str:
    return ENV_PREFIX + _FIELD[_check(which)].upper()


def path_of(home: Path, which: str) -> Path:
    return home / FOLDER / f"{_check(which)}.key"


def _check(which: str) -> str:
    if which not in WHICH:
        raise SecretsError(f"unknown secret; choose one of {', '.join(WHICH)}")
    return which


def _folder(path: Path) -> Path:
    """The key file's folder, created owner-only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path.parent


def read_secret_file(path: Path) -> str:
    """A key file's value (64 hex digits); tightens its mode to 0600 if someone loosened it."""
    try:
        value = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not text"
        raise SecretsError(f"{path}: cannot read the key file ({reason})") from None
    if not _HEX.match(value):
        raise SecretsError(f"{path}: not a Sightline key file (64 lower-case hexadecimal digits expected); "
                           "restore it from a backup, or move it away to have a new key created")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
        log.warning("%s was readable by others (mode %o); made owner-only", path, mode)
    return value


def _write_private(folder: Path, value: str) -> str:
    """A fsynced 0600 temporary file in ``folder`` holding ``value``; returns its path."""
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".key.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(value + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def create_exclusive(path: Path, value: str) -> bool:
    """Write ``value`` to ``path`` unless it exists; True if this call created it.

    The file appears complete or not at all (a link of a finished temporary file), and a second process
    racing the first gets False and reads the first one's key."""
    temporary = _write_private(_folder(path), value)
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def secret(settings: Settings, which: str) -> Secret:
    """The effective ``which`` key: the environment's if set, else the home's file, created on first use."""
    configured = getattr(settings, _FIELD[_check(which)])
    if configured not in (None, ""):
        if len(configured) < MIN_ENV_CHARS:
            raise SecretsError(f"{env_name(which)} is shorter than {MIN_ENV_CHARS} characters; use a long random "
                               "value (e.g. `openssl rand -hex 32`) or unset it to have one generated")
        return Secret(which, configured, "environment", env_name(which))
    path = path_of(settings.home, which)
    if path.exists():
        return Secret(which, read_secret_file(path), "file", str(path))
    try:
        created = create_exclusive(path, secrets.token_hex(SECRET_BYTES))
    except OSError as error:
        raise SecretsError(f"{path}: cannot create the key file ({error.strerror})") from None
    found = Secret(which, read_secret_file(path), "created" if created else "file", str(path))
    if created:
        log.info("%s", found.describe())
    return found


def ensure_all(settings: Settings) -> list[Secret]:
    """Every secret, created where missing: what ``serve`` and the worker check (and say) as they start."""
    return [secret(settings, which) for which in WHICH]


def audit_key(settings: Settings) -> str:
    """The key of the audit log's identifier hashes (``state.audit.AuditLog``)."""
    return secret(settings, AUDIT).value


def pseudonym_key(settings: Settings) -> str:
    """The key behind victims' pseudonyms in reports and the screening references of analysis marks."""
    return secret(settings, PSEUDONYM).value


def export_key(settings: Settings) -> str:
    """The key of the keyed pseudonyms in exports (``sharing.pseudonyms``): kept apart from the report
    pseudonym key, so an export's pseudonyms cannot be matched with a report's."""
    return secret(settings, EXPORT).value


def cipher_key(master: str) -> bytes:
    """The AES-256 key partner secrets are encrypted under, derived (HKDF-SHA256) from the master secret, so
    that an environment value of any length gives a full-strength key."""
    return bytes(HKDF(master.encode("utf-8"), 32, b"", SHA256, context=_CIPHER_CONTEXT))  # type: ignore[arg-type]


def fingerprint(key: bytes) -> str:
    """Which key a ciphertext was made under (12 hex digits): stored beside it; tells nothing of the key."""
    return hmac.new(key, b"sightline key fingerprint", hashlib.sha256).hexdigest()[:12]


def partner_cipher_keys(settings: Settings) -> list[bytes]:
    """The current partner-secrets encryption key first, then one being rotated in, if a rotation was cut
    short (a reader that meets rows already re-encrypted still reads them)."""
    keys = [cipher_key(secret(settings, PARTNER_SECRETS).value)]
    pending = pending_path(settings.home)
    if pending.exists():
        keys.append(cipher_key(read_secret_file(pending)))
    return keys


def pending_path(home: Path) -> Path:
    return path_of(home, PARTNER_SECRETS).with_suffix(".key" + PENDING_SUFFIX)


def replace_file(path: Path, value: str) -> None:
    """Put ``value`` in ``path`` atomically (rotation: the old key is gone once this returns)."""
    temporary = _write_private(_folder(path), value)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def rotatable(settings: Settings, which: str) -> Path:
    """The file ``rotate`` would replace; refuses a key that comes from the environment (change it there)."""
    current = secret(settings, which)
    if current.source == "environment":
        raise SecretsError(f"the {which} key comes from {current.where}; rotate it by changing that variable "
                           "(docs/api.md, \"Secrets\")")
    return Path(current.where)


def rotate(settings: Settings, which: str) -> Secret:
    """Replace the ``audit`` or ``pseudonym`` key file with a new random key. The partner-secrets key is
    rotated by ``screening.partner_keys.rotate_encryption``, which must re-encrypt the rows as it goes."""
    if which == PARTNER_SECRETS:
        raise SecretsError("the partner-secrets key is rotated with the partner secrets re-encrypted: "
                           "use screening.partner_keys.rotate_encryption (`sightline secrets rotate`)")
    path = rotatable(settings, which)
    replace_file(path, secrets.token_hex(SECRET_BYTES))
    log.info("rotated the %s key in %s", which, path)
    return Secret(which, read_secret_file(path), "created", str(path))
