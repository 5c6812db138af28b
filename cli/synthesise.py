"""`sightline synthesise`: a differentially private synthetic release of the graph's victim cases.

A thin shell over ``sharing.synthetic.synthesise``: read the victim cases (only narratives whose consent
shares), synthesise, write the CSV and the utility and privacy report atomically (nothing half-written),
audit the read. See docs/sharing.md for the guarantee and its limits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from cli.console import EXIT_FAILURE, fail, progress, stderr
from state.settings import get_settings

STAGES = 8  # the step messages sharing.synthetic sends, for the progress bar


def _years(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", text)
    if not match:
        raise fail("--years must look like 2000-2026")
    return int(match[1]), int(match[2])


def synthesise(
    output_path: Annotated[Path | None, typer.Option("--output", "-o", help="Write the synthetic records to this CSV "
                                                     "(default: stdout).")] = None,
    epsilon: Annotated[float | None, typer.Option("--epsilon", help="Privacy budget (default: the setting "
                                                  "SIGHTLINE_SYNTHETIC_EPSILON). Smaller: more private, less accurate.")] = None,
    delta: Annotated[float, typer.Option("--delta", help="The delta of (epsilon, delta)-DP.")] = 1e-6,
    records: Annotated[int | None, typer.Option("--records", help="How many records (default: a noisy estimate of "
                                                "the number of cases).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sampling (the DP noise is never seeded).")] = 0,
    report_path: Annotated[Path | None, typer.Option("--report", help="Write the report here as Markdown, and as JSON "
                                                     "beside it (default: next to --output).")] = None,
    years: Annotated[str | None, typer.Option("--years", help="The public year range, e.g. 2000-2026 "
                                              "(default: 2000 to this year).")] = None,
    rows_per_victim: Annotated[int, typer.Option("--rows-per-victim", help="Most case rows one victim contributes "
                                                 "(the privacy unit is one victim).")] = 1,
    iterations: Annotated[int, typer.Option("--iterations", help="Model-fitting steps (private-pgm).")] = 1000,
    pure_dp: Annotated[bool, typer.Option("--pure-dp", help="Do not replace synthetic records equal to a real unique "
                                          "case on the quasi-identifiers (that filter is outside the DP guarantee).")] = False,
) -> None:
    """Synthetic victim-case records (HTCDS columns) under differential privacy, with a report."""
    from cli.graph import _store
    from cli.share import _db, audit
    from graph.atomic_file import atomic_open, write_atomic
    from graph.stores.protocol import StoreError
    from sharing.cases import case_frame, cases_from_store
    from sharing.synthetic import SyntheticInputError
    from sharing.synthetic import synthesise as run

    settings = get_settings()
    span = _years(years)
    budget = settings.synthetic_epsilon if epsilon is None else epsilon
    if report_path is None and output_path is not None:
        report_path = output_path.with_suffix(".report.md")
    if report_path is not None and report_path.suffix.lower() != ".md":
        raise fail("--report must name a .md file (the JSON is written beside it)")
    store = _store(settings)
    try:
        with progress() as bar:
            task = bar.add_task("reading victim cases", total=STAGES)
            frame = case_frame(cases_from_store(store, settings.organisation_type_map()))

            def step(message: str) -> None:
                bar.update(task, description=message, advance=1)

            bar.advance(task)
            records_out, report = run(frame, budget, seed, delta=delta, records=records, years=span,
                                      rows_per_victim=rows_per_victim, iterations=iterations,
                                      avoid_real_uniques=not pure_dp, step=step)
            bar.update(task, description="writing", completed=STAGES)
    except SyntheticInputError as error:
        raise fail(f"{error}; nothing was written") from None
    except StoreError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    finally:
        store.close()
    if output_path is None:
        typer.echo(records_out.to_csv(index=False), nl=False)
    else:
        with atomic_open(output_path) as handle:
            records_out.to_csv(handle, index=False)
    if report_path is not None:
        write_atomic(report_path.with_suffix(".json"), report.to_json() + "\n")
        write_atomic(report_path, report.to_markdown())
    db = _db()
    try:
        audit(db, None, "CLI synthesise", {"epsilon": report.epsilon, "delta": report.delta, "seed": seed,
                                           "records": len(records_out)}, len(frame))
    finally:
        db.close()
    where = f" to {output_path}" if output_path else ""
    stderr.print(f"wrote {len(records_out)} synthetic record(s){where} at epsilon {report.epsilon:.3g}, "
                 f"delta {report.delta:.2g}" + (f"; report: {report_path}" if report_path else ""))
