"""``sightline mpc``: joint computations with other organisations' Sightlines (docs/mpc.md).

One process per party. Every party runs the same command with the same ``--party`` list (in index order)
and its own ``--index``; each reads only its own home. A thin shell over ``multiparty``: check the request,
run the computation, write the result whole or not at all, audit, and print a summary.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cli.console import EXIT_FAILURE, fail, stderr
from state.settings import get_settings

app = typer.Typer(help="Joint computations with other organisations over secure multi-party computation "
                       "(MPyC): nothing but secret shares leaves this machine.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

Parties = Annotated[list[str], typer.Option("--party", help="HOST:PORT of a party; once per party, in index order, "
                                                            "the same list for every party.")]
Index = Annotated[int, typer.Option("--index", help="This party's place in the --party list (from 0).")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write the result here as JSON.")]
Capacity = Annotated[int | None, typer.Option("--capacity", help="Most identifiers any party brings (public, the same "
                                                                 "for every party; default SIGHTLINE_MPC_CAPACITY).")]
Salt = Annotated[str | None, typer.Option("--salt", help="Public session salt, the same for every party (default: "
                                                         "the computation and today's UTC date).")]
Timeout = Annotated[float | None, typer.Option("--timeout", help="Seconds to wait for the parties and for each phase "
                                                                 "(default SIGHTLINE_MPC_TIMEOUT).")]
TlsDir = Annotated[Path | None, typer.Option("--tls-dir", help="Folder with ca.crt, party.crt, party.key (default "
                                                               "SIGHTLINE_MPC_TLS_DIR; unset: plain TCP).")]
Marks = Annotated[bool | None, typer.Option("--analysis-marks/--no-analysis-marks",
                                           help="Also bring everyone the analysis gives an exploiting role, with "
                                                "their identifiers (default SIGHTLINE_SCREENING_ANALYSIS_MARKS).")]
SHOWN = 20  # own identifiers listed on the terminal; all of them go to --output

Bind = Annotated[str | None, typer.Option("--bind", help="Address to listen on (default: this party's own host).")]


def _federation(parties: list[str], index: int, tls_dir: Path | None, bind: str | None) -> Any:
    from multiparty.parties import PartyError, federation

    settings = get_settings()
    try:
        return federation(parties, index, bind=bind, tls_dir=tls_dir or settings.mpc_tls_dir)
    except PartyError as error:
        raise fail(str(error)) from None


def _run(fed: Any, timeout: float | None, computation: Any) -> Any:
    from multiparty.errors import MpcError
    from multiparty.session import run
    from multiparty.tls import TlsError

    settings = get_settings()
    try:
        with stderr.status("starting") as status:
            return run(fed, timeout or settings.mpc_timeout, computation,
                       on_phase=lambda phase: _phase(status, f"party {fed.index}: {phase}"))
    except TlsError as error:
        raise fail(str(error)) from None
    except MpcError as error:
        _audit(computation.name, fed, "failed", None)
        raise fail(str(error), EXIT_FAILURE) from None


def _phase(status: Any, line: str) -> None:
    """A spinner on a terminal; one line per phase in a log (a service manager, a test reading stderr)."""
    if stderr.is_terminal:
        status.update(line)
    else:
        stderr.print(line, highlight=False)


def _write(outcome: Any, output: Path | None) -> None:
    """The result file appears whole or not at all (a temporary file renamed into place)."""
    if output is None:
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".mpc-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(outcome.to_json(), out, indent=2, ensure_ascii=False)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _audit(name: str, fed: Any, outcome: str, records: int | None) -> None:
    """Every joint computation is in this party's own audit log: what, with how many parties, the outcome."""
    from state.audit import AuditLog
    from state.secrets import audit_key

    settings = get_settings()
    db = settings.api_database()
    try:
        AuditLog(db, audit_key(settings)).record(
            request_id=f"cli-{uuid.uuid4().hex[:12]}", key_id=None, organisation="(command line)", role="cli",
            method="CLI", route=f"sightline mpc {name}", params={"parties": fed.size, "outcome": outcome,
                                                                 "records": records},
            result_count=records)
    finally:
        db.close()


def _reader(marks: bool | None) -> Callable[[], set[str]]:
    def read() -> set[str]:
        from multiparty.inputs import flagged_identifiers

        return flagged_identifiers(get_settings(), analysis_marks=marks)
    return read


def _identifier_args(capacity: int | None, salt: str | None, name: str) -> tuple[int, str]:
    from multiparty.session import default_salt

    settings = get_settings()
    return capacity or settings.mpc_capacity, salt or default_salt(name)


def _finish(outcome: Any, fed: Any, output: Path | None, records: int, rows: list[tuple[str, str]]) -> None:
    _write(outcome, output)
    _audit(outcome.computation, fed, "completed", records)
    table = Table(title=f"sightline mpc {outcome.computation}: party {fed.index} of {fed.size}", show_header=False)
    for label, value in rows:
        table.add_row(label, value)
    table.add_row("time", f"{outcome.seconds:.1f} s")
    table.add_row("sent by this party", f"{outcome.bytes_sent / 1e6:.1f} MB")
    if output is not None:
        table.add_row("written to", str(output))
    stderr.print(table)


@app.command()
def overlap(parties: Parties, index: Index, output: Output = None, capacity: Capacity = None, salt: Salt = None,
            analysis_marks: Marks = None, timeout: Timeout = None, tls_dir: TlsDir = None, bind: Bind = None) -> None:
    """How many flagged identifiers each pair of parties, and all of them, have in common (by kind); with
    every party's opt-in (SIGHTLINE_MPC_REVEAL_OVERLAP), which of your own ones each other party holds."""
    from multiparty import computations

    fed = _federation(parties, index, tls_dir, bind)
    size, session_salt = _identifier_args(capacity, salt, "overlap")
    computation = computations.overlap(_reader(analysis_marks), index=fed.index, parties=fed.size, capacity=size,
                                       salt=session_salt, reveal=get_settings().mpc_reveal_overlap)
    outcome = _run(fed, timeout, computation)
    result = outcome.result
    rows = [("your identifiers", str(result["identifiers"]))]
    rows += [(f"in common: parties {a} and {b}", str(pair["total"])) for pair in result["pairs"]
             for a, b in [pair["parties"]]]
    rows.append(("in common: all parties", str(result["all_parties"]["total"])))
    rows.append(("which ones", "yes (every party opted in)" if result["which_ones"] else "no (counts only)"))
    shared = result.get("shared_with", {})
    rows += [(f"  yours: {key}", "held by parties " + ", ".join(map(str, held)))
             for key, held in list(shared.items())[:SHOWN]]
    if len(shared) > SHOWN:
        rows.append(("  ...", f"{len(shared) - SHOWN} more in the --output file"))
    _finish(outcome, fed, output, result["identifiers"], rows)


@app.command("key-actors")
def key_actors(parties: Parties, index: Index,
               min_orgs: Annotated[int, typer.Option("--min-orgs", help="Identifiers held by at least this many "
                                                                        "organisations (from 2).")],
               output: Output = None, capacity: Capacity = None, salt: Salt = None, analysis_marks: Marks = None,
               timeout: Timeout = None, tls_dir: TlsDir = None, bind: Bind = None) -> None:
    """Which of your own flagged identifiers at least --min-orgs organisations hold, and how many such
    identifiers there are in all; nobody learns identifiers they do not hold."""
    from multiparty import computations

    fed = _federation(parties, index, tls_dir, bind)
    size, session_salt = _identifier_args(capacity, salt, "key-actors")
    try:
        computation = computations.key_actors(_reader(analysis_marks), index=fed.index, parties=fed.size, capacity=size,
                                              salt=session_salt, min_orgs=min_orgs)
    except ValueError as error:
        raise fail(str(error)) from None
    outcome = _run(fed, timeout, computation)
    result = outcome.result
    rows = [("your identifiers", str(result["identifiers"])),
            (f"held by at least {min_orgs} organisations (all parties)", str(result["distinct_key_actors"])),
            ("of them yours", str(len(result["yours"])))]
    rows += [("  yours", key) for key in result["yours"][:SHOWN]]
    if len(result["yours"]) > SHOWN:
        rows.append(("  ...", f"{len(result['yours']) - SHOWN} more in the --output file"))
    _finish(outcome, fed, output, result["identifiers"], rows)


@app.command()
def stats(parties: Parties, index: Index,
          by: Annotated[str, typer.Option("--by", help="Fields, comma-separated: origin, destination, type, year.")]
          = "origin,destination,type,year",
          countries: Annotated[str | None, typer.Option("--countries", help="The countries of the table, ISO codes "
                                                                            "comma-separated (default: all).")] = None,
          years: Annotated[str, typer.Option("--years", help="FIRST-LAST year of the table.")] = "2018-2026",
          k: Annotated[int | None, typer.Option("--k", help="Publish a cell only with at least k victims from "
                                                            "organisations other than its largest contributor "
                                                            "(default SIGHTLINE_SHARE_K).")] = None,
          output: Output = None, timeout: Timeout = None, tls_dir: TlsDir = None, bind: Bind = None) -> None:
    """Victims by corridor, type of exploitation and year, summed across parties, with every cell under k
    suppressed inside the computation."""
    from multiparty import computations, joint_stats
    from multiparty.inputs import victim_cases
    from sharing.aggregates import AggregateError, check_k

    settings = get_settings()
    fed = _federation(parties, index, tls_dir, bind)
    try:
        first, _, last = years.partition("-")
        span = (int(first), int(last or first))
    except ValueError:
        raise fail("--years must be FIRST-LAST, like 2018-2026") from None
    try:
        table = joint_stats.domain(by.split(","), countries=countries.split(",") if countries else None, years=span)
        threshold = check_k(settings.share_k if k is None else k)
    except (joint_stats.StatsError, AggregateError) as error:
        raise fail(str(error)) from None
    outcome = _run(fed, timeout, computations.stats(lambda: victim_cases(settings), table=table, k=threshold,
                                                      parties=fed.size))
    result = outcome.result
    rows = [("cells", f"{result['cells']:,}"), ("published", str(len(result["published"]))),
            ("suppressed", f"{result['suppressed']:,}"),
            ("victims in published cells", str(sum(c["victims"] for c in result["published"])))]
    _finish(outcome, fed, output, result["your_cases"], rows)


@app.command("tls-ca")
def tls_ca(out: Annotated[Path, typer.Option("--out", help="Folder for ca.crt and ca.key (the coordinator's).")]) -> None:
    """Create the federation's certificate authority (run once, by the coordinator, who keeps ca.key)."""
    from multiparty.tls import TlsError, create_ca

    try:
        certificate, key = create_ca(out)
    except TlsError as error:
        raise fail(str(error)) from None
    stderr.print(f"wrote {certificate} (give it to every party) and {key} (keep it; never send it)")


@app.command("tls-request")
def tls_request(index: Index,
                out: Annotated[Path, typer.Option("--out", help="This party's TLS folder.")]) -> None:
    """Create this party's private key (stays here) and a signing request to send to the coordinator."""
    from multiparty.tls import TlsError, create_request

    try:
        key, request = create_request(out, index)
    except TlsError as error:
        raise fail(str(error)) from None
    stderr.print(f"wrote {key} (never leaves this machine) and {request} (send it to the coordinator)")


@app.command("tls-sign")
def tls_sign(ca: Annotated[Path, typer.Option("--ca", help="The coordinator's folder with ca.crt and ca.key.")],
             csr: Annotated[Path, typer.Option("--csr", help="A party's party.csr.")], index: Index,
             out: Annotated[Path, typer.Option("--out", help="Where to write the party's certificate.")],
             days: Annotated[int, typer.Option("--days", min=1, max=825, help="Days the certificate is valid.")] = 365,
             ) -> None:
    """Sign a party's request as party --index (the coordinator; the request must name that index)."""
    from multiparty.tls import TlsError, sign_request

    try:
        written = sign_request(ca, csr, index, out, days=days)
    except TlsError as error:
        raise fail(str(error)) from None
    stderr.print(f"wrote {written}: send it back to party {index} as party.crt, with ca.crt")
