"""The graph model: node labels, relationship types and stable ids, as data shared by both stores.

Ids are stable so that the same real-world thing gets the same node however many times and in whatever
order narratives arrive: identifiers by type and normalised value, places by country and folded name,
narratives by content hash. People and organisations get ids from resolution (``graph.resolution``),
because their names alone are not identity.

A node or relationship is plain data (``Node``, ``Edge``) so that the SQLite and Neo4j adapters, the
networkx projection and the JSON-lines export all carry exactly the same fields.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from nlp.identifiers import fold

PERSON = "Person"
LOCATION = "Location"
ORGANIZATION = "Organization"
PHONE = "Phone"
EMAIL = "Email"
BANK_ACCOUNT = "BankAccount"
CRYPTO_WALLET = "CryptoWallet"
ONLINE_ACCOUNT = "OnlineAccount"
NARRATIVE = "Narrative"

NODE_LABELS = (PERSON, LOCATION, ORGANIZATION, PHONE, EMAIL, BANK_ACCOUNT, CRYPTO_WALLET, ONLINE_ACCOUNT, NARRATIVE)
IDENTIFIER_NODE_LABELS = (PHONE, EMAIL, BANK_ACCOUNT, CRYPTO_WALLET, ONLINE_ACCOUNT)

# Extraction label -> node label, for the labels that become nodes (MONEY and DATE stay evidence).
LABEL_OF_ENTITY = {
    "PERSON": PERSON, "LOCATION": LOCATION, "ORGANIZATION": ORGANIZATION, "PHONE": PHONE, "EMAIL": EMAIL,
    "IBAN": BANK_ACCOUNT, "CRYPTO_WALLET": CRYPTO_WALLET, "URL": ONLINE_ACCOUNT,
}

# Relationship types. The extraction's types, plus the graph's own.
RECRUITED = "RECRUITED"
EXPLOITED_AT = "EXPLOITED_AT"
WORKED_AT = "WORKED_AT"
CONTROLLED = "CONTROLLED"
PAID = "PAID"
USES_PHONE = "USES_PHONE"
USES_EMAIL = "USES_EMAIL"
OWNS_ACCOUNT = "OWNS_ACCOUNT"
ASSOCIATED_WITH = "ASSOCIATED_WITH"
MENTIONED_IN = "MENTIONED_IN"
TRAVELLED = "TRAVELLED"
LOCATED_IN = "LOCATED_IN"
POSSIBLY_SAME_AS = "POSSIBLY_SAME_AS"

REL_TYPES = (RECRUITED, EXPLOITED_AT, WORKED_AT, CONTROLLED, PAID, USES_PHONE, USES_EMAIL, OWNS_ACCOUNT,
             ASSOCIATED_WITH, MENTIONED_IN, TRAVELLED, LOCATED_IN, POSSIBLY_SAME_AS)
# Types that say something about how people and things are socially connected (not bookkeeping).
SOCIAL_TYPES = frozenset({RECRUITED, EXPLOITED_AT, WORKED_AT, CONTROLLED, PAID, USES_PHONE, USES_EMAIL,
                          OWNS_ACCOUNT, ASSOCIATED_WITH, TRAVELLED, LOCATED_IN})

# Roles that mark a person as on the exploiting side of a network.
EXPLOITER_ROLES = frozenset({"recruiter", "exploiter", "controller", "transporter"})


@dataclass(slots=True)
class Node:
    id: str
    label: str
    name: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class EvidenceRef:
    """Where a fact was read: the narrative, the sentence and its character span, how sure we are."""

    narrative: str
    sentence: str
    start: int
    end: int
    confidence: float

    def key(self) -> tuple[str, int, int]:
        return (self.narrative, self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        return {"narrative": self.narrative, "sentence": self.sentence, "start": self.start, "end": self.end,
                "confidence": self.confidence}


@dataclass(slots=True)
class Edge:
    id: str
    type: str
    source: str
    target: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[EvidenceRef] = field(default_factory=list)

    @property
    def narratives(self) -> list[str]:
        return sorted({e.narrative for e in self.evidence})

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=0.0)


def merged_evidence(old: list[EvidenceRef], new: list[EvidenceRef]) -> list[EvidenceRef]:
    """``old`` and whatever of ``new`` it does not hold already (same narrative and span)."""
    seen = {e.key() for e in old}
    return old + [e for e in new if e.key() not in seen]


def _digest(*parts: str, length: int = 16) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def identifier_node_id(label: str, value: str) -> str:
    """Identifiers are one node per normalised value, whichever narrative names them."""
    return f"{label.lower()}:{value}"


def location_node_id(name: str, country: str | None) -> str:
    """Places merge by folded name within a country; an unresolved country keeps its own node."""
    return f"location:{(country or 'xx').lower()}:{fold(name).replace(' ', '-')}"


def narrative_node_id(content_hash: str) -> str:
    return f"narrative:{content_hash[:24]}"


def person_node_id(seed: str) -> str:
    return f"person:{_digest(seed)}"


def organization_node_id(seed: str) -> str:
    return f"organization:{_digest(seed)}"


def edge_id(type_: str, source: str, target: str, qualifier: str = "") -> str:
    """One edge per (type, source, target[, qualifier]): evidence from many narratives accumulates on it."""
    return f"{type_}:{_digest(source, target, qualifier, length=20)}"
