"""What each organisation submitted and what was extracted from it, and the corrections its caseworkers made.

The graph itself does not say who submitted a narrative in a way the API can enforce, and it keeps no
text; ``api.sqlite`` does: ``narrative_owners`` holds one submission record per organisation that sent a
given text, ``narratives`` keeps the text, metadata and the extraction as it was made, and ``corrections``
the caseworkers' verdicts on extracted entities (reject, relabel, restore), each with who and when.
Corrections are an overlay on the stored extraction: the extraction itself is never rewritten, so every
correction can be traced and undone.

The same text from two organisations is one narrative, but only one of them owns it: the first, whose job
brought it (its metadata, consent and corrections decide what the shared graph holds). A later submitter's
record points at the stored narrative and grants no more than its own view: it sees the text it sent and
the extraction, with its own reference and only its own corrections, which stay its own notes and never
reach the graph. Resubmitting someone's text (with different whitespace, which has the same content hash)
thus never lets an organisation read another's corrections or change what they decided.

An administrator's deletion of a narrative removes all of it here (``forget``) after the graph store has
removed its part (``store.delete_narrative``); the audit log stays.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from intake.consent import shares
from intake.jobs import FAILED, LATEST_ITEM, PENDING, QUEUED, RUNNING, JobQueue
from state.db import ApiDatabase, now


@dataclass(slots=True)
class NarrativeView:
    id: str
    reference: str | None
    status: str  # queued, stored, existing, failed
    job_id: str | None
    submitted_at: str
    stored_at: str | None
    meta: dict[str, Any]
    text: str | None
    extraction: dict[str, Any] | None
    owner: bool = False  # this organisation's job brought the narrative: its consent and corrections count
    shared: bool | None = None  # (owner only, once stored) whether the shared graph holds its facts


@dataclass(slots=True)
class Correction:
    seq: int
    entity_id: str
    action: str
    label: str | None
    reason: str | None
    by: str
    at: str


class NarrativeRecords:
    def __init__(self, db: ApiDatabase, jobs: JobQueue) -> None:
        self.db = db
        self.jobs = jobs

    def view(self, narrative_id: str, organisation: str) -> NarrativeView | None:
        """The narrative as a submitting organisation sees it; None for anyone else (or no such id).

        An organisation that sent a text someone else had sent first sees the text, its status and the
        extraction, with its own reference, but not the owner's metadata, reference, job or consent."""
        record = self.db.query("SELECT submitted_at, reference FROM narrative_owners "
                               "WHERE narrative_id = ? AND organisation = ?", (narrative_id, organisation))
        if not record:
            return None
        submitted, reference = record[0]["submitted_at"], record[0]["reference"]
        item = self.jobs.item_status(narrative_id)
        rows = self.db.query("SELECT * FROM narratives WHERE id = ?", (narrative_id,))
        if rows:
            r = rows[0]
            status = item.status if item is not None and item.status not in (QUEUED, FAILED) else "stored"
            job_id, meta, text, stored_at = r["job_id"], json.loads(r["meta"]), r["text"], r["stored_at"]
            extraction = json.loads(r["extraction"])
        elif item is not None:
            job_id = self.db.query("SELECT i.job_id FROM job_items i JOIN jobs j ON j.id = i.job_id "
                                   f"WHERE i.narrative_id = ? ORDER BY {LATEST_ITEM} LIMIT 1",
                                   (narrative_id,))[0]["job_id"]
            status, meta, text, stored_at, extraction = item.status, item.meta, item.text, None, None
        else:
            return None
        job = self.jobs.get(job_id)
        owner = job is not None and job.organisation == organisation
        if not owner:
            return NarrativeView(narrative_id, reference, status, None, submitted, stored_at, {}, text, extraction)
        shared = shares(meta.get("consent")) if rows else None
        return NarrativeView(narrative_id, reference, status, job_id, submitted, stored_at, meta, text, extraction,
                             True, shared)

    def submitters(self, narrative_id: str) -> list[str]:
        """Every organisation that submitted this narrative (the owner and any that sent the same text later)."""
        rows = self.db.query("SELECT DISTINCT organisation FROM narrative_owners WHERE narrative_id = ? "
                             "ORDER BY organisation", (narrative_id,))
        return [r["organisation"] for r in rows]

    def deletable_by(self, narrative_id: str, organisation: str) -> str | None:
        """Why this organisation may not delete the narrative (None: it may). Only the owner may, and only
        while no other organisation holds a submission of the same text: deleting removes it for everyone."""
        view = self.view(narrative_id, organisation)
        if view is None or not view.owner:
            return "not_found"
        if set(self.submitters(narrative_id)) - {organisation}:
            return "shared"
        return None

    def listing(self, organisation: str, limit: int, offset: int) -> list[NarrativeView]:
        rows = self.db.query("SELECT narrative_id FROM narrative_owners WHERE organisation = ? "
                             "ORDER BY submitted_at DESC, narrative_id LIMIT ? OFFSET ?", (organisation, limit, offset))
        views = [self.view(r["narrative_id"], organisation) for r in rows]
        return [v for v in views if v is not None]

    def correct(self, narrative_id: str, entity_id: str, action: str, label: str | None, reason: str | None,
                key_id: str, organisation: str) -> Correction:
        with self.db.transaction() as db:
            cursor = db.execute("INSERT INTO corrections (narrative_id, entity_id, action, label, reason, key_id, "
                                "organisation, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
                                (narrative_id, entity_id, action, label, reason, key_id, organisation, now()))
            seq = cursor.fetchone()[0]  # type: ignore[index]
        return next(c for c in self.corrections(narrative_id, organisation) if c.seq == seq)

    def corrections(self, narrative_id: str, organisation: str) -> list[Correction]:
        """One organisation's corrections of a narrative, in order: each submitter sees only its own."""
        rows = self.db.query("SELECT * FROM corrections WHERE narrative_id = ? AND organisation = ? ORDER BY seq",
                             (narrative_id, organisation))
        return [Correction(r["seq"], r["entity_id"], r["action"], r["label"], r["reason"],
                           f"{r['organisation']} ({r['key_id']})", r["at"]) for r in rows]

    def owner_corrections(self, narrative_id: str) -> list[Correction]:
        """The owner's corrections of a stored narrative, in order: those that decide the graph."""
        rows = self.db.query("SELECT c.* FROM corrections c JOIN narratives n ON n.id = c.narrative_id "
                             "JOIN jobs j ON j.id = n.job_id WHERE c.narrative_id = ? AND c.organisation = j.organisation "
                             "ORDER BY c.seq", (narrative_id,))
        return [Correction(r["seq"], r["entity_id"], r["action"], r["label"], r["reason"],
                           f"{r['organisation']} ({r['key_id']})", r["at"]) for r in rows]

    def set_consent(self, narrative_id: str, consent: str) -> None:
        """Record the owner's new consent value in the stored narrative's metadata."""
        with self.db.transaction() as db:
            row = db.execute("SELECT meta FROM narratives WHERE id = ?", (narrative_id,)).fetchone()
            if row is None:
                return
            meta = {**json.loads(row["meta"]), "consent": consent}
            db.execute("UPDATE narratives SET meta = ? WHERE id = ?", (json.dumps(meta, sort_keys=True), narrative_id))


@dataclass(slots=True)
class StoredNarrative:
    """What the worker kept of an extracted narrative: enough to write it again with corrections applied."""

    id: str
    content_hash: str
    text: str
    meta: dict[str, Any]
    extraction: dict[str, Any]


def stored_narrative(db: ApiDatabase, narrative_id: str) -> StoredNarrative | None:
    rows = db.query("SELECT id, content_hash, text, meta, extraction FROM narratives WHERE id = ?", (narrative_id,))
    if not rows:
        return None
    r = rows[0]
    return StoredNarrative(r["id"], r["content_hash"], r["text"], json.loads(r["meta"]), json.loads(r["extraction"]))


def content_hash_of(db: ApiDatabase, narrative_id: str) -> str | None:
    """The content hash behind an API narrative id, from what was stored or submitted."""
    rows = db.query("SELECT content_hash FROM narratives WHERE id = ? UNION ALL "
                    "SELECT content_hash FROM job_items WHERE narrative_id = ? AND content_hash != '' LIMIT 1",
                    (narrative_id, narrative_id))
    return rows[0]["content_hash"] if rows else None


def queued_in(db: ApiDatabase, content_hash: str) -> str | None:
    """The job that still has this narrative queued (its worker would write it back after a deletion)."""
    rows = db.query("SELECT j.id FROM job_items i JOIN jobs j ON j.id = i.job_id WHERE i.content_hash = ? "
                    "AND i.status = ? AND j.status IN (?, ?) LIMIT 1", (content_hash, QUEUED, PENDING, RUNNING))
    return rows[0]["id"] if rows else None


def forget(db: ApiDatabase, content_hash: str) -> int:
    """Delete every record of a narrative the API keeps (text, metadata, extraction, owners, submitted items,
    corrections), in one transaction; how many rows went. The audit log is not touched: it keeps no text,
    and it is append-only."""
    with db.transaction() as tx:
        if db.is_sqlite:  # deleted text overwritten, not left in free pages (PostgreSQL: autovacuum reclaims it)
            tx.execute("PRAGMA secure_delete=ON")
        ids = [r["narrative_id"] for r in tx.execute("SELECT DISTINCT narrative_id FROM job_items WHERE content_hash = ? "
                                                     "UNION SELECT id FROM narratives WHERE content_hash = ?",
                                                     (content_hash, content_hash))]
        removed = 0
        for narrative_id in ids:
            removed += tx.execute("DELETE FROM narrative_owners WHERE narrative_id = ?", (narrative_id,)).rowcount
            removed += tx.execute("DELETE FROM corrections WHERE narrative_id = ?", (narrative_id,)).rowcount
        removed += tx.execute("DELETE FROM narratives WHERE content_hash = ?", (content_hash,)).rowcount
        removed += tx.execute("DELETE FROM job_items WHERE content_hash = ?", (content_hash,)).rowcount
    if db.is_sqlite:
        db.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and not left in the write-ahead log either
    return removed


def corrected_entities(extraction: dict[str, Any], corrections: list[Correction]) -> list[dict[str, Any]]:
    """The extracted entities with the corrections applied in order (the last word on an entity wins)."""
    entities = {e["id"]: {**e, "status": "extracted", "original_label": None} for e in extraction.get("entities", [])}
    for c in corrections:
        entity = entities.get(c.entity_id)
        if entity is None:
            continue
        original = entity["original_label"] or entity["label"]
        if c.action == "reject":
            entity["status"] = "rejected"
        elif c.action == "relabel" and c.label:
            entity.update(status="relabelled", label=c.label, original_label=original)
        elif c.action == "restore":
            entity.update(status="extracted", label=original, original_label=None)
    return list(entities.values())
