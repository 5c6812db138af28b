"""Cost of the multi-party computations (issue 19): wall time, bytes sent and peak memory per party.

    python -m bench.mpc [--sizes 1000,10000,100000] [--parties 3,5] [--quick] [--json FILE]

Every party is a process of its own (``bench/mpc_party.py``) on 127.0.0.1, ports picked free at run time,
running exactly what ``sightline mpc`` runs. All parties of a run share this machine's cores, so a figure is
the cost of the whole federation on one machine, not of one organisation on its own server.

- **Overlap counts** (``computations.overlap(..., reveal=False)``) for every number of parties and size: each
  party holds ``size`` identifiers (capacity = size) of five kinds; 5% are held by every party, 5% more by
  each pair, the rest by that party alone, so the true counts are known. The MPC result must equal the
  plain computation on the pooled sets (``identifier_protocols.expected_overlap``) exactly.
- **Key actors** (min_orgs 2), **overlap with reveal** (ordered pairs) at 3 parties x 10,000, and the **joint
  statistics** (10 countries x 12 types x 9 years, 22,176 cells with ``other``/``unknown``) at 3 parties:
  what each costs next to the overlap count, also checked exactly against the plain computation.

The baseline is the plain computation on the pooled data, timed in this process in the same run; a party's
own table building (local, before it connects) is reported apart from the protocol. A configuration is
stopped (and recorded as not run, with the growth measured at the smaller sizes) when it runs past
``--max-minutes`` or the parties together hold more than ``--max-gb`` resident; one predicted from the
smaller sizes to exceed twice a limit is not started.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from bench import mpc_party

EXTRA_SIZE = 10_000
STATS_VICTIMS = 5_000  # per party; the cost depends on the table's cells, not on the victims
console = Console()


@dataclass(frozen=True, slots=True)
class Config:
    computation: str
    parties: int
    size: int

    @property
    def label(self) -> str:
        unit = "victims" if self.computation == "stats" else "identifiers"
        return f"{self.computation}, {self.parties} parties x {self.size:,} {unit}"


def free_ports(count: int) -> list[int]:
    """Ports the kernel hands out as free now (closed again before the parties bind them)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- the plain computations on the pooled data ------------------------------------------------------------

def plain(config: Config) -> tuple[float, Any]:
    """The answer in the clear on the pooled inputs, and how long computing it took (generation excluded)."""
    from multiparty import identifier_protocols, joint_stats

    m = config.parties
    if config.computation == "stats":
        every = [mpc_party.cases(i, config.size) for i in range(m)]
        table = mpc_party.stats_domain()
        from state.settings import get_settings

        started = time.perf_counter()
        counts = [joint_stats.local_counts(c, table) for c in every]
        release = joint_stats.expected_table(counts, table, get_settings().share_k)
        return time.perf_counter() - started, release
    sets = [mpc_party.party_set(i, m, config.size) for i in range(m)]
    started = time.perf_counter()
    if config.computation == "overlap":
        answer: Any = identifier_protocols.expected_overlap(sets)
    elif config.computation == "overlap-reveal":
        answer = {"counts": identifier_protocols.expected_overlap(sets),
                  "shared_with": [{k: [b for b in range(m) if b != a and k in sets[b]] for k in sorted(sets[a])
                                   if any(k in sets[b] for b in range(m) if b != a)} for a in range(m)]}
    else:
        held = Counter(k for s in sets for k in s)
        answer = {"distinct_key_actors": sum(1 for n in held.values() if n >= 2),
                  "yours": [sorted(k for k in s if held[k] >= 2) for s in sets]}
    return time.perf_counter() - started, answer


def check(config: Config, answer: Any, outputs: list[dict[str, Any]]) -> bool:
    """Does every party's MPC result equal the plain answer, exactly?"""
    ok = True
    for out in outputs:
        r, a = out["result"], out["party"]
        if config.computation == "stats":
            ok &= {k: r[k] for k in answer} == answer
        elif config.computation == "overlap":
            ok &= r["pairs"] == answer["pairs"] and r["all_parties"] == answer["all_parties"]
        elif config.computation == "overlap-reveal":
            counts = answer["counts"]
            ok &= r["pairs"] == counts["pairs"] and r["all_parties"] == counts["all_parties"]
            ok &= r["which_ones"] is True and r["shared_with"] == answer["shared_with"][a]
        else:
            ok &= r["distinct_key_actors"] == answer["distinct_key_actors"] and r["yours"] == answer["yours"][a]
    return bool(ok)


# --- one configuration ------------------------------------------------------------------------------------

def run(config: Config, progress: Progress, task: Any, max_seconds: float, max_mb: float) -> dict[str, Any]:
    """Start the parties, watch their time and memory, and gather their reports."""
    plain_seconds, answer = plain(config)
    addresses = [f"127.0.0.1:{p}" for p in free_ports(config.parties)]
    command = [sys.executable, "-m", "bench.mpc_party", "--computation", config.computation,
               "--size", str(config.size), "--timeout", str(max_seconds * 2)]
    for a in addresses:
        command += ["--party", a]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    started = time.perf_counter()
    children = [subprocess.Popen([*command, "--index", str(i)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for i in range(config.parties)]
    peak_total, stopped = 0.0, ""
    while any(c.poll() is None for c in children):
        total = sum(_rss_mb(c.pid) for c in children if c.poll() is None)
        peak_total = max(peak_total, total)
        elapsed = time.perf_counter() - started
        progress.update(task, description=f"{config.label}: {elapsed:,.0f} s, {total / 1024:.1f} GB resident")
        if elapsed > max_seconds or total > max_mb:
            stopped = (f"stopped after {elapsed:,.0f} s (limit {max_seconds:,.0f} s)" if elapsed > max_seconds
                       else f"stopped at {total / 1024:.1f} GB resident (limit {max_mb / 1024:.0f} GB)")
            for c in children:
                if c.poll() is None:
                    c.kill()
            break
        time.sleep(0.25)
    wall = time.perf_counter() - started
    outputs, errors = [], []
    for c in children:
        stdout, stderr = c.communicate()
        lines = [line for line in stdout.splitlines() if line.startswith("{")]
        if c.returncode == 0 and lines:
            outputs.append(json.loads(lines[-1]))
        else:
            errors.append(f"party exited {c.returncode}: {stderr.strip().splitlines()[-1:] or ''}")
    row: dict[str, Any] = {"computation": config.computation, "parties": config.parties, "size": config.size,
                           "plain_seconds": round(plain_seconds, 4), "wall_seconds": round(wall, 2),
                           "peak_rss_all_parties_mb": round(peak_total, 1)}
    if config.computation != "stats":
        from multiparty import tables

        row.update(bins=tables.n_bins(config.size), slots=tables.n_slots(config.size))
    if stopped or errors:
        row.update(status="not run", reason=stopped or "; ".join(errors))
        return row
    outputs.sort(key=lambda o: o["party"])
    mpc = max(o["seconds"] for o in outputs)
    prepare = max(o["prepare_seconds"] for o in outputs)
    row.update(status="ok", correct=check(config, answer, outputs),
               mpc_seconds=round(mpc, 2), prepare_seconds=round(prepare, 3),
               bytes_sent_per_party=round(sum(o["bytes_sent"] for o in outputs) / len(outputs)),
               peak_rss_per_party_mb=max(o["peak_rss_mb"] for o in outputs),
               ratio_to_plain=round((mpc + prepare) / plain_seconds, 1) if plain_seconds else None,
               per_party=[{k: o[k] for k in ("party", "prepare_seconds", "seconds", "bytes_sent", "peak_rss_mb")}
                          for o in outputs],
               summary=_summary(config, outputs[0]["result"]))
    return row


def _summary(config: Config, result: dict[str, Any]) -> dict[str, Any]:
    if config.computation == "stats":
        return {"cells": result["cells"], "published": len(result["published"]), "suppressed": result["suppressed"]}
    if config.computation == "key-actors":
        return {"distinct_key_actors": result["distinct_key_actors"], "party_0_own": len(result["yours"])}
    summary = {"pair_totals": [p["total"] for p in result["pairs"]], "all_parties": result["all_parties"]["total"]}
    if "shared_with" in result:
        summary["party_0_shared_keys"] = len(result["shared_with"])
    return summary


# --- growth and the plan ------------------------------------------------------------------------------------

def _slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares exponent b of y = a * x**b."""
    if len(points) < 2:
        return None
    xs, ys = [math.log(x) for x, _ in points], [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs), 2)


def growth(rows: list[dict[str, Any]]) -> dict[str, Any]:
    done = [r for r in rows if r["computation"] == "overlap" and r["status"] == "ok"]
    out: dict[str, Any] = {}
    for m in sorted({r["parties"] for r in done}):
        mine = sorted((r for r in done if r["parties"] == m), key=lambda r: r["size"])
        out[f"{m}_parties"] = {
            "time_exponent_in_size": _slope([(r["size"], r["mpc_seconds"]) for r in mine]),
            "bytes_exponent_in_size": _slope([(r["size"], r["bytes_sent_per_party"]) for r in mine]),
            "memory_exponent_in_size": _slope([(r["size"], r["peak_rss_per_party_mb"]) for r in mine]),
            "time_ratio_per_10x": [round(b["mpc_seconds"] / a["mpc_seconds"], 2) for a, b in pairwise(mine)],
            "bytes_ratio_per_10x": [round(b["bytes_sent_per_party"] / a["bytes_sent_per_party"], 2)
                                    for a, b in pairwise(mine)]}
    by_size = {}
    for size in sorted({r["size"] for r in done}):
        three = next((r for r in done if r["size"] == size and r["parties"] == 3), None)
        five = next((r for r in done if r["size"] == size and r["parties"] == 5), None)
        if three and five:
            by_size[str(size)] = {"time": round(five["mpc_seconds"] / three["mpc_seconds"], 2),
                                  "bytes_per_party": round(five["bytes_sent_per_party"] / three["bytes_sent_per_party"], 2)}
    out["5_over_3_parties"] = by_size
    return out


def predict(config: Config, rows: list[dict[str, Any]]) -> dict[str, float] | None:
    """Time and memory of ``config`` extrapolated from the two largest smaller runs (same parties)."""
    done = sorted((r for r in rows if r["computation"] == config.computation and r["parties"] == config.parties
                   and r["status"] == "ok" and r["size"] < config.size), key=lambda r: r["size"])
    if not done:
        return None
    last = done[-1]
    factor = config.size / last["size"]
    te = _slope([(r["size"], r["mpc_seconds"]) for r in done[-2:]]) or 1.0
    me = _slope([(r["size"], r["peak_rss_all_parties_mb"]) for r in done[-2:]]) or 1.0
    return {"seconds": round(last["wall_seconds"] * factor ** max(te, 1.0), 1),
            "rss_all_parties_mb": round(last["peak_rss_all_parties_mb"] * factor ** max(me, 0.5), 1)}


def plan(sizes: list[int], parties: list[int], extras: bool, quick: bool) -> list[Config]:
    """Cheapest first, so that the small figures exist even if the large ones do not finish."""
    extra_size = min(sizes) if quick else EXTRA_SIZE
    configs = [Config("overlap", m, n) for n in sorted(sizes) if n <= extra_size for m in sorted(parties)]
    if extras:
        configs += [Config("key-actors", 3, extra_size), Config("overlap-reveal", 3, extra_size),
                    Config("stats", 3, STATS_VICTIMS if not quick else 1000)]
    configs += [Config("overlap", m, n) for n in sorted(sizes) if n > extra_size for m in sorted(parties)]
    return configs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="identifiers per party, comma-separated")
    parser.add_argument("--parties", default="3,5", help="numbers of parties, comma-separated (at least 3)")
    parser.add_argument("--quick", action="store_true", help="1,000 identifiers, 3 parties, extras at 1,000")
    parser.add_argument("--no-extras", action="store_true", help="overlap counts only")
    parser.add_argument("--max-minutes", type=float, default=15.0)
    parser.add_argument("--max-gb", type=float, default=16.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    parties = [3] if args.quick else [int(p) for p in args.parties.split(",")]
    target = args.json or ROOT / "bench" / "results" / ("mpc-quick.json" if args.quick else "mpc.json")
    configs = plan(sizes, parties, not args.no_extras, args.quick)
    max_seconds, max_mb = args.max_minutes * 60, args.max_gb * 1024
    from importlib.metadata import version

    report: dict[str, Any] = {
        "command": "python -m bench.mpc " + " ".join(sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "mpyc": version("mpyc")},
        "note": "all parties of a run are processes on this one machine, sharing its cores",
        "runs": []}
    rows: list[dict[str, Any]] = report["runs"]
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        overall = progress.add_task("configurations", total=len(configs))
        for config in configs:
            task = progress.add_task(config.label, total=None)
            guess = predict(config, rows)
            if guess and (guess["seconds"] > 2 * max_seconds or guess["rss_all_parties_mb"] > 2 * max_mb):
                row = {"computation": config.computation, "parties": config.parties, "size": config.size,
                       "status": "not run", "reason": "predicted from the smaller sizes to exceed twice a limit",
                       "predicted": guess}
            else:
                row = run(config, progress, task, max_seconds, max_mb)
                if guess and row["status"] != "ok":
                    row["predicted"] = guess
            rows.append(row)
            report["growth"] = growth(rows)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
            progress.remove_task(task)
            progress.advance(overall)
            console.print(_line(row))
    console.print(f"wrote {target}")


def _line(row: dict[str, Any]) -> str:
    head = f"{row['computation']} {row['parties']}x{row['size']:,}"
    if row["status"] != "ok":
        return f"[yellow]{head}: not run ({row['reason']})[/yellow]"
    mark = "[green]exact[/green]" if row["correct"] else "[red]DIFFERS FROM THE PLAIN RESULT[/red]"
    return (f"{head}: {row['mpc_seconds']:,.1f} s MPC + {row['prepare_seconds']:.2f} s tables, "
            f"{row['bytes_sent_per_party'] / 1e6:,.1f} MB sent per party, {row['peak_rss_per_party_mb']:,.0f} MB peak "
            f"per party; plain {row['plain_seconds']:.4f} s ({row['ratio_to_plain']:,}x); {mark}")


if __name__ == "__main__":
    main()
