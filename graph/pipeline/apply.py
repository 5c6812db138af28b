"""The graph's write path, in the order the design gives it: extraction in, then build, corrections,
resolution and materialisation (``graph.pipeline.writing``), deletion and correction of one narrative
(``graph.pipeline.removal``), and an analyst's decision on a pair, each inside one store transaction.

The stores only persist: each offers ``transact``, which runs one of these algorithms on its primitives
(``graph.stores.ops``) inside a transaction of its own, and its decision and correction logs. Everything
that decides what the graph becomes is here, once, so both stores give the same graph.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.corrections import Correction
from graph.decisions import Decision
from graph.pipeline.removal import correct_narrative
from graph.pipeline.removal import delete_narrative as remove_narrative
from graph.pipeline.writing import decide as decide_pair
from graph.pipeline.writing import write_batch
from graph.resolution import Thresholds
from graph.stores.protocol import GraphStore, NarrativeChange, NarrativeInput, WriteResult
from nlp.extraction import Extraction


def write(store: GraphStore, batch: Sequence[NarrativeInput], thresholds: Thresholds = Thresholds()) -> WriteResult:
    """Write a batch of extracted narratives in one transaction: all of it or nothing."""
    return store.transact(lambda ops: write_batch(ops, batch, thresholds))


def decide(store: GraphStore, a: str, b: str, decision: str, by: str, reason: str = "") -> Decision:
    """Confirm or reject a POSSIBLY_SAME_AS pair, and keep the decision (with its reason) in the store's
    decision log."""
    return store.transact(lambda ops: decide_pair(ops, a, b, decision, by, reason), record=store.decisions.append if store.decisions is not None else None)


def delete_narrative(store: GraphStore, content_hash: str, thresholds: Thresholds = Thresholds()) -> NarrativeChange:
    """Take a narrative and everything derived only from it out of the graph; its corrections are forgotten
    after the commit (deleting again retries that)."""
    change = store.transact(lambda ops: remove_narrative(ops, content_hash, thresholds), erasing=True)
    if store.corrections is not None:
        store.corrections.forget(content_hash)
    return change


def correct(store: GraphStore, correction: Correction, extraction: Extraction, text: str,
            thresholds: Thresholds = Thresholds()) -> NarrativeChange:
    """Record a caseworker's correction and rewrite its narrative with it, if the narrative is stored."""
    return store.transact(lambda ops: correct_narrative(ops, correction, extraction, text, thresholds),
                          erasing=True, record=None if store.corrections is None else
                          lambda _change: store.corrections.append(correction))
