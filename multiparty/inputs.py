"""What a party puts into a computation, read from its own Sightline home and nowhere else.

- **Flagged identifiers**: exactly what screening would match a partner against (the watchlist, imported
  lists, the analysis's marks when enabled), after the victim rule, so no victim and no identifier a victim
  uses can ever enter a joint computation. Each becomes ``kind:key`` with screening's matching key (phone
  E.164, email mailbox, IBAN, wallet), and every name and alias ``name:<tokens>``: the screening tokens
  (romanised, folded, canonical spellings) sorted, so word order and accents do not matter while nicknames
  and typos do not match. ``NORMALISATION`` names this rule in the agreement, so two parties that would
  normalise differently refuse to compute together.
- **Victim cases** for joint statistics: ``sharing.cases`` (only narratives whose consent allows sharing).
"""

from __future__ import annotations

from typing import Any

from state.settings import Settings

NORMALISATION = "screening-keys-1+name-tokens-sorted-1"


def name_key(name: str) -> str | None:
    from screening.names import screening_tokens

    tokens = sorted(t for t in screening_tokens(name) if t)
    return " ".join(tokens) if tokens else None


def entity_keys(entity: Any) -> set[str]:
    """``kind:key`` for every identifier, the name and every alias of one flagged entity."""
    from screening.keys import identifier_key

    keys: set[str] = set()
    for kind, values in entity.identifiers.items():
        for value in values:
            key = identifier_key(kind, value)
            if key:
                keys.add(f"{kind}:{key}")
    for name in (entity.name, *entity.aliases):
        key = name_key(name) if name else None
        if key:
            keys.add(f"name:{key}")
    return keys


def flagged_identifiers(settings: Settings, analysis_marks: bool | None = None) -> set[str]:
    """This party's flagged identifiers, victims' excluded (raises ``StoreError`` if the store is unreachable).

    ``analysis_marks`` overrides ``SIGHTLINE_SCREENING_ANALYSIS_MARKS`` for this run only: an organisation may
    bring everyone its analysis gives an exploiting role into a joint computation without screening partners
    against them."""
    from graph.stores.factory import open_configured_store
    from screening.flagged import collect
    from screening.lists import FlaggedLists
    from screening.victim_rule import ControlDecisions
    from screening.watchlist import Watchlist
    from state.secrets import pseudonym_key

    db = settings.api_database()
    try:
        store = open_configured_store(settings.store_config())
        try:
            collected = collect(Watchlist(db), FlaggedLists(db), store,
                                analysis_marks=settings.screening_analysis_marks if analysis_marks is None
                                else analysis_marks,
                                reference_key=pseudonym_key(settings), decided=frozenset(ControlDecisions(db).keys()))
        finally:
            store.close()
    finally:
        db.close()
    keys: set[str] = set()
    for entity in collected.entities.values():
        keys |= entity_keys(entity)
    return keys


def victim_cases(settings: Settings) -> list[Any]:
    from graph.stores.factory import open_configured_store
    from sharing.cases import cases_from_store

    store = open_configured_store(settings.store_config())
    try:
        return cases_from_store(store, settings.organisation_type_map())
    finally:
        store.close()
