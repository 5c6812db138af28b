"""The job worker as a process of its own (``sightline worker``, and the child ``sightline serve`` keeps):
jobs the server accepted are completed by it, a stopped worker gives its job back at once, a killed one's
job is taken over after its lease, nothing is lost or stored twice, and the server's child worker is
restarted when it dies and never outlives the server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from evaluation.narratives import generate_narratives
from state.settings import Settings
from tests.api_server import ROOT, Server, make_key, running, start, wait_for_job

TEXT = "Marek Nowak drove us from Warsaw to London in a van. Maria Popescu paid him. His phone was 07400 987654."


def proc_stat(pid: int) -> list[str]:
    """/proc/PID/stat after the command name: [0] state, [1] parent pid, [16] niceness."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def niceness(pid: int) -> int | None:
    try:
        return int(proc_stat(pid)[16])
    except FileNotFoundError:
        return None


def alive(pid: int) -> bool:
    try:
        return proc_stat(pid)[0] != "Z"
    except FileNotFoundError:
        return False


def child_workers(server_pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(proc_stat(int(entry.name))[1]) == server_pid and alive(int(entry.name)) \
                    and b"worker" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def eventually(check: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout:.0f} s: {what}")


@contextmanager
def worker_process(home: Path, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """``sightline worker`` on ``home``, as an operator starts it; killed at the end if still running."""
    environment = {**os.environ, "SIGHTLINE_HOME": str(home), "SIGHTLINE_API_WORKER_POLL_SECONDS": "0.1",
                   **SMALL_BATCHES, **(env or {})}
    with (home / "worker.log").open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], cwd=ROOT, env=environment,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def progress(client: httpx.Client, job_id: str) -> dict:
    response = client.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 200, response.text
    return response.json()


def submit_batch(client: httpx.Client, count: int, seed: int) -> tuple[str, int]:
    records = [{"text": g.text} for g in generate_narratives(count, seed)]
    body = "".join(json.dumps(r) + "\n" for r in records).encode()
    response = client.post("/v1/narratives", files={"file": ("batch.jsonl", body)})
    assert response.status_code == 202, response.text
    return response.json()["job_id"], len(records)


def graph_narratives(home: Path) -> int:
    from graph.stores.factory import open_store

    store = open_store(home)
    try:
        return int(store.stats()["narratives"])
    finally:
        store.close()


SMALL_BATCHES = {"SIGHTLINE_INGEST_BATCH": "2", "SIGHTLINE_DEFAULT_REGION": "GB"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server without a worker of its own: jobs wait for a ``sightline worker``."""
    with running(tmp_path / "home", {"SIGHTLINE_API_WORKER": "false", **SMALL_BATCHES}) as s:
        yield s


def test_settings_pass_to_a_child_process_unchanged(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, api_worker_nice=3, default_region="GB", store="sqlite")
    env = settings.child_environment({"PATH": "/bin", "SIGHTLINE_API_WORKER_NICE": "19", "SIGHTLINE_NEO4J_URI": "x"})
    assert env["PATH"] == "/bin" and env["SIGHTLINE_API_WORKER_NICE"] == "3" and env["SIGHTLINE_HOME"] == str(tmp_path)
    assert "SIGHTLINE_NEO4J_URI" not in env  # unset in the parent's settings: not inherited from the environment
    saved = dict(os.environ)  # what the child reads, from that environment
    try:
        os.environ.clear()
        os.environ.update(env)
        child = Settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert child == settings


def test_a_separate_worker_process_completes_the_servers_jobs(server: Server) -> None:
    with server.as_role("ngo") as ngo:
        response = ngo.post("/v1/narratives", json={"text": TEXT})
        assert response.status_code == 202
        job_id = response.json()["job_id"]
        time.sleep(1)
        assert progress(ngo, job_id)["status"] == "pending"  # the server itself does not work jobs
        with worker_process(server.home, {"SIGHTLINE_API_WORKER_NICE": "7"}) as worker:
            eventually(lambda: niceness(worker.pid) == os.nice(0) + 7, 20, "the worker at lower CPU priority")
            job = wait_for_job(ngo, job_id)
            assert job["status"] == "done" and job["progress"]["stored"] == 1
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(30) == 0
    with server.as_role("analyst") as analyst:
        found = analyst.get("/v1/entities", params={"q": "07400 987654"}).json()["results"]
        assert [e["id"] for e in found] == ["phone:+447400987654"]


def test_a_stopped_worker_gives_its_job_back_and_nothing_is_lost(server: Server) -> None:
    with server.as_role("ngo") as ngo:
        job_id, total = submit_batch(ngo, 40, seed=5)
        with worker_process(server.home, {"SIGHTLINE_API_JOB_LEASE_SECONDS": "600"}) as first:
            eventually(lambda: progress(ngo, job_id)["progress"]["done"] >= 2, 120, "the first batches")
            first.send_signal(signal.SIGTERM)  # finishes the batch in hand, then gives the job back
            assert first.wait(60) == 0
        job = progress(ngo, job_id)
        assert job["status"] == "pending" and 0 < job["progress"]["done"] < total  # released, not held by a lease
        done_before = job["progress"]["done"]
        with worker_process(server.home):  # the first one's lease was 600 s: only a released job is taken at once
            job = wait_for_job(ngo, job_id, timeout=180)
    assert job["status"] == "done" and job["progress"]["failed"] == 0
    assert job["progress"]["stored"] == total and job["progress"]["existing"] == 0  # none redone
    assert done_before < total and graph_narratives(server.home) == total


def test_a_killed_workers_job_is_taken_over_after_its_lease(server: Server) -> None:
    with server.as_role("ngo") as ngo:
        job_id, total = submit_batch(ngo, 40, seed=6)
        with worker_process(server.home, {"SIGHTLINE_API_JOB_LEASE_SECONDS": "3"}) as first:
            eventually(lambda: progress(ngo, job_id)["progress"]["done"] >= 2, 120, "the first batches")
            first.kill()
            first.wait(10)
        job = progress(ngo, job_id)
        assert job["status"] == "running" and job["progress"]["done"] < total
        with worker_process(server.home, {"SIGHTLINE_API_JOB_LEASE_SECONDS": "3"}):
            job = wait_for_job(ngo, job_id, timeout=180)
    progress_ = job["progress"]
    assert job["status"] == "done" and progress_["failed"] == 0 and progress_["done"] == total
    # a batch written to the graph just before the kill, but not yet recorded, is found there, not duplicated
    assert progress_["stored"] + progress_["existing"] == total and graph_narratives(server.home) == total


def test_serve_keeps_a_worker_process_restarts_it_and_takes_it_down(tmp_path: Path) -> None:
    home = tmp_path / "home"
    key = make_key(home, "ngo", "Org A")
    server = start(home, {"SIGHTLINE_API_WORKER_NICE": "5"})  # the default: the worker in a child process
    try:
        [first] = eventually(lambda: child_workers(server.process.pid), 20, "the server's worker process")
        eventually(lambda: niceness(first) == os.nice(0) + 5, 20, "the worker at lower CPU priority")
        with server.client(key) as ngo:
            job_id = ngo.post("/v1/narratives", json={"text": TEXT}).json()["job_id"]
            assert wait_for_job(ngo, job_id)["status"] == "done"
            os.kill(first, signal.SIGKILL)  # the worker dies: the server starts another
            [second] = eventually(lambda: [p for p in child_workers(server.process.pid) if p != first], 30,
                                  "a new worker process")
            job_id = ngo.post("/v1/narratives", json={"text": TEXT.replace("Warsaw", "Gdansk")}).json()["job_id"]
            assert wait_for_job(ngo, job_id)["status"] == "done"
        server.process.kill()  # the server dies outright: its worker sees stdin close and stops too
        server.process.wait(10)
        eventually(lambda: not alive(second), 30, "the orphaned worker to stop")
    finally:
        server.stop()


def test_stopping_the_server_stops_its_worker(tmp_path: Path) -> None:
    with running(tmp_path / "home") as server:
        [worker] = eventually(lambda: child_workers(server.process.pid), 20, "the server's worker process")
        eventually(lambda: "started" in server.output(), 30, "the worker to be ready")
        server.stop()  # SIGTERM: uvicorn shuts down, and the worker with it, before the server exits
        assert server.process.returncode is not None and not alive(worker)
        log = server.output()
        assert log.count("job worker") == 2 and log.rstrip().endswith("stopped")  # cleanly, exit code 0
        assert "exit code" not in log and "Fatal Python error" not in log, log
