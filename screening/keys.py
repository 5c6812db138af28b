"""The one matching key per identifier kind: what the index looks up and what partners hash.

A flagged identifier and a partner's identifier match when their keys are equal. The key is built only
from ``nlp.identifiers`` (the functions extraction uses), so a phone found in a narrative, typed by an
analyst on the watchlist and sent by a bank all reduce to the same string:

======== ================================================================================================
kind     key
======== ================================================================================================
phone    E.164 (``+40722111222``). A number written with ``+`` or ``00`` carries its country; a national
         number (``0722 111 222``) needs a region hint (ISO 3166 alpha-2) and has no key without one.
email    the mailbox (``nlp.identifiers.mailbox_key``): lower-cased; the ``+tag`` dropped for providers
         that deliver ``name+tag@`` to ``name@`` (Gmail, Outlook/Hotmail/Live, Proton, iCloud, Fastmail,
         Yahoo); dots in the local part dropped only for Gmail (``googlemail.com`` is ``gmail.com``),
         the one provider here that ignores them. Other domains keep dots and tags: for them
         ``a.b@`` and ``ab@`` may be two people.
iban     upper case without spaces or dashes, only when the country format and mod-97 checksum hold.
wallet   the address after its checksum holds: bech32 (``bc1...``) and Ethereum (``0x...``) addresses
         lower-cased (their case carries no meaning, or only a checksum); base58 addresses (Bitcoin
         ``1...``/``3...``, Tron ``T...``) kept as written, because there case is part of the address.
======== ================================================================================================

The keys are stable: changing one would silently break every partner's keyed hashes (the privacy mode
hashes exactly this string, UTF-8 encoded), so a change here is a protocol change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

from screening.models import IDENTIFIER_KINDS, IdentifierKind, Method
from nlp.identifiers import mailbox_key, normalise_iban, normalise_phone, normalise_wallet

__all__ = ["identifier_key", "match_method", "is_identifier_kind"]


def is_identifier_kind(kind: str) -> bool:
    return kind in IDENTIFIER_KINDS


def identifier_key(kind: IdentifierKind | str, value: str, region: str | None = None) -> str | None:
    """The matching key of ``value`` read as an identifier of ``kind``, or ``None`` if it is not one.

    ``region`` only matters for phones written without a country code. Never raises on bad input;
    an unknown ``kind`` is a programming error and raises ``ValueError``.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    if kind == "phone":
        parsed = normalise_phone(value, (region.upper(),) if region else ())
        return parsed[0] if parsed else None
    if kind == "email":
        return mailbox_key(value)
    if kind == "iban":
        return normalise_iban(value)
    if kind == "wallet":
        wallet = normalise_wallet(value)
        return wallet.value if wallet else None
    raise ValueError(f"unknown identifier kind {kind!r}; expected one of {', '.join(get_args(IdentifierKind))}")


def match_method(query_value: str, flagged_values: Iterable[str]) -> Method:
    """``exact`` when the partner wrote the identifier as it is written on the watchlist, else ``normalised``.

    Only surrounding whitespace is ignored: ``+40 722 111 222`` against ``+40722111222`` is normalised.
    """
    written = query_value.strip()
    return "exact" if any(written == flagged.strip() for flagged in flagged_values) else "normalised"
