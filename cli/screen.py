"""``sightline screen`` (batch files), ``sightline watchlist`` (imported lists) and ``sightline partners``
(HMAC secrets for the privacy-preserving mode).

``screen`` runs in one of two places. On Sightline's own machine (no ``--url``) it screens against the
index built from ``SIGHTLINE_HOME``, audited as a command-line read. On a partner's machine (``--url`` and
``--api-key``, or ``SIGHTLINE_CLIENT_API_URL`` / ``SIGHTLINE_CLIENT_API_KEY``) it calls the API in batches
of 1,000; with ``--hashed`` it sends only keyed hashes of the identifiers, computed here with the key file,
and with ``--psi`` only blinded values (ECDH-PSI). The whole file is checked before anything is screened,
and the output is written atomically: a bad row or a failed request leaves no output behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from cli.console import EXIT_FAILURE, fail, progress, stderr
from state.settings import get_settings

watchlist_app = typer.Typer(help="Imported lists of flagged entities (screened alongside the analysts' watchlist).",
                            no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
partners_app = typer.Typer(help="Financial-sector partners: HMAC secrets for privacy-preserving screening.",
                           no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
CLI_WHO = "(command line)"


def _db() -> Any:
    from state.db import ApiDatabase

    return ApiDatabase(get_settings().api_db_path)


@contextmanager
def _service() -> Iterator[tuple[Any, Any]]:
    """A screening service over SIGHTLINE_HOME (and its database), closed afterwards."""
    from graph.stores.factory import open_configured_store
    from graph.stores.protocol import StoreError
    from screening.service import ScreeningService

    settings = get_settings()
    db = _db()
    try:
        store = open_configured_store(settings.store_config())
    except StoreError as error:
        db.close()
        raise fail(str(error), EXIT_FAILURE) from None
    try:
        yield ScreeningService(settings, db, lambda: store), db
    finally:
        store.close()
        db.close()


def _delete(remove: Callable[[Any], bool], route: str, params: dict[str, Any], missing: str) -> None:
    """Run ``remove(db)``; audit it, or fail with ``missing`` when there was nothing to remove."""
    db = _db()
    try:
        if not remove(db):
            raise fail(missing)
        _audit(db, route, params, 1)
    finally:
        db.close()


def _audit(db: Any, route: str, params: dict[str, Any], result_count: int | None) -> None:
    """Command-line work on Sightline's own data is audited like the API's (no key: the operator's shell)."""
    import uuid

    from state.audit import AuditLog

    settings = get_settings()
    AuditLog(db, settings.api_audit_key or settings.pseudonym_key).record(
        request_id=f"cli-{uuid.uuid4().hex[:12]}", key_id=None, organisation=CLI_WHO, role="cli", method="CLI",
        route=route, params=params, result_count=result_count)


# -- sightline screen ----------------------------------------------------------------------------------

def _read_rows(path: Path, default_region: str | None) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    from screening.client import SCREEN_COLUMNS, row_query
    from screening.lists import ImportFileError, check_columns, read_csv
    from screening.queries import QueryProblem

    try:
        frame = read_csv(path)
        check_columns(path, frame, SCREEN_COLUMNS)
    except ImportFileError as error:
        raise fail(str(error)) from None
    if frame.empty:
        raise fail(f"{path}: no rows to screen")
    if not set(frame.columns) & {"name", "phone", "email", "iban", "wallet"}:
        raise fail(f"{path}: nothing to screen: the file needs a name column or an identifier column "
                   "(phone, email, iban, wallet)")
    rows, problems = [], []
    for number, record in enumerate(frame.to_dict("records"), start=2):
        try:
            rows.append(row_query({k: str(v) for k, v in record.items()}, default_region))
        except QueryProblem as problem:
            problems.append(f"row {number}: {problem.field}: {problem.message}")
    if problems:
        shown = "\n".join(problems[:50]) + (f"\n... and {len(problems) - 50} more" if len(problems) > 50 else "")
        raise fail(f"{path}: {len(problems)} row(s) cannot be screened; nothing was written\n{shown}")
    return frame, rows


def _local(rows: list[dict[str, str]], bar: Any, task: Any) -> list[Any]:
    from screening.client import BATCH, Result
    from screening.queries import build_query

    settings = get_settings()
    with _service() as (service, db):
        out: list[Any] = []
        for start in range(0, len(rows), BATCH):
            built = [build_query(r, settings.default_region) for r in rows[start:start + BATCH]]
            matches = service.screen([q for q, _ in built])
            _audit(db, "cli: sightline screen", {"mode": "local", "queries": len(built),
                                                 "screened": [v for _, values in built for v in values]},
                   sum(m.matched for m in matches))
            out += [Result(m.matched, round(m.score, 4),
                           f"{m.matched_on.feature}:{m.matched_on.method}" if m.matched_on else "",
                           m.category or "", m.reference or "") for m in matches]
            bar.advance(task, len(built))
        return out


def _hashed(client: Any, rows: list[dict[str, str]], key_file: Path, bar: Any, task: Any) -> list[Any]:
    from screening.client import BATCH, NO_RESULT, hash_identifiers, row_identifiers
    from screening.partner_keys import SecretError, read_key_file

    try:
        secret = read_key_file(key_file)
    except SecretError as error:
        raise fail(str(error)) from None
    region = get_settings().default_region
    flat: list[tuple[int, str]] = []  # (row, hash)
    names = 0
    for number, fields in enumerate(rows):
        items = row_identifiers(fields, region)
        names += bool(fields.get("name"))
        if not items:
            raise fail(f"row {number + 2}: nothing to screen in hashed mode, which sends identifiers only "
                       "(phone, email, iban, wallet); nothing was written")
        flat += [(number, h) for h in hash_identifiers(secret, items) if h]
    if names:
        stderr.print(f"hashed mode screens identifiers only: the names of {names} row(s) were not sent")
    results = [NO_RESULT] * len(rows)
    for start in range(0, len(flat), BATCH):
        chunk = flat[start:start + BATCH]
        for (number, _), result in zip(chunk, client.screen_hashed([h for _, h in chunk])):
            if result.matched and not results[number].matched:
                results[number] = result
        bar.update(task, completed=min(len(rows), chunk[-1][0] + 1))
    return results


def _psi(client: Any, rows: list[dict[str, str]], bar: Any, task: Any) -> list[Any]:
    from screening.client import BATCH, NO_RESULT, row_identifiers
    from screening.keys import identifier_key

    region = get_settings().default_region
    flat: list[tuple[int, str, str, str]] = []  # (row, message, kind, key)
    for number, fields in enumerate(rows):
        items = row_identifiers(fields, region)
        if not items:
            raise fail(f"row {number + 2}: nothing to screen in PSI mode, which checks identifiers only; "
                       "nothing was written")
        for kind, value, item_region in items:  # noqa: B007
            key = identifier_key(kind, value, item_region)
            if key is not None:
                flat.append((number, f"{kind}:{key}", kind, key))
    results = [NO_RESULT] * len(rows)
    for start in range(0, len(flat), BATCH):
        chunk = flat[start:start + BATCH]
        hits = sorted(client.psi_matches([message for _, message, _, _ in chunk]))
        # Only identifiers PSI found flagged are then sent in clear, to learn their category and reference.
        follow = [chunk[i] for i in hits]
        if follow:
            answers = client.screen([{kind: key} for _, _, kind, key in follow])
            for (number, _, _, _), result in zip(follow, answers):
                if result.matched and not results[number].matched:
                    results[number] = result
        bar.update(task, completed=min(len(rows), chunk[-1][0] + 1))
    return results


def _remote(rows: list[dict[str, str]], url: str, api_key: str, hashed: bool, psi: bool, key_file: Path | None,
            bar: Any, task: Any) -> list[Any]:
    from screening.client import BATCH, Client

    client = Client(url, api_key)
    try:
        if hashed:
            assert key_file is not None
            return _hashed(client, rows, key_file, bar, task)
        if psi:
            return _psi(client, rows, bar, task)
        out: list[Any] = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            out += client.screen(chunk)
            bar.advance(task, len(chunk))
        return out
    finally:
        client.close()


def screen(
    input: Annotated[Path, typer.Argument(help="CSV with any of the columns id, name, birth_date, country, phone, "
                                               "email, iban, wallet (and kind, region).")],
    output_path: Annotated[Path, typer.Option("--output", "-o", help="Write the input columns plus matched, score, "
                                                                     "matched_on, category, reference here (CSV).")],
    url: Annotated[str | None, typer.Option(help="Screen through this Sightline API (a partner's machine); "
                                                 "default SIGHTLINE_CLIENT_API_URL, unset: screen locally.")] = None,
    api_key: Annotated[str | None, typer.Option(help="Partner API key for --url (default SIGHTLINE_CLIENT_API_KEY).")] = None,
    hashed: Annotated[bool, typer.Option("--hashed", help="Send only keyed hashes of the identifiers (needs --key-file).")] = False,
    key_file: Annotated[Path | None, typer.Option(help="The secret agreed with Sightline, for --hashed.")] = None,
    psi: Annotated[bool, typer.Option("--psi", help="Private set intersection: send only blinded identifiers.")] = False,
) -> None:
    """Screen a CSV file of identifiers, people and companies against the flagged entities."""
    from graph.atomic_file import atomic_open
    from screening.client import RESULT_COLUMNS, ScreenFileError

    settings = get_settings()
    url = url or settings.client_api_url
    api_key = api_key or settings.client_api_key
    if hashed and psi:
        raise fail("choose one of --hashed and --psi")
    if (hashed or psi) and not url:
        raise fail("--hashed and --psi screen through the API: give --url and --api-key (or set "
                   "SIGHTLINE_CLIENT_API_URL and SIGHTLINE_CLIENT_API_KEY)")
    if hashed and key_file is None:
        raise fail("--hashed needs --key-file, the secret agreed with Sightline (`sightline partners hmac-key`)")
    if url and not api_key:
        raise fail("--url needs --api-key (or SIGHTLINE_CLIENT_API_KEY): a partner key")
    frame, rows = _read_rows(input, settings.default_region)
    try:
        with progress() as bar:
            task = bar.add_task(f"screening {input.name}", total=len(rows))
            if url:
                results = _remote(rows, url, api_key or "", hashed, psi, key_file, bar, task)
            else:
                results = _local(rows, bar, task)
    except ScreenFileError as error:
        raise fail(f"{error}; nothing was written", EXIT_FAILURE) from None
    for column in RESULT_COLUMNS:
        frame[column] = [getattr(r, column) for r in results]
    frame["matched"] = frame["matched"].map(lambda v: "true" if v else "false")
    with atomic_open(output_path) as handle:
        frame.to_csv(handle, index=False)
    matched = sum(r.matched for r in results)
    stderr.print(f"screened {len(rows)} row(s): {matched} match(es); written to {output_path}")


# -- sightline watchlist ---------------------------------------------------------------------------

@watchlist_app.command("import")
def import_list(
    file: Annotated[Path, typer.Argument(help="CSV (reference, name, birth_date, country, phone, email, iban, wallet, "
                                              "kind) or FollowTheMoney JSON lines (.json, .jsonl, .ftm).")],
    category: Annotated[str, typer.Option(help="Category of concern partners are told, e.g. recruitment, sanctions.")],
    list_name: Annotated[str | None, typer.Option("--list", help="The list's name (default: the file name); "
                                                                 "importing the same name again replaces the list.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why the list is flagged (analysts only).")] = None,
    kind: Annotated[str, typer.Option(help="person or company, for CSV rows without a kind column.")] = "person",
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the valid rows and report the others "
                                                                      "(default: a file with a bad row imports nothing).")] = False,
) -> None:
    """Import a list of flagged entities; it replaces an earlier list of the same name in one transaction."""
    from screening.lists import FlaggedLists, ImportFileError, parse_file

    name = list_name or file.stem
    if kind not in ("person", "company"):
        raise fail("--kind must be person or company")
    try:
        parsed = parse_file(file, name, category, reason or f"on the imported list {name!r} ({file.name})",
                            get_settings().default_region, kind, skip_invalid)
    except ImportFileError as error:
        raise fail(str(error)) from None
    db = _db()
    try:
        replaced = FlaggedLists(db).replace(name, category, file.name, parsed.entities, CLI_WHO)
        _audit(db, "cli: sightline watchlist import", {"list": name, "category": category,
                                                       "items": len(parsed.entities)}, len(parsed.entities))
    finally:
        db.close()
    for problem in parsed.problems[:50]:
        stderr.print(f"skipped {problem}", highlight=False)
    note = f"; it replaces the previous list {name!r} ({replaced} entities)" if replaced is not None else " (a new list)"
    extra = f"; {parsed.ignored} record(s) of other FollowTheMoney schemas ignored" if parsed.ignored else ""
    skipped = f"; {len(parsed.problems)} invalid row(s) skipped" if parsed.problems else ""
    typer.echo(f"imported {len(parsed.entities)} flagged entities as list {name!r}, category {category}{note}"
               f"{skipped}{extra}")


@watchlist_app.command("lists")
def lists() -> None:
    """The imported lists."""
    from screening.lists import FlaggedLists

    db = _db()
    try:
        found = FlaggedLists(db).lists()
    finally:
        db.close()
    table = Table("list", "category", "entities", "file", "imported", "by", title=f"{len(found)} imported list(s)")
    for item in found:
        table.add_row(item.name, item.category, str(item.entries), item.source, item.imported_at[:19], item.imported_by)
    stderr.print(table)


@watchlist_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="The list's name.")]) -> None:
    """Delete an imported list; screening stops matching it at once (every server process)."""
    from screening.lists import FlaggedLists

    _delete(lambda db: FlaggedLists(db).remove(name), "cli: sightline watchlist remove", {"list": name},
            f"no imported list {name!r} (see `sightline watchlist lists`)")
    typer.echo(f"removed the list {name!r}")


@watchlist_app.command("lookup")
def lookup(reference: Annotated[str, typer.Argument(help="The reference a partner quoted.")]) -> None:
    """For analysts following up a partner's call: the flagged entity behind a reference, with its reason."""
    with _service() as (service, db):
        entity = service.entity(reference)
        _audit(db, "cli: sightline watchlist lookup", {"reference": reference}, int(entity is not None))
    if entity is None:
        raise fail(f"no flagged entity has the reference {reference!r} (it may have been removed)")
    typer.echo(f"{entity.reference}: {entity.kind} {entity.name or ''}".rstrip())
    typer.echo(f"  source: {entity.source}; category: {entity.category}; internal id: {entity.id}")
    typer.echo(f"  reason: {entity.reason}")
    for kind, values in entity.identifiers.items():
        typer.echo(f"  {kind}: {', '.join(values)}")


@watchlist_app.command("status")
def status() -> None:
    """How many flagged entities screening holds, by source, and how many were withheld as victims'."""
    with _service() as (service, _):
        stats = service.stats()
    settings = get_settings()
    by_source = ", ".join(f"{source} {count}" for source, count in sorted(stats["by_source"].items())) or "none"
    typer.echo(f"{stats['flagged']} flagged entities ({by_source}); {stats['withheld']} had identifiers withheld because "
               f"a victim uses them (victims themselves are never flagged); analysis marks "
               f"{'on' if settings.screening_analysis_marks else 'off'}")


# -- sightline partners ----------------------------------------------------------------------------

@partners_app.command("hmac-key")
def hmac_key(
    org: Annotated[str, typer.Argument(help="The partner's organisation, as on its API keys.")],
    rotate: Annotated[bool, typer.Option("--rotate", help="Replace the existing secret (old hashes stop matching).")] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the secret to this key file (mode 600).")] = None,
) -> None:
    """Create (or show, or rotate) the organisation's HMAC secret; printed alone on the last line."""
    from graph.atomic_file import write_atomic
    from screening.partner_keys import PartnerSecrets
    from state.keys import KeyRequestError

    db = _db()
    try:
        secret, new = PartnerSecrets(db).create(org, rotate=rotate)
        _audit(db, "cli: sightline partners hmac-key", {"organisation": org, "new_key": new}, 1)
    except KeyRequestError as error:
        raise fail(str(error)) from None
    finally:
        db.close()
    if out is not None:
        write_atomic(out, secret + "\n")
        os.chmod(out, 0o600)
    typer.echo(f"{'created' if new else 'existing'} HMAC secret for {org!r}. Hand it to the partner over a channel "
               "you trust; it can compute hashes of any identifier.")
    typer.echo(secret)


@partners_app.command("revoke-hmac-key")
def revoke_hmac_key(org: Annotated[str, typer.Argument(help="The partner's organisation.")]) -> None:
    """Delete the organisation's HMAC secret: hashed screening stops working for it at once."""
    from screening.partner_keys import PartnerSecrets

    _delete(lambda db: PartnerSecrets(db).revoke(org), "cli: sightline partners revoke-hmac-key",
            {"organisation": org}, f"{org!r} has no HMAC secret")
    typer.echo(f"revoked the HMAC secret of {org!r}")
