"""The job worker: works off the durable job queue (ingestion and reports), outside any request.

Ingestion (spaCy extraction, resolution, the store write) takes seconds per batch and reports take
seconds to render, so neither runs in a request: routes queue a job and return 202, and a worker does the
work with its own store connection. ``JobWorker`` is that loop; it runs in ``sightline worker``, a
separate process at lower CPU priority, which is what ``sightline serve`` starts by default
(``intake.worker_process``): as a thread in the server, spaCy would hold the server's GIL for most of each
batch and queries would wait for it (``docs/benchmarks.md``, HTTP API under load). The spaCy pipeline is
loaded once, on the first job, and reused. A worker simply claims jobs; a job a stopped worker gave back,
or one left running with an expired lease (its worker was killed), is claimed like any other, which is how
an accepted submission survives a restart (``intake.jobs``).

Consent (``intake.consent``): a narrative whose source did not consent to sharing is extracted and kept for
its organisation (which sees and corrects the extraction as usual) but never written into the graph store.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from graph.analysis_cache import AnalysisCache
from intake.consent import shares
from intake.jobs import (
    DONE,
    EXISTING,
    EXPORT,
    FAILED,
    INGEST,
    REPORT,
    STORED,
    Item,
    ItemResult,
    Job,
    JobQueue,
)
from intake.worker_process import WorkerProcess
from state.db import Unavailable
from state.secrets import pseudonym_key
from state.settings import Settings

log = logging.getLogger("sightline.api.worker")
REPORTS_DIR = "api-reports"
MAX_BACKOFF_SECONDS = 5.0  # longest wait between attempts while the state database is down


class RecordingExtractor:
    """Hands ``graph.pipeline.ingest`` the real extractor and keeps each extraction, to store for its submitter."""

    def __init__(self, extractor: Any) -> None:
        self.extractor = extractor
        self.seen: dict[str, Any] = {}

    def extract_many(self, narratives: Iterable[Any], **options: Any) -> Iterator[Any]:
        for extraction in self.extractor.extract_many(narratives, **options):
            if extraction.id is not None:
                self.seen[extraction.id] = extraction
            yield extraction


def report_dir(home: Path, job_id: str) -> Path:
    return home / REPORTS_DIR / job_id


class Backoff:
    """Waits between attempts to reach an unreachable state database: the poll interval, doubled per failure
    up to ``MAX_BACKOFF_SECONDS``, so that a worker neither hammers a restarting server nor sleeps long after
    it is back. Logs the first failure of a run and then every tenth, without the driver's text."""

    def __init__(self, first: float) -> None:
        self.first = first
        self.failures = 0

    def failed(self, what: str) -> float:
        self.failures += 1
        wait = min(self.first * 2 ** (self.failures - 1), MAX_BACKOFF_SECONDS)
        if self.failures == 1 or self.failures % 10 == 0:
            log.warning("%s: the service-state database is unavailable (%d attempts); retrying in %.1f s",
                        what, self.failures, wait)
        return wait

    def succeeded(self) -> None:
        if self.failures:
            log.info("the service-state database is reachable again after %d failed attempts", self.failures)
        self.failures = 0


class JobWorker(threading.Thread):
    def __init__(self, settings: Settings, jobs: JobQueue, analysis: AnalysisCache) -> None:
        super().__init__(name="sightline-worker", daemon=True)
        self.settings = settings
        self.jobs = jobs
        self.analysis = analysis
        self.id = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._stop_event = threading.Event()
        self._extractor: Any = None
        self._store: Any = None

    def request_stop(self) -> None:
        """Stop after the batch in hand; the job is given back for the next worker (safe in a signal handler)."""
        self._stop_event.set()

    def stop(self, timeout: float = 30.0) -> None:
        """``request_stop`` and wait for the worker to finish."""
        self.request_stop()
        self.join(timeout)

    @property
    def stopping(self) -> bool:
        return self._stop_event.is_set()

    def run(self) -> None:
        poll = self.settings.api_worker_poll_seconds
        backoff = Backoff(poll)
        while not self.stopping:
            try:
                job = self.jobs.claim(self.id)
            except Unavailable:
                self._stop_event.wait(backoff.failed("could not claim a job"))
                continue
            except Exception:
                log.exception("could not claim a job")
                self._stop_event.wait(poll * 10)
                continue
            backoff.succeeded()
            if job is None:
                self._stop_event.wait(poll)
                continue
            try:
                self._work(job)
            except Unavailable:  # mid-job: the job is given back once the database answers (or its lease runs out)
                self._give_back(job, backoff)
        self._close_store()

    def _give_back(self, job: Job, backoff: Backoff) -> None:
        """Release ``job`` (pending again, its recorded items kept) as soon as the state database answers.

        Until then the job stays claimed by this worker under its lease, as it would if the worker had died;
        if the outage outlasts the lease another worker may take it over, and the release is then a no-op."""
        while not self.stopping:
            self._stop_event.wait(backoff.failed(f"job {job.id} interrupted"))
            try:
                self.jobs.release(job.id, self.id)
            except Unavailable:
                continue
            backoff.succeeded()
            log.info("job %s given back after the state database came back; it resumes where it was recorded", job.id)
            return

    def _work(self, job: Job) -> None:
        from graph.stores.protocol import StoreError

        poll = self.settings.api_worker_poll_seconds
        try:
            if job.kind == INGEST:
                self._ingest(job)
            elif job.kind == REPORT:
                self._report(job)
            elif job.kind == EXPORT:
                from intake.export_jobs import run_export_job

                run_export_job(self.settings, self.store(), self.jobs, job, self.id)
            else:
                self.jobs.finish(job.id, self.id, FAILED, f"unknown job kind {job.kind!r}")
        except StoreError as error:  # the store is unreachable: give the job back, try again later
            log.warning("job %s: %s; it will be retried", job.id, error)
            self.jobs.release(job.id, self.id)
            self._close_store()
            self._stop_event.wait(poll * 10)
        except Unavailable:
            raise
        except Exception as error:
            log.exception("job %s failed", job.id)
            self.jobs.finish(job.id, self.id, FAILED, f"internal error ({type(error).__name__}); see the server log")

    def _close_store(self) -> None:
        if self._store is not None:
            try:
                self._store.close()
            finally:
                self._store = None

    def store(self) -> Any:
        from graph.stores.factory import open_configured_store

        if self._store is None:
            self._store = open_configured_store(self.settings.store_config())
        return self._store

    def extractor(self) -> Any:
        if self._extractor is None:
            from nlp import Extractor

            self._extractor = Extractor(self.settings.extractor_config())
        return self._extractor

    # -- ingestion ----------------------------------------------------------------------------------

    def _ingest(self, job: Job) -> None:
        jobs = self.jobs
        items = jobs.items(job.id, ("queued",))
        size = self.settings.ingest_batch
        for start in range(0, len(items), size):
            if self.stopping:  # what is done is recorded; the next worker does the rest, without waiting for the lease
                jobs.release(job.id, self.id)
                return
            if not jobs.renew(job.id, self.id):
                return  # taken over by another worker, which redoes what is not recorded
            jobs.record(job.id, self._ingest_chunk(job, items[start:start + size]))
        jobs.finish(job.id, self.id, DONE)

    def _submission(self, job: Job, item: Item) -> tuple[Any, Any]:
        from intake.sharing import graph_meta
        from nlp import Narrative

        meta = item.meta
        return (Narrative(item.text, item.narrative_id, meta.get("language"), meta.get("region")),
                graph_meta(item.narrative_id, job.organisation, meta))

    def _run_ingest(self, job: Job, chunk: list[Item], recorder: RecordingExtractor) -> Any:
        from graph.pipeline.ingest import ingest

        return ingest([self._submission(job, item) for item in chunk], self.store(), recorder,
                      batch_size=len(chunk), thresholds=self.settings.thresholds())

    def _ingest_chunk(self, job: Job, chunk: list[Item]) -> list[ItemResult]:
        """Ingest a batch in one store transaction; if one narrative in it fails, ingest the rest one by one
        so that only the bad one is marked failed, with its reason. Narratives without consent to share are
        only extracted (``_keep``)."""
        kept = [item for item in chunk if not shares(item.meta.get("consent"))]
        shared = [item for item in chunk if shares(item.meta.get("consent"))]
        results = {r.item.seq: r for r in [*self._keep(job, kept), *(self._write(job, shared) if shared else [])]}
        return [results[item.seq] for item in chunk]

    def _keep(self, job: Job, items: list[Item]) -> list[ItemResult]:
        """Extract narratives for their organisation alone: stored in ``api.sqlite``, not in the graph."""
        from nlp import NarrativeError

        results = []
        for item in items:
            narrative, _ = self._submission(job, item)
            try:
                extraction = next(self.extractor().extract_many([narrative]))
            except (NarrativeError, ValueError) as error:
                results.append(ItemResult(item, FAILED, str(error)))
                continue
            except Exception as error:
                log.exception("job %s: narrative %s failed", job.id, item.narrative_id)
                results.append(ItemResult(item, FAILED, f"internal error ({type(error).__name__}); see the server log"))
                continue
            results.append(ItemResult(item, STORED, None, extraction.to_json()))
        return results

    def _write(self, job: Job, chunk: list[Item]) -> list[ItemResult]:
        """Extract and write narratives that may be shared (the graph's ingest, one transaction)."""
        from graph.stores.protocol import StoreError
        from nlp import NarrativeError

        recorder = RecordingExtractor(self.extractor())
        try:
            report = self._run_ingest(job, chunk, recorder)
            written = set(report.written)
            outcomes = {item.seq: (STORED if item.narrative_id in written else EXISTING, None) for item in chunk}
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - isolate the bad narrative below
            outcomes = {}
            for item in chunk:
                single = RecordingExtractor(self.extractor())
                try:
                    report = self._run_ingest(job, [item], single)
                    outcomes[item.seq] = (STORED if report.written else EXISTING, None)
                    recorder.seen.update(single.seen)
                except StoreError:
                    raise
                except (NarrativeError, ValueError) as error:
                    outcomes[item.seq] = (FAILED, str(error))
                except Exception as error:
                    log.exception("job %s: narrative %s failed", job.id, item.narrative_id)
                    outcomes[item.seq] = (FAILED, f"internal error ({type(error).__name__}); see the server log")
        results = []
        for item in chunk:
            status, error = outcomes[item.seq]
            extraction = None
            if status != FAILED:
                found = recorder.seen.get(item.narrative_id)
                if found is None:  # already in the graph (ingested elsewhere): extract again for the record
                    narrative, _ = self._submission(job, item)
                    found = next(self.extractor().extract_many([narrative]))
                extraction = found.to_json()
            results.append(ItemResult(item, status, error, extraction))
        return results

    # -- reports ------------------------------------------------------------------------------------

    def _report(self, job: Job) -> None:
        from reports.render import render_report

        params = dict(job.params)
        analysed = self.analysis.get(self.store())
        out_dir = report_dir(self.settings.home, job.id)
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = render_report(analysed.result, analysed.graph, out_dir, yardstick=params["yardstick"],
                              reveal_names=params["reveal_names"], pseudonym_key=pseudonym_key(self.settings),
                              formats=tuple(params["formats"]), title=params.get("title") or "Sightline Key Judgement report",
                              seed=self.settings.louvain_seed)
        params["outputs"] = {kind: str(path.relative_to(self.settings.home)) for kind, path in paths.items()
                             if kind in params["formats"]}  # (render_report also lists its figures folder)
        params["narratives"] = self.store().stats()["narratives"]
        self.jobs.finish(job.id, self.id, DONE, params=params)


class Worker:
    """The worker ``create_app`` starts and stops with the server: by default a ``sightline worker`` child
    process (``SIGHTLINE_API_WORKER_MODE=process``), else a ``JobWorker`` thread in the server process."""

    def __init__(self, settings: Settings, jobs: JobQueue, analysis: AnalysisCache) -> None:
        self.runner: JobWorker | WorkerProcess = (WorkerProcess(settings) if settings.api_worker_mode == "process"
                                                  else JobWorker(settings, jobs, analysis))

    def start(self) -> None:
        self.runner.start()

    def stop(self, timeout: float = 30.0) -> None:
        self.runner.stop(timeout)
