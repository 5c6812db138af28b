"""How Sightline's graph maps onto FollowTheMoney (FtM) schemata: the one table the export and the import share.

FtM has a schema for people, organisations, addresses, bank accounts and crypto wallets, but none for a
phone number or an e-mail address on its own, and its relation schemata (``Interval``) have no place for
our evidence spans. So the mapping is FtM-native where FtM has a word for the thing, and uses two
documented conventions where it has none:

* a phone, e-mail or online account is a ``UserAccount`` (``username`` = the value, ``service`` = phone /
  email / the handle kind), so that an identifier nobody is known to use still exists, and links can point
  at it; the value is *also* written into the ``phone`` / ``email`` property of every person or
  organisation that uses it (``USES_PHONE`` / ``USES_EMAIL``), which is where FtM tools (yente, Aleph's
  cross-referencing) look for it;
* provenance and Sightline's own structure travel as text values with a tag and a JSON object, in
  ``notes`` (things) or ``description`` (relations): ``evidence: {"narrative": .., "start": .., "end": ..,
  "confidence": .., "sentence": ..}`` (the sentence only in a revealed export) and ``sightline: {...}``
  (the Sightline label, roles per narrative, indicators; in a revealed export also the node id and the
  bookkeeping that has no FtM meaning). A person reads them; the import parses them exactly.

See docs/sharing.md for the table.
"""

from __future__ import annotations

import json
from typing import Any

from graph import model as m

# Sightline label -> (FtM schema, pseudonym kind). Organisations of kind "business" become Company.
NODE_SCHEMA = {
    m.PERSON: "Person", m.ORGANIZATION: "Organization", m.LOCATION: "Address", m.BANK_ACCOUNT: "BankAccount",
    m.CRYPTO_WALLET: "CryptoWallet", m.PHONE: "UserAccount", m.EMAIL: "UserAccount",
    m.ONLINE_ACCOUNT: "UserAccount", m.NARRATIVE: "PlainText",
}
TOKEN_KIND = {
    m.PERSON: "person", m.ORGANIZATION: "org", m.LOCATION: "place", m.BANK_ACCOUNT: "account",
    m.CRYPTO_WALLET: "wallet", m.PHONE: "phone", m.EMAIL: "email", m.ONLINE_ACCOUNT: "online", m.NARRATIVE: "case",
}
RELATION_KIND = "link"
USER_ACCOUNT_SERVICE = {m.PHONE: "phone", m.EMAIL: "email"}

# The FtM schemata an import accepts, and what they become.
THING_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Address", "BankAccount", "CryptoWallet",
                  "UserAccount", "Document", "PlainText")
RELATION_SCHEMATA = {  # schema -> (source property, target property, default Sightline type)
    "UnknownLink": ("subject", "object", None),
    "Associate": ("person", "associate", m.ASSOCIATED_WITH),
    "Employment": ("employee", "employer", m.WORKED_AT),
    "Payment": ("payer", "beneficiary", m.PAID),
    "Ownership": ("owner", "asset", m.OWNS_ACCOUNT),
}
LABEL_OF_SCHEMA = {"Person": m.PERSON, "Organization": m.ORGANIZATION, "Company": m.ORGANIZATION,
                   "LegalEntity": m.ORGANIZATION, "Address": m.LOCATION, "BankAccount": m.BANK_ACCOUNT,
                   "CryptoWallet": m.CRYPTO_WALLET, "Document": m.NARRATIVE, "PlainText": m.NARRATIVE}

SIGHTLINE_TAG = "sightline"
EVIDENCE_TAG = "evidence"
PUBLISHER = "Sightline"


def tagged(tag: str, payload: dict[str, Any]) -> str:
    """``tag: {json}`` with sorted keys, so the same graph gives the same bytes."""
    return f"{tag}: {json.dumps(payload, ensure_ascii=False, sort_keys=True)}"


def untag(value: str) -> tuple[str, dict[str, Any]] | None:
    """``(tag, payload)`` of a tagged value; None for free text (a note a person wrote)."""
    tag, sep, rest = value.partition(": ")
    if not sep or tag not in (SIGHTLINE_TAG, EVIDENCE_TAG) or not rest.startswith("{"):
        return None
    try:
        payload = json.loads(rest)
    except json.JSONDecodeError:
        return None
    return (tag, payload) if isinstance(payload, dict) else None


def relation_schema(type_: str, source_label: str, target_label: str) -> str:
    """The closest FtM interval schema for a Sightline relationship between these two labels."""
    parties = (m.PERSON, m.ORGANIZATION)
    if type_ == m.ASSOCIATED_WITH and source_label == m.PERSON == target_label:
        return "Associate"
    if type_ == m.WORKED_AT and source_label == m.PERSON and target_label == m.ORGANIZATION:
        return "Employment"
    if type_ == m.PAID and source_label in parties and target_label in parties:
        return "Payment"
    if type_ == m.OWNS_ACCOUNT and source_label in parties and target_label == m.BANK_ACCOUNT:
        return "Ownership"
    return "UnknownLink"


def type_property(schema: str) -> str | None:
    """Where a relation keeps its Sightline type: ``role`` on Interest schemata, ``relationship`` on
    Associate; Payment needs none (it is always PAID)."""
    return {"UnknownLink": "role", "Employment": "role", "Ownership": "role", "Associate": "relationship"}.get(schema)
