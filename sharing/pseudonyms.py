"""Keyed pseudonyms for exports: the same thing gets the same pseudonym under one export key, and nothing
else can be learnt from it.

A pseudonym is HMAC-SHA256(export key, kind + value), cut to 16 hex characters (64 bits) and prefixed
with its kind (``victim-3f2a...``, ``case-...``). Under one key, two exports of the same graph give the
same pseudonyms, so a partner can join this month's release with last month's; under another key (a
fresh ``SIGHTLINE_EXPORT_KEY``, or ``--key-file`` per recipient) the two cannot be joined. Without the key
a pseudonym cannot be reversed or recomputed from a guessed name: a plain hash of "Roxana" could be.

The export key is kept apart from the report pseudonym key (``state.secrets``), so an export cannot be
joined with a report's "Victim 3f2a" labels either.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

PSEUDONYM_HEX = 16


@dataclass(frozen=True, slots=True)
class Pseudonymiser:
    """Keyed pseudonyms under one export key (the key never appears in ``repr``)."""

    key: bytes = field(repr=False)

    @classmethod
    def from_secret(cls, secret: str) -> Pseudonymiser:
        if len(secret) < 16:
            raise ValueError("an export key needs at least 16 characters")
        return cls(secret.encode("utf-8"))

    def token(self, kind: str, value: str) -> str:
        """``kind-<16 hex>``: stable for (key, kind, value); kinds keep a phone and a name with the same
        text apart."""
        digest = hmac.new(self.key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:PSEUDONYM_HEX]}"
