"""The local Neo4j: `sightline neo4j start | status | stop` as real processes, and the session fixture.

Everything here runs a real Neo4j 5.26 through the real launcher; nothing is mocked except Maven, in the
tests that prove a Maven failure (or its absence) becomes one clear error.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph.neo4j_local.layout import POM
from graph.neo4j_local.server import Neo4jServerError, local_uri
from graph.neo4j_local.toolchain import ensure_classpath

ROOT = Path(__file__).resolve().parents[1]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SIGHTLINE_")}
    env["SIGHTLINE_HOME"] = str(home)
    env.update(extra)
    return env


def _cli(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", "neo4j", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _gone(pid: int) -> bool:
    """Dead or a zombie waiting for init to reap it: either way, no Neo4j left running."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


def _bin_without_maven(directory: Path, fake_maven: str | None = None) -> str:
    """A PATH holding only `java` (and optionally a fake `mvn`): proves what runs without Maven."""
    directory.mkdir()
    java = shutil.which("java")
    assert java, "these tests need Java 17"
    (directory / "java").symlink_to(Path(java).resolve())
    if fake_maven is not None:
        maven = directory / "mvn"
        maven.write_text(fake_maven)
        maven.chmod(0o755)
    return str(directory)


def test_cli_start_status_stop_and_offline_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = _env(home)
    started = _cli(env, "start")
    try:
        assert started.returncode == 0, started.stderr
        uri = started.stdout.strip()
        assert uri.startswith("bolt://127.0.0.1:")
        assert "Traceback" not in started.stderr

        with GraphDatabase.driver(uri, auth=None) as driver:
            assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1
            version = driver.execute_query("RETURN apoc.version() AS v").records[0]["v"]
            assert version.startswith("5.26.")
            driver.execute_query("CREATE (:Probe {name: $name})", name="survives a restart")

        status = json.loads(_cli(env, "status", "--json").stdout)
        assert status["running"] is True and status["uri"] == uri
        pid = status["pid"]
        assert f"pid {pid}" in _cli(env, "status").stdout and "running" in _cli(env, "status").stdout
        assert local_uri(home) == uri

        again = _cli(env, "start")
        assert again.returncode == 0 and again.stdout.strip() == uri
        assert "already running" in again.stderr
    finally:
        stopped = _cli(env, "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert _gone(pid)
    assert not (home / "neo4j" / "server.json").exists()
    assert (home / "neo4j" / "launcher.log").read_text().rstrip().endswith("STOPPED")
    assert _cli(env, "status").stdout.strip() == "stopped"
    assert json.loads(_cli(env, "status", "--json").stdout)["running"] is False
    assert local_uri(home) is None
    assert "not running" in _cli(env, "stop").stderr

    # Second start: the cached classpath is enough. A `mvn` that leaves a mark proves Maven is not run.
    marker = tmp_path / "maven-was-called"
    offline = _env(home, PATH=_bin_without_maven(tmp_path / "bin", f"#!/bin/sh\ntouch {marker}\nexit 1\n"))
    restarted = _cli(offline, "start")
    try:
        assert restarted.returncode == 0, restarted.stderr
        assert not marker.exists()
        with GraphDatabase.driver(restarted.stdout.strip(), auth=None) as driver:
            names = [r["name"] for r in driver.execute_query("MATCH (p:Probe) RETURN p.name AS name").records]
        assert names == ["survives a restart"]
    finally:
        assert _cli(offline, "stop").returncode == 0


def test_session_fixture_serves_bolt_and_apoc(neo4j_uri: str) -> None:
    with GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1
        assert driver.execute_query("CALL apoc.help('path') YIELD name RETURN count(*) AS n").records[0]["n"] > 0
        driver.execute_query("CREATE (:FixtureProbe {k: 1})-[:NEXT]->(:FixtureProbe {k: 2})-[:NEXT]->(:FixtureProbe {k: 3})")
        try:
            reached = driver.execute_query(
                "MATCH (s:FixtureProbe {k: 1}) "
                "CALL apoc.path.subgraphNodes(s, {relationshipFilter: 'NEXT>', maxLevel: 2}) YIELD node "
                "RETURN collect(node.k) AS ks").records[0]["ks"]
        finally:
            driver.execute_query("MATCH (n:FixtureProbe) DETACH DELETE n")
    assert sorted(reached) == [1, 2, 3]


def test_port_in_use_is_one_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _cli(_env(tmp_path, SIGHTLINE_NEO4J_PORT=str(port)), "start")
    assert result.returncode == 1
    assert f"port {port}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "neo4j" / "server.json").exists()


def test_bad_option_is_one_clear_error(tmp_path: Path) -> None:
    result = _cli(_env(tmp_path), "start", "--heap", "lots")
    assert result.returncode == 2
    assert "neo4j_heap" in result.stderr and "Traceback" not in result.stderr


def test_status_ignores_a_record_whose_process_is_not_a_launcher(tmp_path: Path) -> None:
    record = tmp_path / "neo4j" / "server.json"
    record.parent.mkdir(parents=True)
    finished = subprocess.Popen(["true"])
    finished.wait()
    for pid in (finished.pid, os.getpid()):  # a dead pid, and a live process that is not Neo4j
        record.write_text(json.dumps({"pid": pid, "uri": "bolt://127.0.0.1:1", "started_at": "x"}))
        assert local_uri(tmp_path) is None
        assert _cli(_env(tmp_path), "status").stdout.strip() == "stopped"


def _pom_copy(tmp_path: Path) -> Path:
    """The real pom with one more comment: a hash no cache knows, so ensure_classpath must call Maven."""
    pom = tmp_path / "pom.xml"
    pom.write_text(POM.read_text() + "<!-- test -->\n")
    return pom


def test_maven_failure_shows_its_last_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = "#!/bin/sh\necho '[ERROR] Failed to execute goal: could not resolve org.neo4j:neo4j' >&2\nexit 1\n"
    monkeypatch.setenv("PATH", _bin_without_maven(tmp_path / "bin", failing))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(Neo4jServerError, match=r"(?s)exit 1.*could not resolve org\.neo4j:neo4j"):
        ensure_classpath(tmp_path / "home", pom=_pom_copy(tmp_path))
    assert not list((tmp_path / "home" / "neo4j").glob("classpath-*.txt"))


def test_missing_maven_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", _bin_without_maven(tmp_path / "bin"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(Neo4jServerError, match="Maven"):
        ensure_classpath(tmp_path / "home", pom=_pom_copy(tmp_path))
