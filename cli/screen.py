"""``sightline watchlist`` (imported lists) and ``sightline partners`` (HMAC secrets for the
privacy-preserving mode); ``sightline screen`` (batch files) is in ``cli/screen_batch.py`` and uses this
module's service and audit helpers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cli.console import EXIT_FAILURE, fail, stderr
from state.settings import get_settings

watchlist_app = typer.Typer(help="Imported lists of flagged entities (screened alongside the analysts' watchlist).",
                            no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
partners_app = typer.Typer(help="Financial-sector partners: HMAC secrets for privacy-preserving screening.",
                           no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
CLI_WHO = "(command line)"


def _db() -> Any:

    return get_settings().api_database()


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


def _partner_secrets(db: Any) -> Any:
    """The partners' HMAC secrets in ``db``, encrypted under the deployment's key (``state.secrets``), which is
    created on first use; says where that key comes from."""
    from screening.partner_keys import PartnerSecrets
    from state.secrets import PARTNER_SECRETS, partner_cipher_keys, secret

    settings = get_settings()
    stderr.print(secret(settings, PARTNER_SECRETS).describe(), soft_wrap=True, markup=False, highlight=False)
    return PartnerSecrets(db, lambda: partner_cipher_keys(settings))


def _victim_rule_warnings(db: Any, entities: list[Any]) -> list[str]:
    """One line per imported identifier the victim rule withholds (a victim uses it in the graph), naming the
    rule and the list's reference, never the victim; a note instead if the graph cannot be read."""
    from graph.stores.factory import open_configured_store
    from graph.stores.protocol import StoreError
    from screening.flagged import import_warnings
    from screening.victim_rule import ControlDecisions

    try:
        store = open_configured_store(get_settings().store_config())
    except StoreError as error:
        return [f"the victim rule could not be checked ({error}); `sightline watchlist status` counts what it withholds"]
    try:
        found = import_warnings(entities, store, ControlDecisions(db).keys())
    finally:
        store.close()
    return [f"{entity.reference}: {w.message}" for entity in entities for w in found.get(entity.id, [])]


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
    from state.secrets import audit_key

    AuditLog(db, audit_key(get_settings())).record(
        request_id=f"cli-{uuid.uuid4().hex[:12]}", key_id=None, organisation=CLI_WHO, role="cli", method="CLI",
        route=route, params=params, result_count=result_count)


# -- sightline screen: cli/screen_batch.py ------------------------------------------------------------


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
        rule_warnings = _victim_rule_warnings(db, parsed.entities)
        replaced = FlaggedLists(db).replace(name, category, file.name, parsed.entities, CLI_WHO)
        _audit(db, "cli: sightline watchlist import", {"list": name, "category": category,
                                                       "items": len(parsed.entities)}, len(parsed.entities))
    finally:
        db.close()
    for problem in parsed.problems[:50]:
        stderr.print(f"skipped {problem}", highlight=False)
    for warning in rule_warnings[:50]:
        stderr.print(f"warning: {warning}", highlight=False, soft_wrap=True)
    if len(rule_warnings) > 50:
        stderr.print(f"warning: ... and {len(rule_warnings) - 50} more identifier(s) withheld by the victim rule")
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
    from state.keys import KeyRequestError
    from state.secrets import SecretsError

    db = _db()
    try:
        secret, new = _partner_secrets(db).create(org, rotate=rotate)
        _audit(db, "cli: sightline partners hmac-key", {"organisation": org, "new_key": new}, 1)
    except (KeyRequestError, SecretsError, ValueError) as error:
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
    _delete(lambda db: _partner_secrets(db).revoke(org), "cli: sightline partners revoke-hmac-key",
            {"organisation": org}, f"{org!r} has no HMAC secret")
    typer.echo(f"revoked the HMAC secret of {org!r}")
