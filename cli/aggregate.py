"""``sightline aggregate``: a k-anonymous table of victims and cases, written as CSV (docs/sharing.md).

A thin shell over ``sharing.aggregates``: check the request before anything is opened or written, read the
configured graph's victim cases, release the table through the ledger in ``api.sqlite`` (the same one the
API's ``/v1/aggregates`` uses, so the command line cannot be used to difference the API's releases), write
the CSV whole or not at all, audit, and print a summary.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.console import EXIT_FAILURE, fail, stderr
from state.settings import get_settings


def aggregate(
    by: Annotated[str, typer.Option("--by", help="Fields to count by, comma-separated: year, country_of_origin, "
                                                 "country_of_exploitation, type_of_exploitation, "
                                                 "method_of_control, age_band, sex (at most 4).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the published table here (CSV).")],
    k: Annotated[int | None, typer.Option("--k", help="Suppress cells under k victims (default "
                                                       "SIGHTLINE_SHARE_K, 11; at least 5).")] = None,
) -> None:
    """Count victims and cases by the given fields with small cells suppressed (and the cells that would
    give them away), margins included; suppressed counts are empty with suppressed=True."""
    from sharing.aggregates import AggregateError, check_k, frame_of_store, parse_by
    from sharing.aggregates import aggregate as build

    settings = get_settings()
    try:
        fields = parse_by(by)
        threshold = check_k(settings.share_k if k is None else k)
    except AggregateError as error:
        raise fail(str(error)) from None
    if output.is_dir():
        raise fail("the output path is a folder; give a file name ending in .csv")
    from cli.graph import _store
    from sharing.release_ledger import ReleaseLedger

    store = _store(settings)
    db = settings.api_database()
    try:
        frame = frame_of_store(store)
        try:
            table = build(frame, fields, threshold, ReleaseLedger(db))
        except AggregateError as error:
            raise fail(str(error)) from None
        try:
            table.write_csv(output)
        except OSError as error:
            raise fail(f"could not write the table: {error.strerror or error}", EXIT_FAILURE) from None
        _audit(db, fields, threshold, len(table.cells), table.suppressed)
    finally:
        db.close()
        store.close()
    _summary(table, output)


def _audit(db: object, fields: tuple[str, ...], k: int, cells: int, suppressed: int) -> None:
    """Aggregate releases from the shell are audited like the API's (no key: the operator's shell)."""
    from state.audit import AuditLog
    from state.secrets import audit_key

    AuditLog(db, audit_key(get_settings())).record(  # type: ignore[arg-type]
        request_id=f"cli-{uuid.uuid4().hex[:12]}", key_id=None, organisation="(command line)", role="cli",
        method="CLI", route="sightline aggregate", params={"by": list(fields), "k": k, "suppressed": suppressed},
        result_count=cells)


def _summary(table: object, output: Path) -> None:
    from sharing.aggregates import TOTAL, AggregateTable

    assert isinstance(table, AggregateTable)
    reasons = Counter(c.reason for c in table.cells if c.suppressed)
    grand = next(c for c in table.cells if all(v == TOTAL for v in c.values))
    summary = Table(title=f"aggregate by {', '.join(table.by)} (k = {table.k})", show_header=False)
    summary.add_row("cells (with margins)", str(len(table.cells)))
    summary.add_row("published", str(len(table.cells) - table.suppressed))
    summary.add_row("suppressed: under k", str(reasons.get("primary", 0)))
    summary.add_row("suppressed: would give a small cell away", str(reasons.get("secondary", 0)))
    summary.add_row("suppressed: held until more narratives", str(reasons.get("held", 0)))
    summary.add_row("victims (grand total)", "suppressed" if grand.suppressed else str(grand.victims))
    summary.add_row("cases (grand total)", "suppressed" if grand.suppressed else str(grand.cases))
    stderr.print(summary)
    stderr.print(f"wrote {output}")
