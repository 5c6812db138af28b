"""One organisation's own narratives as dashboard records: what an NGO's dashboard is computed from.

An NGO sees figures about its own submissions only, never the shared graph's: the records come from
``api.sqlite`` through ``NarrativeRecords`` (the narratives this organisation submitted, as it may see
them), not from the graph store, so no other organisation's narrative can reach its counts. Each record is
read from the stored extraction with this organisation's own corrections applied (a place it rejected names
no country). A narrative still queued or failed has no extraction yet and is left out; one kept for the
organisation only (no consent to share) counts, since it is the organisation's own. A text another
organisation sent first counts without a date: its metadata is the owner's and is not shown to others.
"""

from __future__ import annotations

from graph.insight.dashboard import NarrativeFacts, facts_from_extraction
from intake.narratives import NarrativeRecords, corrected_entities

PAGE = 500


def organisation_facts(records: NarrativeRecords, organisation: str) -> list[NarrativeFacts]:
    """Dashboard records of every extracted narrative this organisation submitted."""
    facts: list[NarrativeFacts] = []
    total = records.db.query("SELECT COUNT(*) AS n FROM narrative_owners WHERE organisation = ?", (organisation,))
    for offset in range(0, int(total[0]["n"]), PAGE):
        for view in records.listing(organisation, PAGE, offset):
            if view.extraction is None:
                continue
            corrected = corrected_entities(view.extraction, records.corrections(view.id, organisation))
            rejected = [e["id"] for e in corrected if e["status"] == "rejected"]
            facts.append(facts_from_extraction(view.id, view.meta, view.extraction, rejected))
    return facts
