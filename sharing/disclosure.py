"""What a default (pseudonymised) export may show by name or value, and what it must hide.

The rule leans to hiding: a value is shown only when it belongs to the exploiting side of a network or is
public geography, because a partner who receives a victim's name, phone or street cannot un-receive it.

Shown by name or value:
- a person with an exploiter role (recruiter, exploiter, controller, transporter) and no victim role in
  any narrative: someone both exploited and exploiting is treated as a victim;
- an organisation (businesses, agencies, authorities: no private person's name);
- a place that is a known city or a country (``graph.insight.places.locate`` finds it in the shipped
  gazetteer): "London" is shown, "a flat on Romford Road" is not;
- an identifier (phone, email, bank account, wallet, online account) tied by ``USES_PHONE``,
  ``USES_EMAIL`` or ``OWNS_ACCOUNT`` to at least one shown person or organisation and to no hidden person.

Everything else is hidden: victims, witnesses, narrators and people of unknown role; identifiers that are
a victim's, or nobody's; addresses. Hidden things keep their place in the graph under a keyed pseudonym
(``sharing.pseudonyms``). Free text (evidence sentences, aliases, notes) is never exported by default,
whoever it is about: a sentence about a recruiter names the victim beside him.

Node ids are never written as they are: an identifier's id carries its value (``phone:+4479...``), so
every export writes ids as pseudonyms, shown or hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import model as m
from graph.analysis._common import roles_of
from graph.insight.places import locate

OWNERSHIP_TYPES = frozenset({m.USES_PHONE, m.USES_EMAIL, m.OWNS_ACCOUNT})
VICTIM = "victim"


def is_protected_person(data: Mapping[str, Any]) -> bool:
    """A person shown by name only when on the exploiting side and never a victim."""
    roles = set(roles_of(data))
    return VICTIM in roles or not (roles & m.EXPLOITER_ROLES)


def is_public_place(data: Mapping[str, Any]) -> bool:
    return locate(str(data.get("name") or ""), data.get("country")) is not None


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Which nodes a default export shows by name or value (``reveal``); ``everything`` when an
    administrator asked for a revealed export."""

    shown: frozenset[str]
    everything: bool = False

    def reveal(self, node_id: str) -> bool:
        return self.everything or node_id in self.shown


def _owners(G: nx.MultiDiGraph, node: str) -> list[str]:
    owners = [u for u, _, d in G.in_edges(node, data=True) if d.get("type") in OWNERSHIP_TYPES]
    owners += [v for _, v, d in G.out_edges(node, data=True) if d.get("type") in OWNERSHIP_TYPES]
    return owners


def disclosure(G: nx.MultiDiGraph, reveal_all: bool = False) -> Disclosure:
    """The nodes of ``G`` a default export may show (see the module docstring)."""
    if reveal_all:
        return Disclosure(frozenset(G.nodes), everything=True)
    shown: set[str] = set()
    for node, data in G.nodes(data=True):
        label = data.get("label")
        if label == m.PERSON and not is_protected_person(data):
            shown.add(node)
        elif label == m.ORGANIZATION:
            shown.add(node)
        elif label == m.LOCATION and is_public_place(data):
            shown.add(node)
    for node, data in G.nodes(data=True):
        if data.get("label") not in m.IDENTIFIER_NODE_LABELS:
            continue
        owners = _owners(G, node)
        if owners and all(o in shown for o in owners):
            shown.add(node)
    return Disclosure(frozenset(shown))
