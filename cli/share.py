"""`sightline export`: HTCDS, FollowTheMoney or graph JSON lines, pseudonymised unless revealed.

A revealed export (``--reveal``) carries victims' names: it needs an administrator's API key (from
``SIGHTLINE_ADMIN_KEY``, or typed at a hidden prompt) and a reason, and is written to the audit log with
both, as the API's revealed exports are. Every export is audited, revealed or not.
"""

from __future__ import annotations

import getpass
import os
import sys
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.console import EXIT_FAILURE, fail, progress, stderr
from state.settings import get_settings

ADMIN_KEY_ENV = "SIGHTLINE_ADMIN_KEY"
CLI_WHO = "(command line)"


def _db() -> Any:

    return get_settings().api_database()


def administrator(db: Any) -> Any:
    """The administrator key whose secret the operator gives, or a failure that says what is needed."""
    from state.keys import KeyStore

    presented = os.environ.get(ADMIN_KEY_ENV)
    if not presented:
        if not sys.stdin.isatty():
            raise fail(f"--reveal needs an administrator's API key: set {ADMIN_KEY_ENV} or run it in a terminal")
        presented = getpass.getpass("Administrator API key: ")
    key = KeyStore(db).authenticate(presented.strip())
    if key is None or key.role != "admin":
        raise fail("--reveal needs an active administrator API key; this one is not")
    return key


def audit(db: Any, key: Any, route: str, params: dict[str, Any], result_count: int | None, outcome: str = "ok") -> None:
    from state.audit import AuditLog
    from state.secrets import audit_key

    AuditLog(db, audit_key(get_settings())).record(
        request_id=f"cli-{uuid.uuid4().hex[:12]}", key_id=key.id if key else None,
        organisation=key.organisation if key else CLI_WHO, role=key.role if key else "cli", method="CLI",
        route=route, params=params, outcome=outcome, result_count=result_count)


def pseudonymiser(key_file: Path | None) -> Any:
    from sharing.pseudonyms import Pseudonymiser
    from state.secrets import export_key

    if key_file is None:
        return Pseudonymiser.from_secret(export_key(get_settings()))
    try:
        return Pseudonymiser.from_secret(key_file.read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        raise fail("--key-file: cannot read that file") from None
    except ValueError as error:
        raise fail(f"--key-file: {error}") from None


def export(
    output_path: Annotated[Path, typer.Option("--output", "-o", help="Where to write: HTCDS to a .csv or .json file "
                                              "or to a folder (both, and a README); ftm and graph to a JSON-lines file.")],
    format: Annotated[str, typer.Option("--format", "-f", help="htcds, ftm or graph.")] = "graph",
    reveal: Annotated[bool, typer.Option("--reveal", help="Names and values as they are (administrator key and "
                                         "--reason needed; audited). Default: pseudonymised.")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why a revealed export is needed (audited).")] = None,
    key_file: Annotated[Path | None, typer.Option("--key-file", help="A file holding the pseudonym key for this "
                                                  "recipient (default: the deployment's export key).")] = None,
) -> None:
    """Export the graph for sharing: HTCDS victim cases, FollowTheMoney entities, or the graph's own JSON
    lines (docs/sharing.md). Pseudonymised by default; only narratives whose consent shares."""
    from graph.stores.protocol import StoreError
    from sharing.exports import ExportError, ExportRequest, run_export

    from cli.graph import _store

    request = ExportRequest(format.strip().lower(), reveal, reason)
    try:
        request.check()
    except ExportError as error:
        raise fail(str(error)) from None
    settings = get_settings()
    db = _db()
    try:
        key = administrator(db) if reveal else None
        pseudonyms = pseudonymiser(key_file)
        store = _store(settings)
        try:
            with progress() as bar:
                task = bar.add_task(f"exporting {request.format}", total=None)
                result = run_export(store, request, output_path, pseudonyms,
                                    organisation_types=settings.organisation_type_map(),
                                    progress=lambda done, total: bar.update(task, completed=done, total=total))
        except ExportError as error:
            audit(db, key, "CLI export", {"format": request.format, "reveal": reveal, "reason": reason}, 0, "refused")
            raise fail(f"{error}; nothing was written") from None
        except StoreError as error:
            raise fail(str(error), EXIT_FAILURE) from None
        finally:
            store.close()
        audit(db, key, "CLI export", {"format": request.format, "reveal": reveal, "reason": reason}, result.records)
    finally:
        db.close()
    state = "REVEALED (names included)" if reveal else "pseudonymised"
    stderr.print(f"exported {result.records} {request.format} record(s), {state}, to "
                 + ", ".join(str(p) for p in result.files))
