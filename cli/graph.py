"""The graph commands: ``ingest``, ``stats``, ``resolve``, ``delete-narrative``, ``analyse`` and ``report``.

Thin shells over ``graph`` and ``reports``: read the settings, open the configured store, call the library,
print the outcome. ``make run`` chains ingest -> analyse -> report.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.console import EXIT_FAILURE, fail, progress, stderr
from graph import pipeline
from graph.atomic_file import write_atomic
from intake.readers import InputError
from intake.sources import open_source
from state.settings import Settings, get_settings

if TYPE_CHECKING:
    from graph.build import NarrativeMeta
    from graph.stores.protocol import GraphStore
    from nlp import Narrative

ANALYSIS_FILE = "analysis.json"


def _store(settings: Settings):  # noqa: ANN202 - returns the GraphStore protocol
    from graph.stores.factory import open_configured_store
    from graph.stores.protocol import StoreError

    try:
        return open_configured_store(settings.store_config())
    except StoreError as error:
        raise fail(str(error), EXIT_FAILURE) from None


def ingest(
    input: Annotated[Path, typer.Argument(help="A folder of .txt/.docx/.pdf (with an optional metadata.csv), "
                                               "a JSON lines file, or one document.")],
    n_process: Annotated[int | None, typer.Option(help="Worker processes for the NER pipeline.")] = None,
) -> None:
    """Extract every narrative and write it into the graph; narratives already stored are skipped. A narrative
    whose metadata gives no consent to share (consent other than given/yes/anonymised) is not written, and is
    taken out of the graph if an earlier run wrote it (consent withdrawn)."""
    from graph.pipeline.ingest import ingest as run_ingest
    from graph.stores.protocol import ConflictError, StoreError
    from intake.consent import shares
    from nlp import Extractor, ModelNotFound
    from nlp.extract import content_hash

    settings = get_settings()
    try:
        source = open_source(input)
        total = source.count()
    except InputError as error:
        raise fail(str(error)) from None
    store = _store(settings)
    thresholds = settings.thresholds()
    done = 0
    withheld: list[str] = []  # content hashes of narratives without consent to share

    def consented(submissions: Iterable[tuple[Narrative, NarrativeMeta]]) -> Iterator[tuple[Narrative, NarrativeMeta]]:
        for narrative, meta in submissions:
            if shares(meta.consent):
                yield narrative, meta
            else:
                withheld.append(content_hash(narrative.text))
                advance(1)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        bar.advance(task, n)

    try:
        with progress() as bar:
            task = bar.add_task(f"ingesting {input.name}", total=total)
            report = run_ingest(consented(source.submissions(settings.max_text_chars)), store,
                                Extractor(settings.extractor_config()),
                                batch_size=settings.ingest_batch, n_process=n_process or settings.n_process,
                                thresholds=thresholds, on_progress=advance)
        removed = _withdraw(store, settings, withheld)
    except (InputError, ConflictError) as error:
        raise fail(f"{error} (the {done} narrative(s) before it are stored; fix the input and run again: "
                   "stored narratives are skipped)") from None
    except ModelNotFound as error:
        raise fail(str(error), EXIT_FAILURE) from None
    except StoreError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    finally:
        store.close()
    if withheld:
        stderr.print(f"{len(withheld)} narrative(s) without consent to share not written to the graph"
                     + (f"; {removed} written by an earlier run taken out of it" if removed else ""))
    stderr.print(f"ingested {len(report.written)} narrative(s), {len(report.skipped)} already stored; "
                 f"{report.merged} person mention(s) resolved to known people, "
                 f"{report.candidates} possible duplicate(s) to review (sightline resolve)")


def _withdraw(store: GraphStore, settings: Settings, digests: list[str]) -> int:
    """Take out of the graph the narratives among ``digests`` an earlier run wrote (their consent was
    withdrawn since), as deletion does, watchlist included; how many there were."""
    from intake.deletion import remove_from_graph

    stored = [d for d in dict.fromkeys(digests) if store.has_narrative(d)]
    if not stored:
        return 0
    db = settings.api_database() if settings.has_api_database else None
    try:
        for digest in stored:
            remove_from_graph(store, db, digest, settings.thresholds(),
                              f"{getpass.getuser()} (sightline ingest, consent withdrawn)")
    finally:
        if db is not None:
            db.close()
    return len(stored)


def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Node and relationship counts per label and type."""
    store = _store(get_settings())
    try:
        counts = store.stats()
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(counts, indent=2, sort_keys=True))
        return
    table = Table("label / type", "count", title=f"{counts['narratives']} narrative(s)")
    for label, n in counts["nodes"].items():
        table.add_row(label, str(n))
    for type_, n in counts["relationships"].items():
        table.add_row(f"[dim]-[{type_}]->[/]", str(n))
    stderr.print(table)


def resolve(
    confirm: Annotated[tuple[str, str] | None, typer.Option(help="Merge two people: ID_A ID_B.")] = None,
    reject: Annotated[tuple[str, str] | None, typer.Option(help="Mark two people as different: ID_A ID_B.")] = None,
    by: Annotated[str | None, typer.Option(help="Who decides (recorded with the decision).")] = None,
    status: Annotated[str, typer.Option(help="List pairs with this status: pending, confirmed, rejected.")] = "pending",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List POSSIBLY_SAME_AS pairs for review, or confirm / reject one. Decisions persist across ingests."""
    from graph.stores.protocol import StoreError

    if confirm and reject:
        raise fail("give --confirm or --reject, not both")
    store = _store(get_settings())
    try:
        if confirm or reject:
            a, b = confirm or reject  # type: ignore[misc]
            decision = "confirmed" if confirm else "rejected"
            try:
                pipeline.decide(store, a, b, decision, by or getpass.getuser())
            except StoreError as error:
                raise fail(str(error)) from None
            stderr.print(f"{decision}: {a} and {b}")
            return
        pairs = store.pairs(None if status == "all" else status)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps([{"a": p.a.id, "a_name": p.a.name, "b": p.b.id, "b_name": p.b.name, "score": p.score,
                                "reason": p.reason, "status": p.status} for p in pairs], indent=2, ensure_ascii=False))
        return
    table = Table("score", "a", "b", "reason", title=f"{len(pairs)} {status} pair(s)")
    for pair in pairs:
        table.add_row(f"{pair.score:.2f}", f"{pair.a.name}\n[dim]{pair.a.id}[/]", f"{pair.b.name}\n[dim]{pair.b.id}[/]",
                      pair.reason)
    stderr.print(table)


def delete_narrative(
    narrative_id: Annotated[str, typer.Argument(help="The narrative's id: the graph's (as ingested) or the API's.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print what changed as JSON.")] = False,
) -> None:
    """Delete a narrative and everything derived only from it, from the graph and from the API's records in
    SIGHTLINE_HOME (the audit log stays). The graph becomes what ingesting the other narratives gives."""
    from graph.stores.protocol import StoreError
    from intake.deletion import NarrativeNotFound, NarrativeStillQueued, delete_narrative as delete_everywhere

    settings = get_settings()
    db = settings.api_database() if settings.has_api_database else None
    store = _store(settings)
    try:
        deleted = delete_everywhere(store, db, narrative_id, settings.thresholds(),
                                    f"{getpass.getuser()} (sightline delete-narrative)")
    except NarrativeNotFound:
        raise fail(f"no narrative {narrative_id!r} in the graph or the API's records") from None
    except NarrativeStillQueued as queued:
        raise fail(f"narrative {narrative_id!r} is still queued in job {queued.job_id}; delete it when the job is "
                   "done") from None
    except StoreError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    finally:
        store.close()
        if db is not None:
            db.close()
    change, removed = deleted.change, deleted.api_records_deleted
    summary = {"graph_id": change.source_id, "nodes_deleted": change.nodes_deleted, "nodes_changed": change.nodes_changed,
               "relationships_deleted": change.edges_deleted, "relationships_changed": change.edges_changed,
               "people_renamed": change.renamed, "people_apart": change.split, "people_joined": change.joined,
               "api_records_deleted": removed, "watchlist_changed": deleted.watchlist_changed}
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    stderr.print(f"deleted {narrative_id}: {len(change.nodes_deleted)} node(s) and {change.edges_deleted} "
                 f"relationship(s) only it supported, {len(change.nodes_changed)} node(s) and {change.edges_changed} "
                 f"relationship(s) kept without it, {len(change.renamed)} person id(s) renamed, "
                 f"{removed} API record(s)")


def analyse(
    seed: Annotated[int | None, typer.Option(help="Louvain seed (default SIGHTLINE_LOUVAIN_SEED).")] = None,
    resolution: Annotated[float | None, typer.Option(help="Louvain resolution.")] = None,
    method: Annotated[str, typer.Option(help="python-louvain or networkx.")] = "python-louvain",
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole result as JSON.")] = False,
) -> None:
    """Communities, key actors, brokers, corridors, hotspots and exposure; saved for `sightline report`."""
    from graph.analysis import analyse as run_analysis

    if method not in ("python-louvain", "networkx"):
        raise fail("--method must be python-louvain or networkx")
    settings = get_settings()
    store = _store(settings)
    try:
        with progress() as bar:
            task = bar.add_task("projecting the graph", total=2)
            graph = store.project()
            fingerprint = store.stats()
            bar.update(task, advance=1, description="analysing")
            result = run_analysis(graph, resolution=resolution or settings.louvain_resolution,
                                  seed=settings.louvain_seed if seed is None else seed, method=method,
                                  top_actors=settings.top_actors, exposure_params=settings.exposure_params(),
                                  backend=settings.analysis_backend)  # type: ignore[arg-type]
            bar.advance(task)
    finally:
        store.close()
    result.parameters["graph"] = {"narratives": fingerprint["narratives"], "nodes": fingerprint["total_nodes"],
                                  "relationships": fingerprint["total_relationships"]}
    write_atomic(settings.home / ANALYSIS_FILE, result.to_json())
    if as_json:
        typer.echo(result.to_json())
    stderr.print(f"{len(result.communities)} communities (modularity {result.modularity:.3f}), "
                 f"{len(result.corridors)} corridors, {len(result.hotspots)} hotspots; saved to "
                 f"{settings.home / ANALYSIS_FILE}")


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.md, report.html, report.pdf.")] = Path("out"),
    formats: Annotated[str, typer.Option("--formats", help="Comma-separated: md,html,pdf.")] = "md,html,pdf",
    yardstick: Annotated[str | None, typer.Option(help="PHIA or ICD203 (default SIGHTLINE_REPORT_YARDSTICK).")] = None,
    reveal_names: Annotated[bool, typer.Option("--reveal-names", help="Print victims' real names (explicit opt-in).")] = False,
) -> None:
    """Write the Key Judgement report from the last `sightline analyse`."""
    from graph.analysis.results import AnalysisResult
    from reports.render import render_report
    from state.secrets import PSEUDONYM, SecretsError, secret

    settings = get_settings()
    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    if not chosen or set(chosen) - {"md", "html", "pdf"}:
        raise fail("--formats takes md, html and/or pdf, comma-separated")
    yardstick = (yardstick or settings.report_yardstick).upper()
    if yardstick not in ("PHIA", "ICD203"):
        raise fail("--yardstick must be PHIA or ICD203")
    saved = settings.home / ANALYSIS_FILE
    if not saved.exists():
        raise fail(f"no analysis in {settings.home}; run `sightline analyse` first")
    try:
        analysis = AnalysisResult.from_dict(json.loads(saved.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as error:
        raise fail(f"{saved}: not a readable analysis ({error}); run `sightline analyse` again") from None
    store = _store(settings)
    try:
        graph = store.project()
        current = store.stats()
    finally:
        store.close()
    if analysis.parameters.get("graph", {}).get("narratives") != current["narratives"]:
        stderr.print("[yellow]warning:[/] the graph changed since the last analysis; run `sightline analyse` again")
    try:
        key = secret(settings, PSEUDONYM)
    except SecretsError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    stderr.print(key.describe(), soft_wrap=True, markup=False, highlight=False)
    with progress() as bar:
        task = bar.add_task("rendering the report", total=1)
        paths = render_report(analysis, graph, out, yardstick=yardstick, reveal_names=reveal_names or settings.report_reveal_names,
                              pseudonym_key=key.value, formats=tuple(chosen))
        bar.advance(task)
    for kind, path in paths.items():
        typer.echo(f"{kind}: {path}")


def import_(
    input: Annotated[Path, typer.Argument(help="JSON lines written by `sightline export` (graph or FtM format).")],
    batch: Annotated[int, typer.Option(help="Records per transaction (graph format).")] = 2000,
    format: Annotated[str, typer.Option("--format", help="graph (the graph's own JSON lines) or ftm "
                                                          "(FollowTheMoney entities, one per line).")] = "graph",
    bulk: Annotated[bool, typer.Option("--bulk", help="First load into a new, empty local Neo4j with Neo4j's own "
                                                      "import tool (stops and restarts it); later imports "
                                                      "go without --bulk.")] = False,
) -> None:
    """Load an exported graph into the configured store; importing the same file twice changes nothing. The
    whole file is checked before anything is written; an FtM file is written in one transaction. With --bulk
    a large first load is written straight into the local Neo4j's files, many times faster."""
    from graph.stores.protocol import StoreError
    from graph.stores.transfer import TransferError, load_batches, parse_lines

    if format not in ("graph", "ftm"):
        raise fail("unknown import format; use --format graph or --format ftm")
    if not input.is_file():
        raise fail(f"{input}: no such file")
    if format == "ftm":
        if bulk:
            raise fail("--bulk takes the graph format only (an export from `sightline export --format graph`)")
        return _import_ftm(input)
    settings = get_settings()
    if bulk and (settings.store != "neo4j" or settings.neo4j_uri):
        raise fail("--bulk writes the local Neo4j's database files: set SIGHTLINE_STORE=neo4j and leave "
                   "SIGHTLINE_NEO4J_URI unset (a remote server loads CSV with its own neo4j-admin)")
    try:
        with input.open(encoding="utf-8") as handle:
            records = list(parse_lines(handle, str(input)))  # the whole file is checked before anything is written
    except (TransferError, UnicodeDecodeError) as error:
        raise fail(f"{error}; nothing was imported") from None
    if bulk:
        return _import_bulk(input, records, settings)
    store = _store(settings)
    try:
        with progress() as bar:
            task = bar.add_task(f"importing {input.name}", total=len(records))
            load_batches(store, records, batch, lambda n: bar.advance(task, n))
    except StoreError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    finally:
        store.close()
    stderr.print(f"imported {len(records)} record(s) from {input}")


def _import_bulk(input: Path, records: list[dict[str, object]], settings: Settings) -> None:
    """``sightline import --bulk``: ``graph.stores.bulk_import`` writes a new local Neo4j database, then the
    server runs again with the schema in place, ready for increments through the normal path."""
    from graph.stores.bulk_import import BulkImportError, bulk_import_local

    try:
        with progress() as bar:
            task = bar.add_task(f"bulk importing {input.name}", total=100)
            report = bulk_import_local(records, settings.local_neo4j(), on_stage=lambda what, share: bar.update(
                task, description=what, completed=round(share * 100)))
    except BulkImportError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    seconds = report.csv_seconds + report.import_seconds + report.index_seconds
    stderr.print(f"bulk imported {report.nodes} node(s) and {report.relationships} relationship(s) from {input} in "
                 f"{seconds:.1f} s (import tool {report.import_seconds:.1f} s, indexes {report.index_seconds:.1f} s); "
                 f"the local Neo4j runs at {report.uri}")


def _import_ftm(input: Path) -> None:
    """``sightline import --format ftm``: ``sharing.ftm_import`` reads and checks the file, then writes it."""
    from graph.stores.protocol import StoreError
    from sharing.ftm_import import read_ftm, write
    from sharing.ftm_read import FtmFileError

    try:
        imported = read_ftm(input)
    except FtmFileError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"{input}: cannot be read ({error.strerror}); nothing was imported") from None
    store = _store(get_settings())
    try:
        with progress() as bar:
            task = bar.add_task(f"importing {input.name}", total=len(imported.records))
            write(store, imported, lambda n: bar.advance(task, n))
    except StoreError as error:
        raise fail(f"{error}; nothing was imported", EXIT_FAILURE) from None
    finally:
        store.close()
    stderr.print(f"imported {imported.entities} FtM entities from {input}: {imported.nodes} node(s), "
                 f"{imported.edges} relationship(s)")
