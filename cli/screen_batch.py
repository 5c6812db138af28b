"""``sightline screen``: a partner's customer file screened row by row.

It runs in one of two places. On Sightline's own machine (no ``--url``) it screens against the index
built from ``SIGHTLINE_HOME`` and audits the file once as a command-line read. On a partner's machine
(``--url`` and ``--api-key``, or ``SIGHTLINE_CLIENT_API_URL`` / ``SIGHTLINE_CLIENT_API_KEY``) it calls the
API in batches of 1,000; with ``--hashed`` it sends only keyed hashes of the identifiers, computed here
with the key file, and with ``--psi`` only blinded values (ECDH-PSI).

The file is read by ``screening.batch`` (CSV in any encoding and separator, or Excel). A value that cannot
be read is left out of its row with a warning in the output's ``warnings`` column; a row with nothing left
to screen is answered ``screened=false`` with its reasons; the rest is screened. ``--strict`` makes the
file all or nothing. The output is written atomically: a failed request leaves no output behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli.console import EXIT_FAILURE, fail, progress, stderr
from cli.screen import _audit, _service
from state.settings import get_settings


def _local(rows: list[Any], require_dob_match: bool, bar: Any, task: Any) -> list[Any]:
    """Screen in-process; the whole file is one audit record."""
    from screening.client import BATCH, Result

    with _service() as (service, db):
        out: list[Any] = []
        screened: list[str] = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            matches = service.screen([row.read.query for row in chunk], require_dob_match=require_dob_match)
            out += [Result.from_match(m) for m in matches]
            screened += [v for row in chunk for v in row.read.audited]
            bar.advance(task, len(chunk))
        _audit(db, "cli: sightline screen", {"mode": "local", "queries": len(rows), "screened": screened,
                                             "require_dob_match": require_dob_match},
               sum(r.matched for r in out))
        return out


def _identifier_rows(rows: list[Any], default_region: str | None, mode: str) -> tuple[list[Any], list[list[str]]]:
    """Per row, the identifiers the privacy modes send, or the reason it has none."""
    from screening.client import row_identifiers

    items, reasons = [], []
    for row in rows:
        found = row_identifiers(row.read.fields, default_region)
        items.append(found)
        reasons.append([] if found else [(f"{mode} mode screens identifiers only (phone, email, iban, wallet) "
                                          "and this row has none; not screened")])
    return items, reasons


def _hashed(client: Any, items: list[Any], key_file: Path, bar: Any, task: Any) -> list[Any]:
    from screening.client import BATCH, NO_RESULT, hash_identifiers
    from screening.partner_keys import SecretError, read_key_file

    try:
        secret = read_key_file(key_file)
    except SecretError as error:
        raise fail(str(error)) from None
    flat = [(number, h) for number, found in enumerate(items) for h in hash_identifiers(secret, found) if h]
    results = [NO_RESULT] * len(items)
    for start in range(0, len(flat), BATCH):
        chunk = flat[start:start + BATCH]
        for (number, _), result in zip(chunk, client.screen_hashed([h for _, h in chunk])):
            if result.matched and not results[number].matched:
                results[number] = result
        bar.update(task, completed=min(len(items), chunk[-1][0] + 1))
    return results


def _psi(client: Any, items: list[Any], bar: Any, task: Any) -> list[Any]:
    from screening.client import BATCH, NO_RESULT
    from screening.keys import identifier_key

    flat: list[tuple[int, str, str, str]] = []  # (row, message, kind, key)
    for number, found in enumerate(items):
        for kind, value, item_region in found:
            key = identifier_key(kind, value, item_region)
            if key is not None:
                flat.append((number, f"{kind}:{key}", kind, key))
    results = [NO_RESULT] * len(items)
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
        bar.update(task, completed=min(len(items), chunk[-1][0] + 1))
    return results


def _remote(rows: list[Any], url: str, api_key: str, mode: str, key_file: Path | None, require_dob_match: bool,
            bar: Any, task: Any) -> tuple[list[Any], list[list[str]]]:
    """Results for ``rows`` (all screenable) and, per row, the reasons a privacy mode could not screen it."""
    from screening.client import BATCH, Client

    client = Client(url, api_key)
    try:
        if mode in ("hashed", "PSI"):
            items, reasons = _identifier_rows(rows, get_settings().default_region, mode)
            if mode == "hashed":
                assert key_file is not None
                return _hashed(client, items, key_file, bar, task), reasons
            return _psi(client, items, bar, task), reasons
        out: list[Any] = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            out += client.screen([row.read.fields for row in chunk], require_dob_match=require_dob_match)
            bar.advance(task, len(chunk))
        return out, [[] for _ in rows]
    finally:
        client.close()


def screen(
    input: Annotated[Path, typer.Argument(help="CSV (any encoding; ',', ';' or tab) or Excel .xlsx with any of the "
                                               "columns id, name, birth_date, country, phone, email, iban, wallet "
                                               "(and kind, region).")],
    output_path: Annotated[Path, typer.Option("--output", "-o", help="Write the input columns plus screened, matched, "
                                                                     "score, matched_on, category, reference, "
                                                                     "explanation, warnings here (CSV, or .xlsx).")],
    url: Annotated[str | None, typer.Option(help="Screen through this Sightline API (a partner's machine); "
                                                 "default SIGHTLINE_CLIENT_API_URL, unset: screen locally.")] = None,
    api_key: Annotated[str | None, typer.Option(help="Partner API key for --url (default SIGHTLINE_CLIENT_API_KEY).")] = None,
    hashed: Annotated[bool, typer.Option("--hashed", help="Send only keyed hashes of the identifiers (needs --key-file).")] = False,
    key_file: Annotated[Path | None, typer.Option(help="The secret agreed with Sightline, for --hashed.")] = None,
    psi: Annotated[bool, typer.Option("--psi", help="Private set intersection: send only blinded identifiers.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="All or nothing: a value that cannot be read fails the "
                                                          "whole file (default: it is left out of its row, with a "
                                                          "warning).")] = False,
    require_dob_match: Annotated[bool, typer.Option("--require-dob-match", help="A date of birth that conflicts with "
                                                                                "the flagged one vetoes a name match "
                                                                                "(default: it lowers the score).")] = False,
) -> None:
    """Screen a file of identifiers, people and companies against the flagged entities, row by row."""
    from graph.atomic_file import atomic_open
    from screening.batch import BatchError, read_batch
    from screening.client import RESULT_COLUMNS, ScreenFileError, not_screened

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
    try:
        batch = read_batch(input, settings.default_region, strict=strict)
    except BatchError as error:
        raise fail(str(error)) from None
    for note in batch.notes:
        stderr.print(f"{input.name}: {note}", highlight=False, markup=False)
    usable = [row for row in batch.rows if row.screenable]
    mode = "hashed" if hashed else "PSI" if psi else "plain"
    try:
        with progress() as bar:
            task = bar.add_task(f"screening {input.name}", total=len(usable))
            if url:
                answers, reasons = _remote(usable, url, api_key or "", mode, key_file, require_dob_match, bar, task)
            else:
                answers, reasons = _local(usable, require_dob_match, bar, task), [[] for _ in usable]
    except ScreenFileError as error:
        raise fail(f"{error}; nothing was written", EXIT_FAILURE) from None
    if strict and any(reasons):
        raise fail(f"{sum(bool(r) for r in reasons)} row(s) have no identifier to screen in {mode} mode; "
                   "nothing was written")
    by_row = iter(zip(answers, reasons))
    results = []
    for row in batch.rows:
        if not row.screenable:
            results.append(not_screened(row.warnings))
            continue
        answer, reason = next(by_row)
        results.append(not_screened(row.warnings + reason) if reason else answer.warned(row.warnings))
    frame = batch.table.frame
    for column in RESULT_COLUMNS:
        frame[column] = [getattr(r, column) for r in results]
    for column in ("screened", "matched"):
        frame[column] = frame[column].map(lambda v: "true" if v else "false")
    with atomic_open(output_path, "wb") as handle:
        if output_path.suffix.lower() == ".xlsx":
            frame.to_excel(handle, index=False, engine="openpyxl")
        else:
            handle.write(frame.to_csv(index=False).encode("utf-8"))
    matched = sum(r.matched for r in results)
    skipped = sum(not r.screened for r in results)
    warned = sum(bool(r.warnings) and r.screened for r in results)
    stderr.print(f"screened {len(results) - skipped} of {len(results)} row(s): {matched} match(es); "
                 f"{warned} screened with warnings, {skipped} not screened (see the warnings column); "
                 f"written to {output_path}", highlight=False, markup=False)
