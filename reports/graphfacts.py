"""Facts a report reads from the networkx projection when the caller has it (``docs/graph.md``).

The ``AnalysisResult`` says what was found; some judgements also need to say *where it was read* and
*what is missing*: which narratives mention an actor, which narratives evidence a method of control,
whether a network has any financial identifiers, which identity matches are still unresolved, and how
many travel legs have an unknown traveller. Those live in the graph. ``GraphFacts`` answers them, and
answers ``None`` (not "none found") when no graph was given, so that a judgement can state "not checked"
instead of silently treating an unasked question as a negative.

Every reader is tolerant: a hand-built graph may lack optional properties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.model import (
    BANK_ACCOUNT, CRYPTO_WALLET, EMAIL, LOCATED_IN, MENTIONED_IN, NARRATIVE, ONLINE_ACCOUNT, ORGANIZATION, PHONE,
    POSSIBLY_SAME_AS, TRAVELLED, USES_PHONE,
)

FINANCIAL_LABELS = frozenset({BANK_ACCOUNT, CRYPTO_WALLET})
LINK_LABELS = frozenset({ORGANIZATION, PHONE, EMAIL, BANK_ACCOUNT, CRYPTO_WALLET, ONLINE_ACCOUNT})
METHOD_OF_CONTROL = "method_of_control"


class GraphFacts:
    def __init__(self, G: nx.MultiDiGraph | None) -> None:
        self.G = G
        self._source_ids: dict[str, str] = {}
        self._pending_index: dict[str, list[tuple[str, str]]] | None = None
        self._unknown_chains: list[list[str]] | None = None
        if G is not None:
            self._source_ids = {n: str(d.get("source_id") or n) for n, d in G.nodes(data=True)
                                if d.get("label") == NARRATIVE}

    @property
    def available(self) -> bool:
        return self.G is not None

    def _edges(self, node: str) -> Iterable[tuple[str, str, Mapping[str, Any]]]:
        G = self.G
        if G is None or node not in G:
            return []
        return list(G.out_edges(node, data=True)) + list(G.in_edges(node, data=True))

    def node_narratives(self, node: str) -> list[str] | None:
        """Source ids of the narratives that mention ``node`` or evidence one of its relationships.

        Unconfirmed ``POSSIBLY_SAME_AS`` links are not evidence about the node, so they do not count.
        """
        if self.G is None:
            return None
        found: set[str] = set()
        for u, v, d in self._edges(node):
            type_ = d.get("type")
            if type_ == MENTIONED_IN:
                other = v if u == node else u
                if other in self._source_ids:
                    found.add(self._source_ids[other])
                continue
            if type_ == POSSIBLY_SAME_AS and d.get("status") != "confirmed":
                continue
            found.update(str(s) for s in d.get("narratives") or ())
        return sorted(found)

    def role_counts(self, node: str) -> dict[str, int] | None:
        """Role -> narratives asserting it, as stored; a role list counts 1 per role."""
        G = self.G
        if G is None or node not in G:
            return None
        raw = G.nodes[node].get("roles") or {}
        if isinstance(raw, Mapping):
            return {str(r): int(c) for r, c in raw.items() if c}
        return {str(r): 1 for r in raw}

    def linked(self, node: str, labels: frozenset[str]) -> list[str] | None:
        """Neighbours (either direction, not via MENTIONED_IN) whose label is in ``labels``."""
        G = self.G
        if G is None:
            return None
        out: set[str] = set()
        for u, v, d in self._edges(node):
            if d.get("type") in (MENTIONED_IN, POSSIBLY_SAME_AS):
                continue
            other = v if u == node else u
            if G.nodes[other].get("label") in labels:
                out.add(other)
        return sorted(out)

    def financial_identifiers(self, members: Iterable[str]) -> list[str] | None:
        if self.G is None:
            return None
        found: set[str] = set()
        for m in members:
            found.update(self.linked(m, FINANCIAL_LABELS) or ())
        return sorted(found)

    def shared_phones(self, members: Iterable[str]) -> list[str] | None:
        """Phones used by two or more of ``members``."""
        G = self.G
        if G is None:
            return None
        users: dict[str, set[str]] = {}
        for m in members:
            for u, v, d in self._edges(m):
                other = v if u == m else u
                if d.get("type") == USES_PHONE and G.nodes[other].get("label") == PHONE:
                    users.setdefault(other, set()).add(m)
        return sorted(p for p, who in users.items() if len(who) >= 2)

    def _pending(self) -> dict[str, list[tuple[str, str]]]:
        """Node -> unresolved ``POSSIBLY_SAME_AS`` pairs touching it, read from the graph once."""
        if self._pending_index is None:
            index: dict[str, list[tuple[str, str]]] = {}
            edges = self.G.edges(data=True) if self.G is not None else ()
            for u, v, d in edges:
                if d.get("type") == POSSIBLY_SAME_AS and d.get("status", "pending") == "pending":
                    pair = (min(u, v), max(u, v))
                    index.setdefault(u, []).append(pair)
                    index.setdefault(v, []).append(pair)
            self._pending_index = index
        return self._pending_index

    def pending_matches(self, nodes: Iterable[str]) -> list[tuple[str, str]] | None:
        """Unresolved ``POSSIBLY_SAME_AS`` pairs (pending, neither confirmed nor rejected) touching ``nodes``."""
        if self.G is None:
            return None
        index = self._pending()
        return sorted({pair for n in nodes for pair in index.get(n, ())})

    def count_pending_matches(self) -> int | None:
        if self.G is None:
            return None
        return len({pair for pairs in self._pending().values() for pair in pairs})

    def _unknown_legs(self) -> list[list[str]]:
        """Place chains (origin, via..., destination) of the legs whose traveller is unknown."""
        if self._unknown_chains is None:
            chains: list[list[str]] = []
            G = self.G
            if G is None:
                return chains
            for u, v, d in G.edges(data=True):
                if d.get("type") == TRAVELLED and G.nodes[u].get("label") == NARRATIVE:
                    chains.append([str(p) for p in [d.get("origin"), *(d.get("via") or ()), v] if p])
            self._unknown_chains = chains
        return self._unknown_chains

    def unknown_traveller_legs(self, origin: str | None = None, destination: str | None = None) -> int | None:
        """Travel legs with an unknown traveller (the leg starts at the Narrative node).

        With ``origin`` and ``destination``, only legs whose chain passes along that segment, the way
        corridors are counted (``graph.analysis.corridors``).
        """
        if self.G is None:
            return None
        if origin is None and destination is None:
            return len(self._unknown_legs())
        return sum(1 for chain in self._unknown_legs()
                   if any(origin in (None, a) and destination in (None, b) for a, b in zip(chain, chain[1:])))

    def method_narratives(self, code: str) -> list[str] | None:
        """Source ids of the narratives whose indicators include this method of control."""
        G = self.G
        if G is None:
            return None
        found = set()
        for n, sid in self._source_ids.items():
            for item in G.nodes[n].get("indicators") or ():
                if item.get("code") == code and item.get("category", METHOD_OF_CONTROL) == METHOD_OF_CONTROL:
                    found.add(sid)
                    break
        return sorted(found)

    def located_in(self, node: str) -> list[str] | None:
        """Places an organisation is located in (``LOCATED_IN``)."""
        G = self.G
        if G is None or node not in G:
            return None
        return sorted(v for _, v, d in G.out_edges(node, data=True) if d.get("type") == LOCATED_IN)
