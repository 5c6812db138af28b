"""The keys a node is found by, shared by both stores so that search behaves the same on each.

``t:`` name tokens (prefix-searchable), ``v:`` an identifier's normalised value, and for people ``b:`` plus
the resolution blocking keys (``graph.name_similarity.blocking_keys``) of every alias, kept apart so that
finding resolution candidates reads only people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from graph import model as m
from graph.name_similarity import blocking_keys, compare, tokens
from nlp.identifiers import identifier_forms


def search_keys(node: m.Node) -> set[str]:
    keys = {f"t:{t}" for t in tokens(node.name) if len(t) > 1}
    if node.label in m.IDENTIFIER_NODE_LABELS:
        keys.add(f"v:{str(node.props.get('value', node.name)).lower()}")
    if node.label == m.PERSON:
        for alias in [node.name, *node.props.get("aliases", [])]:
            keys |= {f"b:{k}" for k in blocking_keys(alias)}
            keys |= {f"t:{t}" for t in tokens(alias) if len(t) > 1}
    return keys


def identifier_keys(query: str) -> list[str]:
    """The ``v:`` keys a search query could match exactly: as typed, and as each identifier it parses as."""
    return sorted({f"v:{value.lower()}" for value in [query, *identifier_forms(query)]})


def rank_matches(query: str, nodes: Iterable[m.Node], labels: Sequence[str] | None, limit: int) -> list[m.Node]:
    """Search results in one order on every store: closest name first, then label, name and id."""
    kept = [n for n in nodes if not labels or n.label in labels]
    kept.sort(key=lambda n: (-compare(query, n.name).score, n.label, n.name, n.id))
    return kept[:limit]


def find_nodes(query: str, labels: Sequence[str] | None, limit: int, *,
               ids_for_key: Callable[[str], set[str]], ids_for_words: Callable[[list[str]], set[str]],
               nodes: Callable[[list[str]], Mapping[str, m.Node]]) -> list[m.Node]:
    """Search, the same on every store: by identifier (the exact normalised value) first, else by name
    (every word of the query as a prefix); each store supplies only its lookups."""
    query = query.strip()
    if not query:
        return []
    ids: set[str] = set()
    for key in identifier_keys(query):
        ids |= ids_for_key(key)
    words = [t for t in tokens(query) if len(t) > 1]
    if not ids and words:
        ids = ids_for_words(words)
    return rank_matches(query, nodes(sorted(ids)).values(), labels, limit)
