"""The keys a node is found by, shared by both stores so that search behaves the same on each.

``t:`` name tokens (prefix-searchable), ``v:`` an identifier's normalised value, and for people ``b:`` plus
the resolution blocking keys (``graph.name_similarity.blocking_keys``) of every alias, kept apart so that
finding resolution candidates reads only people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from graph import model as m
from graph.name_similarity import blocking_keys, compare, tokens
from graph.stores.protocol import SearchPage
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


def find_page(query: str, labels: Sequence[str] | None, limit: int, offset: int, scan: int, *,
              ids_for_key: Callable[[str, Sequence[str] | None, int], list[str]],
              ids_for_words: Callable[[list[str], Sequence[str] | None, int], list[str]],
              nodes: Callable[[list[str]], Mapping[str, m.Node]], also: Sequence[str] = ()) -> SearchPage:
    """Search, the same on every store: by identifier (the exact normalised value of the query or of
    ``also``) first, else by name (every word of the query as a prefix); each store supplies only its
    lookups, each bounded in its query to ``scan + 1`` ids, so a query matching half the graph reads no more
    than that. The matches are ranked whole (closest name first), so pages do not overlap or skip while
    the graph holds still."""
    query = query.strip()
    if not query:
        return SearchPage([])
    found: set[str] = set()
    for key in sorted({k for form in [query, *also] for k in identifier_keys(form)}):
        found.update(ids_for_key(key, labels, scan + 1))
    words = [t for t in tokens(query) if len(t) > 1]
    if not found and words:
        found.update(ids_for_words(words, labels, scan + 1))
    capped = len(found) > scan
    ranked = rank_matches(query, nodes(sorted(found)[:scan]).values(), labels, scan)
    return SearchPage(ranked[offset:offset + limit], more=len(ranked) > offset + limit, capped=capped)
