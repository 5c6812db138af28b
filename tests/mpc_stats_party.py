"""One party of a joint-statistics run fed with generated counts (``python -m tests.mpc_stats_party I PORTS``, the ports comma-separated):
how the tests reach five parties without five Sightline homes. Prints whether the joint release equals the
one computed in the clear on the pooled counts."""

from __future__ import annotations

import sys

import numpy as np

from multiparty import joint_stats, parties, session
from multiparty.agreement import Agreement


def main(index: int, ports: list[int]) -> None:
    size = len(ports)
    table = joint_stats.domain(["origin", "year"], countries=["RO", "GB", "IT"], years=(2020, 2024))
    rng = np.random.default_rng(5)
    counts = [rng.integers(0, 9, table.cells) for _ in range(size)]

    async def compute(rt: object, prepared: np.ndarray, agreed: Agreement) -> dict[str, object]:
        return await joint_stats.joint_table(rt, prepared, table, 11)

    computation = session.Computation("stats", {"table": table.describe(), "k": "11"}, lambda: counts[index], compute)
    fed = parties.federation([f"127.0.0.1:{port}" for port in ports], index)
    outcome = session.run(fed, 60, computation)
    expected = joint_stats.expected_table(counts, table, 11)
    print(outcome.result == expected, len(expected["published"]), expected["suppressed"])


if __name__ == "__main__":
    main(int(sys.argv[1]), [int(p) for p in sys.argv[2].split(",")])
