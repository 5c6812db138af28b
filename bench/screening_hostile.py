"""A hostile partner file screened end to end: ``sightline screen`` on 100,000 rows, 5% of them broken.

    .venv/bin/python bench/screening_hostile.py                 # 100,000 rows
    .venv/bin/python bench/screening_hostile.py --rows 20000

Builds the file with ``evaluation.screening_hostile`` (UTF-8 with BOM, ``;``, a bank's column names, usual
country names and date forms; 5% of the rows with a bad date, an unknown country, no name, a name in
Windows-1252 or a field of thousands of characters), imports the evaluation set's 2,000 flagged entities
as a list into a fresh ``SIGHTLINE_HOME``, and runs ``sightline screen FILE -o OUT`` as a subprocess, as a
person would. Then it checks the output: every row present, every good row screened without a warning,
every broken row with the warning its breakage calls for, no traceback, and the audit log holding the
batch once. It reports rows per second of wall time and per CPU second of the screening process (one
process, one thread: per CPU second is per core).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd

from evaluation import screening_eval as ev
from evaluation import screening_hostile as hostile

LIST_COLUMNS = ("reference", "name", "birth_date", "country", "phone", "email", "iban", "wallet", "kind")


def sightline(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIGHTLINE_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env, capture_output=True, check=False,
                          text=True, timeout=3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    evaluation = ev.read()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        listed = work / "flagged.csv"
        pd.DataFrame([{"reference": e.reference, "name": e.name or "", "birth_date": e.birth_date or "",
                       "country": e.country or "", "kind": e.kind,
                       **{k: "|".join(e.identifiers.get(k, ())) for k in ("phone", "email", "iban", "wallet")}}
                      for e in evaluation.flagged], columns=LIST_COLUMNS).to_csv(listed, index=False)
        home = work / "home"
        done = sightline(home, "watchlist", "import", str(listed), "--category", "recruitment", "--list", "eval")
        assert done.returncode == 0, done.stderr
        made = hostile.build(args.rows, evaluation.flagged)
        source, out = work / "customers.csv", work / "results.csv"
        source.write_bytes(made.data)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = sightline(home, "screen", str(source), "-o", str(out))
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
        frame = pd.read_csv(out, sep=",", dtype=str, keep_default_na=False)
        with sqlite3.connect(home / "api.sqlite") as db:
            audited = db.execute("SELECT COUNT(*) FROM audit WHERE route = 'cli: sightline screen'").fetchone()[0]
    assert len(frame) == args.rows, (len(frame), args.rows)
    failures: list[str] = []
    counts: dict[str, int] = {}
    for kind, (_, row) in zip(made.kinds, frame.iterrows()):
        counts[kind] = counts.get(kind, 0) + 1
        if kind in ("good", "flagged"):
            if row["screened"] != "true" or row["warnings"]:
                failures.append(f"{row['customer_id']}: good row {row['screened']} {row['warnings'][:120]}")
        elif hostile.BROKEN_KINDS[kind] not in row["warnings"]:
            failures.append(f"{row['customer_id']}: {kind} without its reason: {row['warnings'][:120]}")
    screened = int((frame["screened"] == "true").sum())
    names = int(((frame["screened"] == "true") & (frame["full_name"] != "")).sum())
    matched = int((frame["matched"] == "true").sum())
    found = sum(1 for kind, (_, row) in zip(made.kinds, frame.iterrows()) if kind == "flagged" and row["matched"] == "true")
    print(f"rows: {args.rows:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))})")
    print(f"screened: {screened:,} ({names:,} with a name); not screened: {args.rows - screened:,}; "
          f"matches: {matched:,} (flagged rows found: {found:,} of {counts.get('flagged', 0):,})")
    print(f"failures: {len(failures)}" + "".join(f"\n  {f}" for f in failures[:10]))
    print(f"audit records for the batch: {audited}")
    print(f"time: {wall:.1f} s wall, {cpu:.1f} s CPU; {args.rows / wall:,.0f} rows/s wall, "
          f"{args.rows / cpu:,.0f} rows per CPU second (per core); {names / cpu:,.0f} name rows per CPU second")
    if failures or audited != 1:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
