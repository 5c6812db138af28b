"""Faults in team mode on a real PostgreSQL 15: a worker killed mid-batch, PostgreSQL stopped under load.

Why real processes: what is checked (a SIGKILLed worker's lease running out, a pool holding connections a
stopped server cut, uvicorn answering while its database is gone) exists only between real processes. The
scenarios live in bench/faults.py, which measures them at a larger size for docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.faults import postgres_outage, worker_kill
from intake.jobs import MAX_ATTEMPTS
from tests.postgres_server import PostgresServer, running_postgres


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL of this module's own: the outage test stops it, which must not touch other tests' server."""
    with running_postgres() as server:
        yield server


def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(postgres: PostgresServer, tmp_path: Path) -> None:
    result = worker_kill(postgres, tmp_path, jobs=12, per_job=3, lease=5.0)
    assert result.killed_mid_job
    assert result.lost == 0 and result.done == result.jobs
    assert result.duplicated == 0
    assert result.stored_in_graph == result.narratives == result.stored_rows
    assert 2 <= result.killed_job_attempts <= MAX_ATTEMPTS  # claimed by the victim, then taken over
    assert result.max_attempts <= MAX_ATTEMPTS


def test_postgresql_stopped_under_load_gives_503_then_recovers_by_itself(own_postgres: PostgresServer,
                                                                        tmp_path: Path) -> None:
    result = postgres_outage(own_postgres, tmp_path, clients=3, before=1.0, down=2.5, after=4.0)
    assert result.connection_errors == 0
    assert set(result.statuses) <= {200, 503}, result.statuses
    assert result.unavailable_while_down > 0
    assert result.missing_retry_after == 0 and result.leaked == 0
    assert result.recover_seconds is not None and result.recover_seconds < 3.0
