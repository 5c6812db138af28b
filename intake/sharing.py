"""Changing a stored narrative's consent: the shared graph gains or loses its facts, the records stay.

Only the owner (the organisation whose job brought the narrative, ``intake.narratives``) may change it.
Withdrawing consent (any value but ``given``) takes the narrative out of the graph exactly as deletion
does (``intake.deletion.remove_from_graph``: everything only it supported goes, shared entities keep the
other narratives' evidence, watchlist flags follow), and keeps the text, metadata, extraction and
corrections for the organisation. Giving consent writes the stored extraction into the graph, with the
owner's corrections recorded in the graph store first so the write applies them, as the worker would have.

The graph changes first and the record after: if the record fails, sending the same change again does the
graph part once more (removing what is not there, or writing what is stored, changes nothing) and records it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph import pipeline
from graph.build import NarrativeMeta
from graph.corrections import CorrectionError, make_correction
from graph.resolution import Thresholds
from graph.stores.protocol import GraphStore, NarrativeInput
from intake.consent import normalise, shares
from intake.deletion import remove_from_graph
from intake.narratives import NarrativeRecords, StoredNarrative, stored_narrative
from nlp.extraction import Entity, Extraction


class NotStoredYet(RuntimeError):
    """The narrative is still queued (or its extraction failed): its consent changes once it is stored."""


@dataclass(frozen=True, slots=True)
class ConsentChange:
    consent: str
    shared: bool
    was_shared: bool
    nodes_deleted: int = 0
    watchlist_changed: int = 0
    written: bool = False


def graph_meta(narrative_id: str, organisation: str, meta: dict[str, Any]) -> NarrativeMeta:
    """The graph's metadata of an API narrative (the worker writes the same)."""
    return NarrativeMeta(source_id=narrative_id, organisation=organisation, date=meta.get("date"),
                         language=meta.get("language"), consent=meta.get("consent"),
                         grading=meta.get("source_grading"))


def change_consent(store: GraphStore, records: NarrativeRecords, narrative_id: str, organisation: str,
                   consent: str, thresholds: Thresholds, regions: Sequence[str | None], by: str) -> ConsentChange:
    """Set the owner's consent on a stored narrative and make the graph follow it. ``organisation`` must be
    the owner's (the caller checks); ``by`` is recorded on the watchlist flags a withdrawal takes off."""
    value = normalise(consent)
    assert value is not None
    stored = stored_narrative(records.db, narrative_id)
    if stored is None:
        raise NotStoredYet(narrative_id)
    was, now_shared = shares(stored.meta.get("consent")), shares(value)
    change = ConsentChange(value, now_shared, was)
    if was and not now_shared:
        removed, watched = remove_from_graph(store, records.db, stored.content_hash, thresholds, by)
        change = ConsentChange(value, False, True, len(removed.nodes_deleted), watched)
    elif now_shared and not was:
        meta = {**stored.meta, "consent": value}
        _replay_corrections(store, records, stored, thresholds, regions)
        result = pipeline.write(store, [NarrativeInput(Extraction.from_dict(stored.extraction),
                                                       graph_meta(narrative_id, organisation, meta), stored.text,
                                                       stored.content_hash)], thresholds)
        change = ConsentChange(value, True, False, written=bool(result.written))
    records.set_consent(narrative_id, value)
    return change


def _replay_corrections(store: GraphStore, records: NarrativeRecords, stored: StoredNarrative,
                        thresholds: Thresholds, regions: Sequence[str | None]) -> None:
    """Record the owner's corrections in the graph store (while the narrative was not shared they stayed in
    ``api.sqlite`` only, and a withdrawal drops the graph's copy), so that the write applies them."""
    entities = {e["id"]: e for e in stored.extraction.get("entities", [])}
    extraction = Extraction.from_dict(stored.extraction)
    for c in records.owner_corrections(stored.id):
        raw = entities.get(c.entity_id)
        if raw is None:
            continue
        try:
            correction = make_correction(stored.content_hash, Entity(**raw), c.action, c.by, c.label, regions)
        except CorrectionError:  # (checked when it was made; an extraction never changes)
            continue
        pipeline.correct(store, correction, extraction, stored.text, thresholds)
