"""Exports to hand to a partner, a researcher or another store: HTCDS, FollowTheMoney or the graph's own
JSON lines, pseudonymised unless an administrator asked for ``reveal`` with a reason.

The command line (``sightline export``) and the API's export jobs (``POST /v1/exports``) both run
``run_export``; the caller checks the role and writes the audit entry, this module decides what is
written. Files appear whole or not at all (``graph.atomic_file``): a failed or interrupted export leaves
nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import model as m
from graph.atomic_file import atomic_open
from sharing import htcds
from sharing.cases import victim_cases
from sharing.disclosure import disclosure
from sharing.graph_lines import GraphPseudonyms, pseudonymised_records
from sharing.pseudonyms import Pseudonymiser

FORMATS = ("htcds", "ftm", "graph", "synthetic")
MAX_REASON_CHARS = 500
Progress = Callable[[int, int], None]  # (done, total)
SYNTHETIC_STAGES = 8  # the steps ``sharing.synthetic.synthesise`` reports, roughly


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says why and echoes no input value."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    format: str
    reveal: bool = False
    reason: str | None = None  # why names are revealed: required with ``reveal``, kept in the audit log
    epsilon: float | None = None  # synthetic: the privacy budget (default: SIGHTLINE_SYNTHETIC_EPSILON)

    def check(self) -> None:
        if self.format not in FORMATS:
            raise ExportError(f"unknown export format; use one of {', '.join(FORMATS)}")
        if self.reveal and not (self.reason or "").strip():
            raise ExportError("a revealed export needs a reason (it is kept in the audit log)")
        if self.reveal and self.format == "synthetic":
            raise ExportError("a synthetic release has no names to reveal")
        if self.reason is not None and len(self.reason) > MAX_REASON_CHARS:
            raise ExportError(f"the reason is longer than {MAX_REASON_CHARS} characters")


@dataclass(slots=True)
class ExportResult:
    format: str
    reveal: bool
    records: int  # HTCDS: victim cases; FtM: entities; graph: lines
    files: list[Path] = field(default_factory=list)


def _narratives(G: Any) -> int:
    return sum(1 for _, d in G.nodes(data=True) if d.get("label") == m.NARRATIVE)


def _readme(path: Path, request: ExportRequest, count: int) -> None:
    with atomic_open(path) as out:
        out.write("# Sightline HTCDS export\n\n"
                  f"{count} victim case record(s), one per victim per narrative, in htcds.csv and htcds.json.\n\n"
                  + ("**Revealed**: victims' names and exact ages are included. Handle as personal data.\n\n"
                     if request.reveal else
                     "Pseudonymised: ids are keyed pseudonyms; no names, contact details, addresses, dates of "
                     "birth or free text; ages as CTDC bands. Only narratives whose source consented to sharing.\n\n")
                  + "Field mapping: docs/sharing.md in Sightline.\n\n" + htcds.ATTRIBUTION + "\n")


def _export_htcds(store: Any, G: Any, request: ExportRequest, out: Path, pseudonyms: Pseudonymiser,
                  organisation_types: Mapping[str, str], progress: Progress) -> ExportResult:
    cases = victim_cases(G, organisation_types)
    total, done = len(cases), [0]

    def step() -> None:
        done[0] += 1
        if done[0] % 500 == 0 or done[0] == total:
            progress(done[0], total)

    suffix = out.suffix.lower()
    files: list[Path] = []
    if suffix in (".csv", ".json"):
        with atomic_open(out) as handle:
            (htcds.write_csv if suffix == ".csv" else htcds.write_json)(cases, handle, pseudonyms, request.reveal, step)
        files.append(out)
    else:
        out.mkdir(parents=True, exist_ok=True)
        with atomic_open(out / "htcds.csv") as handle:
            htcds.write_csv(cases, handle, pseudonyms, request.reveal, step)
        with atomic_open(out / "htcds.json") as handle:
            htcds.write_json(cases, handle, pseudonyms, request.reveal)
        _readme(out / "README.md", request, total)
        files += [out / "htcds.csv", out / "htcds.json", out / "README.md"]
    return ExportResult("htcds", request.reveal, total, files)


def _export_graph(store: Any, G: Any, request: ExportRequest, out: Path, pseudonyms: Pseudonymiser,
                  progress: Progress) -> ExportResult:
    import json

    from graph.stores.transfer import export_lines

    count = 0
    with atomic_open(out) as handle:
        if request.reveal:
            for line in export_lines(store):
                handle.write(line + "\n")
                count += 1
        else:
            gp = GraphPseudonyms(pseudonyms, disclosure(G))
            records = list(pseudonymised_records(store.dump(), gp))
            order = {"node": 0, "narrative": 1, "edge": 2, "merged": 3}
            records.sort(key=lambda r: (order[r["kind"]], r.get("id") or r.get("source_id") or r.get("old")))
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
                if count % 5000 == 0:
                    progress(count, len(records))
    progress(count, count)
    return ExportResult("graph", request.reveal, count, [out])


def _export_ftm(store: Any, G: Any, request: ExportRequest, out: Path, pseudonyms: Pseudonymiser,
                progress: Progress) -> ExportResult:
    from sharing.ftm_export import export_ftm

    with atomic_open(out) as handle:
        count = export_ftm(store, handle, pseudonyms, request.reveal, progress,
                           policy=None if request.reveal else disclosure(G))
    return ExportResult("ftm", request.reveal, count, [out])


def _export_synthetic(store: Any, G: Any, request: ExportRequest, out: Path, organisation_types: Mapping[str, str],
                      progress: Progress) -> ExportResult:
    """Synthetic victim cases under differential privacy (``sharing.synthetic``) in the folder ``out``:
    ``synthetic.csv`` (HTCDS columns) and the utility and privacy report beside it."""
    from sharing.cases import case_frame
    from sharing.synthetic import SyntheticInputError, synthesise

    frame = case_frame(victim_cases(G, organisation_types))
    stages = [0]

    def step(message: str) -> None:
        stages[0] += 1
        progress(min(stages[0], SYNTHETIC_STAGES - 1), SYNTHETIC_STAGES)

    try:
        records, report = synthesise(frame, request.epsilon, step=step)
    except SyntheticInputError as error:
        raise ExportError(str(error)) from None
    out.mkdir(parents=True, exist_ok=True)
    with atomic_open(out / "synthetic.csv") as handle:
        records.to_csv(handle, index=False)
    with atomic_open(out / "synthetic.report.json") as handle:
        handle.write(report.to_json() + "\n")
    with atomic_open(out / "synthetic.report.md") as handle:
        handle.write(report.to_markdown())
    progress(SYNTHETIC_STAGES, SYNTHETIC_STAGES)
    return ExportResult("synthetic", False, len(records),
                        [out / "synthetic.csv", out / "synthetic.report.json", out / "synthetic.report.md"])


def run_export(store: Any, request: ExportRequest, out: Path, pseudonyms: Pseudonymiser, *,
               organisation_types: Mapping[str, str] | None = None,
               progress: Progress = lambda done, total: None) -> ExportResult:
    """Write the export ``request`` asks for to ``out`` (see the module docstring): HTCDS to a ``.csv`` or
    ``.json`` file, or to a folder with both and a README; FtM and graph to a JSON-lines file; synthetic to a
    folder (the records and their report)."""
    request.check()
    G = store.project()  # every format reads the projection; an empty graph is refused before any file is made
    if not _narratives(G):
        raise ExportError("the graph holds no narrative to export; ingest narratives first")
    if request.format == "htcds":
        return _export_htcds(store, G, request, out, pseudonyms, organisation_types or {}, progress)
    if request.format == "graph":
        return _export_graph(store, G, request, out, pseudonyms, progress)
    if request.format == "synthetic":
        return _export_synthetic(store, G, request, out, organisation_types or {}, progress)
    return _export_ftm(store, G, request, out, pseudonyms, progress)
