"""Who a report may name, and the stable pseudonyms that stand in for everybody else.

A leaked victim identity can cost a life, so the rule is "name only whom the evidence puts on the
exploiting side": a Person is named only when one of their roles is exploiter-side
(``graph.model.EXPLOITER_ROLES``) *and* none is ``victim`` *and* they are not a narrator. Everybody else
(victims, witnesses, people with no known role, narrators, people the report knows nothing about) gets a
token ``P-3F9A2C``: the first hex digits of HMAC-SHA256(key, node id). The token is stable (the same key
gives the same token in every report, so analysts can follow a person across reports) and cannot be
reversed or confirmed by hashing a guessed name without the key.

Names can leak sideways, so the same care covers:

- identifiers (phone, e-mail, account, wallet, online account) linked to a protected person: a victim's
  phone number identifies her as surely as her name. Without the graph nobody can say whose an
  identifier is, so every identifier is masked then;
- aliases: never printed for protected people;
- node ids: person ids are hashes of name material, so reports never print person ids at all;
- evidence sentences: reports cite narrative ids, never sentences;
- a last-line guard (``redact``): every name and alias of a protected person, and every masked identifier
  value, is replaced by its token in the finished text and in figure labels, in case one reached the text
  through some other node's name (a business called after a victim, a mis-extracted place).

``reveal_names=True`` turns all of this off; it is the analyst's explicit, audited request.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.model import (
    BANK_ACCOUNT, CRYPTO_WALLET, EMAIL, EXPLOITER_ROLES, MENTIONED_IN, NARRATIVE, ONLINE_ACCOUNT, PERSON, PHONE,
)

VICTIM = "victim"
PERSON_PREFIX = "P"
IDENTIFIER_PREFIXES: dict[str, str] = {
    PHONE: "PH", EMAIL: "EM", BANK_ACCOUNT: "AC", CRYPTO_WALLET: "WL", ONLINE_ACCOUNT: "OA",
}
TOKEN_HEX = 6  # 16.7 million tokens; colliding ids are lengthened to LONG_TOKEN_HEX
LONG_TOKEN_HEX = 10
MIN_GUARD_CHARS = 3  # shorter aliases ("Jo") would redact ordinary words

_LABEL_OF_PREFIX: dict[str, str] = {
    "person": PERSON, "phone": PHONE, "email": EMAIL, "bankaccount": BANK_ACCOUNT,
    "cryptowallet": CRYPTO_WALLET, "onlineaccount": ONLINE_ACCOUNT, "narrative": NARRATIVE,
    "location": "Location", "organization": "Organization",
}


_WORD = re.compile(r"\w+")


def _joins(text: str, i: int) -> bool:
    """Whether the character at ``i`` would make a match part of a longer word, handle or address."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_@")


def pseudonym(node_id: str, key: str, prefix: str = PERSON_PREFIX, length: int = TOKEN_HEX) -> str:
    """``P-3F9A2C``: keyed, so the token of a guessed id cannot be computed without the key."""
    if not key:
        raise ValueError("a pseudonym key is required (callers pass state.secrets.pseudonym_key: SIGHTLINE_PSEUDONYM_KEY "
                         "or the key generated in SIGHTLINE_HOME/secrets/)")
    digest = hmac.new(key.encode("utf-8"), node_id.encode("utf-8"), hashlib.sha256).hexdigest().upper()
    return f"{prefix}-{digest[:length]}"


def roles_of(data: Mapping[str, Any] | None) -> set[str]:
    """Roles given as ``{role: count}`` (the projection) or a list (``AnalysisResult.nodes``)."""
    raw = (data or {}).get("roles") or ()
    if isinstance(raw, Mapping):
        return {str(r) for r, count in raw.items() if count and r != "unknown"}
    return {str(r) for r in raw if r and r != "unknown"}


class Pseudonymiser:
    """Display labels for graph nodes under the naming rule above."""

    def __init__(self, key: str, *, reveal_names: bool = False,
                 nodes: Mapping[str, Mapping[str, Any]] | None = None,
                 graph: nx.MultiDiGraph | None = None) -> None:
        if not key:
            raise ValueError("a pseudonym key is required (callers pass state.secrets.pseudonym_key: "
                             "SIGHTLINE_PSEUDONYM_KEY or the key generated in SIGHTLINE_HOME/secrets/)")
        self.key = key
        self.reveal_names = reveal_names
        self._nodes: Mapping[str, Mapping[str, Any]] = nodes or {}
        self._graph = graph
        self._tokens: dict[str, str] = {}
        self._guard: dict[str, list[tuple[str, int]]] = {}
        self._guard_map: dict[str, str] = {}
        self._guard_built = False
        self._assign_tokens(sorted(set(self._nodes) | (set(graph.nodes) if graph is not None else set())))

    # -- what a node is -------------------------------------------------------------------------------
    def label_of(self, node: str) -> str | None:
        """The node's label from the analysis, the graph, or failing both its id prefix."""
        for source in (self._nodes.get(node), self._graph_data(node)):
            if source and source.get("label"):
                return str(source["label"])
        return _LABEL_OF_PREFIX.get(node.split(":", 1)[0])

    def roles(self, node: str) -> set[str]:
        return roles_of(self._nodes.get(node)) | roles_of(self._graph_data(node))

    def is_narrator(self, node: str) -> bool:
        return any(bool((s or {}).get("narrator")) for s in (self._nodes.get(node), self._graph_data(node)))

    def is_protected(self, node: str) -> bool:
        """A Person who is not clearly and only on the exploiting side (see the module docstring)."""
        if self.label_of(node) != PERSON:
            return False
        roles = self.roles(node)
        return VICTIM in roles or not (roles & EXPLOITER_ROLES) or self.is_narrator(node)

    def is_masked(self, node: str) -> bool:
        """Whether the report shows a token instead of this node's name."""
        if self.reveal_names:
            return False
        label = self.label_of(node)
        if label == PERSON:
            return self.is_protected(node)
        if label in IDENTIFIER_PREFIXES:
            return self._identifier_exposes_protected(node)
        return False

    def _identifier_exposes_protected(self, node: str) -> bool:
        G = self._graph
        if G is None or node not in G:
            return True  # nobody can say whose it is: mask
        for u, v, d in list(G.in_edges(node, data=True)) + list(G.out_edges(node, data=True)):
            if d.get("type") == MENTIONED_IN:
                continue
            other = u if v == node else v
            if self.is_protected(other):
                return True
        return False

    # -- what the report prints --------------------------------------------------------------------------
    def name(self, node: str) -> str:
        """The stored display name (unprotected); callers print ``label`` instead."""
        for source in (self._nodes.get(node), self._graph_data(node)):
            if source and source.get("name"):
                return str(source["name"])
        return ""

    def token(self, node: str) -> str:
        token = self._tokens.get(node)
        if token is None:
            token = pseudonym(node, self.key, self._prefix(node))
            self._tokens[node] = token
        return token

    def label(self, node: str) -> str:
        """What a report prints for a node: its name, or its token when masked. Never a person's id."""
        if self.is_masked(node):
            return self.token(node)
        label = self.label_of(node)
        if label == NARRATIVE:
            data = self._graph_data(node) or {}
            return str(data.get("source_id") or self.name(node) or node)
        name = self.name(node)
        if name:
            return self.redact(name)
        if label == PERSON:
            return self.token(node)
        return node

    def aliases(self, node: str) -> list[str]:
        """Other names of a named person; nothing for anybody masked."""
        if self.is_masked(node):
            return []
        data = self._graph_data(node) or {}
        main = self.name(node)
        return sorted({self.redact(str(a)) for a in data.get("aliases") or () if a and str(a) != main})

    # -- the last-line guard --------------------------------------------------------------------------
    def redact(self, text: str) -> str:
        """Replace any protected name, alias or masked identifier value in ``text`` by its token.

        A match must stand alone (no word character or ``@`` on either side), longest first. Lookup goes
        by the first word of each protected string, so the cost grows with the text, not with the number
        of protected people (a regex alternation of every name would not scale to a large graph).
        """
        if self.reveal_names or not text:
            return text
        index = self._guard_index()
        if not index:
            return text
        out: list[str] = []
        done = 0
        for word in _WORD.finditer(text):
            if word.start() < done:
                continue
            for candidate, offset in index.get(word.group(0), ()):
                start = word.start() - offset
                end = start + len(candidate)
                if (start >= done and text.startswith(candidate, start) and not _joins(text, start - 1)
                        and not _joins(text, end)):
                    out.append(text[done:start])
                    out.append(self._guard_map[candidate])
                    done = end
                    break
        out.append(text[done:])
        return "".join(out)

    def protected_strings(self) -> dict[str, str]:
        """Every string the guard replaces, with its replacement."""
        self._guard_index()
        return dict(self._guard_map)

    def _guard_index(self) -> dict[str, list[tuple[str, int]]]:
        """First word -> (protected string, offset of that word in it), longest strings first."""
        if self._guard_built:
            return self._guard
        self._guard_built = True
        mapping: dict[str, str] = {}
        for node in self._known_nodes():
            if not self.is_masked(node):
                continue
            token = self.token(node)
            for text in self._strings_of(node):
                text = " ".join(text.split())
                if len(text) < MIN_GUARD_CHARS:
                    continue
                # As written, and as HTML escaping (Jinja's and the stdlib's) would print it.
                for form in (text, html.escape(text, quote=True),
                             text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                             .replace("'", "&#39;").replace('"', "&#34;")):
                    mapping.setdefault(form, token)
        index: dict[str, list[tuple[str, int]]] = {}
        for candidate in sorted(mapping, key=lambda s: (-len(s), s)):
            first = _WORD.search(candidate)
            if first is not None:
                index.setdefault(first.group(0), []).append((candidate, first.start()))
        self._guard_map = mapping
        self._guard = index
        return index

    def _strings_of(self, node: str) -> Iterable[str]:
        for source in (self._nodes.get(node), self._graph_data(node)):
            if not source:
                continue
            for field in ("name", "value"):
                if source.get(field):
                    yield str(source[field])
            for alias in source.get("aliases") or ():
                if alias:
                    yield str(alias)
        if self.label_of(node) in IDENTIFIER_PREFIXES and ":" in node:
            yield node.split(":", 1)[1]

    # -- internals -------------------------------------------------------------------------------------
    def _graph_data(self, node: str) -> Mapping[str, Any] | None:
        G = self._graph
        if G is None or node not in G:
            return None
        return G.nodes[node]

    def _known_nodes(self) -> list[str]:
        known = set(self._nodes)
        if self._graph is not None:
            known |= set(self._graph.nodes)
        return sorted(known)

    def _prefix(self, node: str) -> str:
        return IDENTIFIER_PREFIXES.get(self.label_of(node) or "", PERSON_PREFIX)

    def _assign_tokens(self, nodes: list[str]) -> None:
        """Short tokens, lengthened for the (rare) ids whose short tokens would collide in this report."""
        short: dict[str, list[str]] = {}
        for node in nodes:
            if self.label_of(node) in (PERSON, *IDENTIFIER_PREFIXES):
                short.setdefault(pseudonym(node, self.key, self._prefix(node)), []).append(node)
        for token, owners in short.items():
            for node in owners:
                self._tokens[node] = token if len(owners) == 1 else pseudonym(
                    node, self.key, self._prefix(node), LONG_TOKEN_HEX)
