"""One party of a bench/mpc.py run: a process of its own, as each organisation would run it.

    python -m bench.mpc_party --index I --party HOST:PORT ... --computation overlap --size 10000

The party generates its own input (the same deterministic generator the coordinator uses for the plain
baseline, so that nothing but MPyC's shares passes between the processes), runs exactly what
``sightline mpc`` runs (``multiparty.computations`` through ``multiparty.session.run``), and prints one
JSON line: the Outcome's result and cost, the time spent building its tables before connecting, and its
peak resident memory (``getrusage``, this process only).

The generators live here, not in bench/mpc.py, because the coordinator imports them for the plain
computation and the expected answer; a party process must not import the coordinator.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sys
import time
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COMPUTATIONS = ("overlap", "overlap-reveal", "key-actors", "stats")
SHARE = 0.05  # of each party's identifiers: shared by all parties, and again by each pair it belongs to
GIVEN = ("ana", "ion", "maria", "elena", "mihai", "olena", "dmytro", "ngozi", "chinedu", "thi", "van", "arben",
         "besa", "ivan", "svetlana", "somchai", "malee", "jose", "luz", "amina")
COUNTRIES = ("AL", "BG", "GB", "MD", "NG", "PH", "RO", "TH", "UA", "VN")
YEARS = (2018, 2026)
SALT = "bench-mpc"


# --- identifiers ---------------------------------------------------------------------------------------

def _letters(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 26)
        out = chr(ord("a") + digit) + out
        if not number:
            return out


def identifier(uid: int) -> str:
    """A ``kind:key`` in screening's normalised form, unique per ``uid``; the kinds take turns."""
    kind = uid % 5
    if kind == 0:
        return f"phone:+4477{uid:08d}"
    if kind == 1:
        return f"email:user{uid}@example.org"
    if kind == 2:
        return f"iban:GB{uid % 89 + 10:02d}SLTN{uid:014d}"
    if kind == 3:
        return "wallet:0x" + hashlib.sha1(str(uid).encode()).hexdigest()
    tokens = sorted((GIVEN[uid % len(GIVEN)], "x" + _letters(uid)))  # the screening tokens, sorted
    return "name:" + " ".join(tokens)


def blocks(parties: int, size: int) -> tuple[int, int, int]:
    """Per party: identifiers shared by all, by each pair, and its own; the three add up to ``size``."""
    common = round(SHARE * size)
    pair = round(SHARE * size)
    own = size - common - (parties - 1) * pair
    if own < 0:
        raise ValueError("too many parties for the shares asked")
    return common, pair, own


def party_set(index: int, parties: int, size: int) -> set[str]:
    """Party ``index``'s identifiers: the common block, its pair blocks and its own block (disjoint uids)."""
    common, pair, own = blocks(parties, size)
    pairs = list(combinations(range(parties), 2))
    uids = list(range(common))
    for k, (a, b) in enumerate(pairs):
        if index in (a, b):
            start = common + k * pair
            uids.extend(range(start, start + pair))
    start = common + len(pairs) * pair + index * own
    uids.extend(range(start, start + own))
    return {identifier(u) for u in uids}


# --- victim cases for the joint statistics ---------------------------------------------------------------

def cases(index: int, victims: int) -> list[Any]:
    """Generated victim cases: a few busy corridors (cells that pass k jointly) and a long thin tail."""
    from multiparty.joint_stats import exploitation_types
    from sharing.cases import VictimCase

    types = exploitation_types()
    rng = random.Random(f"{SALT}:cases:{index}")
    busy = [("RO", "GB"), ("AL", "GB"), ("VN", "GB"), ("NG", "IT"), ("UA", "PL"), ("MD", "RO")]
    out = []
    for v in range(victims):
        destination: str | None
        if rng.random() < 0.7:
            origin, destination = rng.choice(busy)
        else:
            origin, destination = rng.choice(COUNTRIES), rng.choice(COUNTRIES + ("FR", None))
        kinds = tuple(rng.sample(types[:4], rng.choice((1, 1, 1, 2))))
        year = rng.choice((*range(YEARS[0], YEARS[1] + 1), None))
        out.append(VictimCase(case=f"n{index}-{v // 2}", victim=f"p{index}-{v}", source_id=f"s{v}",
                              organisation=f"org{index}", year=year, country_of_origin=origin,
                              country_of_exploitation=destination, type_of_exploitation=kinds))
    return out


def stats_domain() -> Any:
    from multiparty import joint_stats

    return joint_stats.domain(joint_stats.DEFAULT_BY, countries=COUNTRIES, years=YEARS)


# --- one party's run -----------------------------------------------------------------------------------

def _computation(name: str, index: int, parties: int, size: int) -> Any:
    """The computation, its input generated up front so that ``prepare`` times only the party's encoding."""
    from multiparty import computations
    from state.settings import get_settings

    if name == "stats":
        victims = cases(index, size)
        return computations.stats(lambda: victims, table=stats_domain(), k=get_settings().share_k, parties=parties)
    identifiers = party_set(index, parties, size)
    read = lambda: identifiers
    if name == "key-actors":
        return computations.key_actors(read, index=index, parties=parties, capacity=size, salt=SALT, min_orgs=2)
    return computations.overlap(read, index=index, parties=parties, capacity=size, salt=SALT,
                                reveal=name == "overlap-reveal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=int, required=True)
    parser.add_argument("--party", action="append", required=True)
    parser.add_argument("--computation", choices=COMPUTATIONS, required=True)
    parser.add_argument("--size", type=int, required=True, help="identifiers (or victims for stats) per party")
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    from multiparty import parties, session

    federation = parties.federation(args.party, args.index)
    computation = _computation(args.computation, args.index, federation.size, args.size)
    prepare = computation.prepare
    built: dict[str, float] = {}

    def timed() -> Any:  # the local step before connecting: generating and encoding the party's own input
        started = time.perf_counter()
        try:
            return prepare()
        finally:
            built["seconds"] = time.perf_counter() - started

    computation.prepare = timed
    outcome = session.run(federation, args.timeout, computation)
    print(json.dumps({"party": args.index, "prepare_seconds": round(built["seconds"], 3),
                      "seconds": outcome.seconds, "bytes_sent": outcome.bytes_sent,
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "result": outcome.result}), flush=True)


if __name__ == "__main__":
    main()
