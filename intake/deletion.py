"""Deleting a narrative everywhere Sightline keeps it: the graph, the API's records of it, and the
watchlist flags on what it alone supported. One service, so that ``DELETE /v1/narratives/{id}`` and
``sightline delete-narrative`` do exactly the same thing.

The order matters: the graph first (one store transaction, ``graph.pipeline.delete_narrative``), then the
API's records (one SQLite transaction); a failure between the two leaves the records, and deleting again
finishes the job, since deleting from the graph what is no longer there changes nothing.

Withdrawn consent (``intake.consent``) takes the same graph part (``remove_from_graph``) and keeps the
records: the organisation still has its narrative, only the shared graph loses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import pipeline
from graph.resolution import Thresholds
from graph.stores.protocol import GraphStore, NarrativeChange
from intake.narratives import content_hash_of, forget, queued_in
from screening.watchlist import Watchlist
from state.db import ApiDatabase


class NarrativeNotFound(LookupError):
    """Neither the API's records nor the graph know the id."""


class NarrativeStillQueued(RuntimeError):
    """A job still has the narrative queued: its worker would write it back after the deletion."""

    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.job_id = job_id


@dataclass(frozen=True, slots=True)
class Deletion:
    change: NarrativeChange  # what the graph lost and what it folded again
    api_records_deleted: int
    watchlist_changed: int


def remove_from_graph(store: GraphStore, db: ApiDatabase | None, digest: str, thresholds: Thresholds,
                      by: str) -> tuple[NarrativeChange, int]:
    """Take one narrative (by content hash) out of the graph and move or take off the watchlist flags on
    what it alone supported; the change and how many flags changed. Nothing happens if it is not there."""
    change = pipeline.delete_narrative(store, digest, thresholds)
    if db is None:
        return change, 0
    gone = [n for n in change.nodes_deleted if n not in change.joined.values()]
    follows = {**change.renamed, **{old: new for new, old in change.joined.items() if old in change.nodes_deleted}}
    return change, Watchlist(db).follow(follows, gone, by)


def delete_narrative(store: GraphStore, db: ApiDatabase | None, narrative_id: str, thresholds: Thresholds,
                     by: str) -> Deletion:
    """By the API's id (``n...``) or the graph's (a ``sightline ingest`` source id). ``db`` is None where
    the API never ran (no ``api.sqlite``): then only the graph holds the narrative. ``by`` is who is recorded
    as having taken the watchlist flags off."""
    digest = (content_hash_of(db, narrative_id) if db is not None else None) or store.narrative_hash(narrative_id)
    if digest is None:
        raise NarrativeNotFound(narrative_id)
    job = queued_in(db, digest) if db is not None else None
    if job is not None:
        raise NarrativeStillQueued(job)
    change, watched = remove_from_graph(store, db, digest, thresholds, by)
    removed = forget(db, digest) if db is not None else 0
    return Deletion(change, removed, watched)
