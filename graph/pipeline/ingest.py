"""Narratives in, graph out: extract in batches with spaCy, resolve, and write each batch atomically.

Narratives already in the store (same content hash) are recognised before extraction and cost nothing.
If the input turns bad part-way (a malformed line, an unreadable file), every good narrative read before
it is written first and the error is then raised: the store holds whole narratives only, and running the
ingest again after fixing the input adds exactly the missing ones.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from graph.build import NarrativeMeta
from graph.pipeline.apply import write as write_batch_to
from graph.resolution import Thresholds
from graph.stores.protocol import ConflictError, GraphStore, NarrativeInput
from nlp import Narrative
from nlp.extract import Extractor, content_hash


@dataclass(slots=True)
class IngestReport:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already stored
    merged: int = 0
    candidates: int = 0

    @property
    def seen(self) -> int:
        return len(self.written) + len(self.skipped)


def ingest(submissions: Iterable[tuple[Narrative, NarrativeMeta]], store: GraphStore, extractor: Extractor, *,
           batch_size: int = 64, n_process: int = 1, thresholds: Thresholds = Thresholds(),
           on_progress: Callable[[int], None] | None = None) -> IngestReport:
    report = IngestReport()
    pending: deque[tuple[Narrative, NarrativeMeta, str]] = deque()
    advance = on_progress or (lambda n: None)

    ids: dict[str, str] = {}

    def unseen() -> Iterator[Narrative]:
        for narrative, meta in submissions:
            digest = content_hash(narrative.text)
            stored = None if meta.source_id in ids else store.narrative_hash(meta.source_id)
            held = ids.setdefault(meta.source_id, stored or digest)
            if held != digest:
                raise ConflictError(f"narrative id {meta.source_id!r} already holds different text; "
                                    "give the new text its own id")
            if stored == digest or store.has_narrative(digest):  # by id, else the same text under another id
                report.skipped.append(meta.source_id)
                advance(1)
                continue
            pending.append((narrative, meta, digest))
            yield narrative

    batch: list[NarrativeInput] = []

    def flush() -> None:
        if not batch:
            return
        result = write_batch_to(store, batch)
        report.written.extend(result.written)
        report.skipped.extend(result.skipped)
        report.merged += result.merged
        report.candidates += result.candidates
        advance(len(batch))
        batch.clear()

    extractions = extractor.extract_many(unseen(), n_process=n_process)
    while True:
        try:
            extraction = next(extractions)
        except StopIteration:
            break
        except Exception:
            flush()  # the good narratives read before the bad one
            raise
        narrative, meta, digest = pending.popleft()
        batch.append(NarrativeInput(extraction, meta, narrative.text, digest))
        if len(batch) >= batch_size:
            flush()
    flush()
    return report
