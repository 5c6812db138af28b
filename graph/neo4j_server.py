"""Run a real Neo4j 5.26 on this machine without Docker: the embedded launcher in ``graph/neo4j_launcher``.

Why this exists: production graphs live in Neo4j, and the Neo4j adapter must be tested against a real one,
but the project's machines have Java 17 and Maven and no Docker engine. Maven resolves Neo4j Community
(which includes Bolt) and APOC core once; the launcher (one Java source file) runs them with Bolt on
127.0.0.1 and prints ``BOLT bolt://127.0.0.1:PORT`` when ready.

Two ways to run it:

- :func:`start` / :func:`stop` / :func:`status`: a detached server that outlives the command that started
  it (``sightline neo4j start``). Its pid and URI are recorded in ``SIGHTLINE_HOME/neo4j/server.json`` so
  that :func:`local_uri` lets every other command find it.
- :func:`running_child`: a child that lives exactly as long as a ``with`` block (tests). It holds a pipe
  to the launcher's stdin; closing the pipe, or the parent dying, shuts Neo4j down cleanly.

Layout under ``SIGHTLINE_HOME/neo4j/``: ``dbms/`` (Neo4j's home: ``data/``, ``logs/``, ``plugins/``),
``launcher.log`` (the launcher's stdout and stderr), ``server.json``, ``classpath-<hash>.txt``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING

from graph.atomic_file import write_atomic

if TYPE_CHECKING:
    from api.settings import Settings

LAUNCHER_DIR = Path(__file__).resolve().parent / "neo4j_launcher"
POM = LAUNCHER_DIR / "pom.xml"
LAUNCHER_SOURCE = LAUNCHER_DIR / "Launcher.java"

START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
MAVEN_TIMEOUT = 900.0

_BOLT_LINE = re.compile(r"^BOLT (bolt://\S+)\s*$", re.MULTILINE)
_FAILED_LINE = re.compile(r"^FAILED (.+)$", re.MULTILINE)
_STOPPED_LINE = re.compile(r"^STOPPED\s*$", re.MULTILINE)

# What Neo4j's own start script passes to the JVM: without them the page cache falls back to slower paths.
_JVM_FLAGS = (
    "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)

Notify = Callable[[str], None]


class Neo4jServerError(RuntimeError):
    """Something a person can act on (missing Java, Maven failure, port in use...), as one readable message."""


@dataclass(frozen=True)
class ServerInfo:
    """A running local Neo4j: the launcher's pid and the Bolt URI it answers on."""

    pid: int
    uri: str
    started_at: str
    startup_seconds: float | None = None
    already_running: bool = False

    def record(self) -> dict[str, object]:
        return {"pid": self.pid, "uri": self.uri, "started_at": self.started_at}


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    home: str
    pid: int | None = None
    uri: str | None = None
    started_at: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class StopResult:
    was_running: bool
    pid: int | None = None
    clean: bool = True
    killed: bool = False


# ---------------------------------------------------------------- paths


def neo4j_dir(home: Path) -> Path:
    return Path(home) / "neo4j"


def _record_path(home: Path) -> Path:
    return neo4j_dir(home) / "server.json"


def log_path(home: Path) -> Path:
    return neo4j_dir(home) / "launcher.log"


def user_cache_dir() -> Path:
    """Shared across homes, so that a temporary ``SIGHTLINE_HOME`` (tests) does not run Maven again."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sightline"


def pom_hash(pom: Path = POM) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()[:16]


# ---------------------------------------------------------------- classpath (Maven, once)


def _classpath_ok(path: Path) -> bool:
    """A cached classpath is usable only if every jar in it still exists (``~/.m2`` may have been wiped)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return False
    entries = [entry for entry in text.split(os.pathsep) if entry]
    return bool(entries) and all(Path(entry).is_file() for entry in entries)


def _tail(text: str, lines: int = 15) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return "\n".join(kept)


def ensure_classpath(home: Path, notify: Notify | None = None, pom: Path = POM) -> Path:
    """Return the file holding the launcher's Java classpath, running Maven only if no valid cache exists.

    The cache is keyed by a hash of ``pom.xml``: editing the pom (a new Neo4j patch) resolves again; anything
    else works offline. Looked up in ``SIGHTLINE_HOME/neo4j/`` first, then in the user cache.
    """
    key = pom_hash(pom)
    local = neo4j_dir(home) / f"classpath-{key}.txt"
    shared = user_cache_dir() / f"neo4j-classpath-{key}.txt"
    if _classpath_ok(local):
        return local
    if _classpath_ok(shared):
        write_atomic(local, shared.read_text(encoding="utf-8"))
        return local

    maven = shutil.which("mvn")
    if maven is None:
        raise Neo4jServerError("Maven (mvn) is not on PATH; it is needed once to fetch Neo4j's jars "
                               "(install Maven 3.8+, e.g. `apt-get install maven`)")
    _java()  # fail early, before a long download, if there is no Java to run the result
    if notify:
        notify("resolving Neo4j and APOC jars with Maven (first run only)")
    output = neo4j_dir(home) / f".classpath-{key}.{os.getpid()}.mvn"
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [maven, "-B", "-q", "--no-transfer-progress", "-Dstyle.color=never", "-f", str(pom),
               "dependency:build-classpath", f"-Dmdep.outputFile={output}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=MAVEN_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise Neo4jServerError(f"Maven did not finish within {MAVEN_TIMEOUT:.0f}s resolving {pom}") from None
    except OSError as error:
        raise Neo4jServerError(f"could not run Maven ({maven}): {error}") from None
    if done.returncode != 0 or not _classpath_ok(output):
        output.unlink(missing_ok=True)
        detail = _tail(done.stdout + "\n" + done.stderr) or "(no output)"
        raise Neo4jServerError(f"Maven could not resolve the Neo4j launcher's jars (exit {done.returncode}):\n{detail}")
    classpath = output.read_text(encoding="utf-8").strip()
    output.unlink(missing_ok=True)
    write_atomic(local, classpath)
    try:
        write_atomic(shared, classpath)
    except OSError:
        pass  # the user cache is an optimisation; the home copy is enough
    return local


# ---------------------------------------------------------------- processes


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    candidate = Path(java_home) / "bin" / "java" if java_home else None
    java = str(candidate) if candidate and candidate.is_file() else shutil.which("java")
    if java is None:
        raise Neo4jServerError("Java is not installed (no `java` on PATH or in JAVA_HOME); Neo4j 5.26 needs Java 17 or 21")
    return java


def _check_port_free(port: int) -> None:
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise Neo4jServerError(f"port {port} on 127.0.0.1 is already in use; set SIGHTLINE_NEO4J_PORT to "
                                   "another port, or 0 to pick a free one") from None


def launcher_command(classpath: str, dbms_home: Path, port: int, heap: str, page_cache: str,
                     detach: bool) -> list[str]:
    command = [_java(), f"-Xmx{heap}", *_JVM_FLAGS, "-cp", classpath, str(LAUNCHER_SOURCE),
               "--home", str(dbms_home), "--port", str(port), "--page-cache", page_cache]
    if detach:
        command.append("--detach")
    return command


def _spawn(home: Path, port: int, heap: str, page_cache: str, detach: bool,
           notify: Notify | None) -> subprocess.Popen[bytes]:
    _check_port_free(port)
    classpath = ensure_classpath(home, notify).read_text(encoding="utf-8").strip()
    directory = neo4j_dir(home)
    command = launcher_command(classpath, directory / "dbms", port, heap, page_cache, detach)
    if notify:
        notify("starting Neo4j")
    # The log is rewritten on each start so that the BOLT line read below belongs to this process.
    with log_path(home).open("wb") as log:
        return subprocess.Popen(command, cwd=directory, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL if detach else subprocess.PIPE,
                                start_new_session=detach)


def _read_log(home: Path) -> str:
    try:
        return log_path(home).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _exited_error(home: Path, code: int | None) -> Neo4jServerError:
    text = _read_log(home)
    failed = _FAILED_LINE.search(text)
    reason = failed.group(1) if failed else _tail(text, 8) or "(no output)"
    return Neo4jServerError(f"the local Neo4j exited before Bolt was ready (exit {code}): {reason} "
                            f"(log: {log_path(home)})")


def _wait_for_bolt(home: Path, process: subprocess.Popen[bytes], timeout: float, notify: Notify | None) -> str:
    """Wait for the launcher's ``BOLT`` line, then for the driver to complete a Bolt handshake."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    deadline = time.monotonic() + timeout
    uri: str | None = None
    while uri is None:
        found = _BOLT_LINE.search(_read_log(home))
        if found:
            uri = found.group(1)
            break
        if process.poll() is not None:
            raise _exited_error(home, process.returncode)
        if time.monotonic() > deadline:
            raise Neo4jServerError(f"the local Neo4j did not open Bolt within {timeout:.0f}s (log: {log_path(home)})")
        time.sleep(0.1)
    if notify:
        notify(f"waiting for Bolt on {uri}")
    while True:
        try:
            with GraphDatabase.driver(uri, auth=None) as driver:
                driver.verify_connectivity()
            return uri
        except (ServiceUnavailable, Neo4jError, OSError) as error:
            if process.poll() is not None:
                raise _exited_error(home, process.returncode) from None
            if time.monotonic() > deadline:
                raise Neo4jServerError(f"Neo4j printed {uri} but Bolt did not answer within {timeout:.0f}s: {error}") from None
            time.sleep(0.2)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop a launcher that failed to start; it has no database worth a clean shutdown yet."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------- the recorded (detached) server


def _pid_alive(pid: int) -> bool:
    """True if ``pid`` is a live launcher (not a zombie, not a recycled pid running something else)."""
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it if it was our own child, so a dead launcher is not a zombie
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc") / str(pid)
    if not proc.is_dir():
        return True  # no /proc (macOS): the signal check is all we have
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = (proc / "cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"} and LAUNCHER_SOURCE.name.encode() in cmdline


def _read_record(home: Path) -> ServerInfo | None:
    try:
        data = json.loads(_record_path(home).read_text(encoding="utf-8"))
        return ServerInfo(pid=int(data["pid"]), uri=str(data["uri"]), started_at=str(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    """One start or stop at a time per home: two commands must not launch two servers on one store."""
    directory = neo4j_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _home(settings: Settings) -> Path:
    return Path(settings.home).resolve()


def start(settings: Settings, notify: Notify | None = None, timeout: float = START_TIMEOUT) -> ServerInfo:
    """Start the local Neo4j detached and return once Bolt answers; if it is already running, return that one."""
    home = _home(settings)
    with _locked(home):
        existing = _read_record(home)
        if existing and _pid_alive(existing.pid):
            return ServerInfo(existing.pid, existing.uri, existing.started_at, already_running=True)
        _record_path(home).unlink(missing_ok=True)
        began = time.monotonic()
        process = _spawn(home, settings.neo4j_port, settings.neo4j_heap, settings.neo4j_page_cache,
                         detach=True, notify=notify)
        try:
            uri = _wait_for_bolt(home, process, timeout, notify)
        except BaseException:
            _end(process)
            raise
        info = ServerInfo(process.pid, uri, _now(), startup_seconds=round(time.monotonic() - began, 2))
        write_atomic(_record_path(home), json.dumps(info.record(), indent=2) + "\n")
        # The launcher is meant to outlive this Popen object; tell it not to warn that the child still runs.
        process.returncode = 0
        return info


def stop(settings: Settings, timeout: float = STOP_TIMEOUT) -> StopResult:
    """SIGTERM the recorded launcher (its shutdown hook closes the store), SIGKILL it after ``timeout``."""
    home = _home(settings)
    with _locked(home):
        record = _read_record(home)
        if record is None or not _pid_alive(record.pid):
            _record_path(home).unlink(missing_ok=True)
            return StopResult(was_running=False)
        try:
            os.kill(record.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass  # it ended on its own between the check and the signal
        killed = not _wait_gone(record.pid, timeout)
        if killed:
            try:
                os.kill(record.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _wait_gone(record.pid, 10.0)
        _record_path(home).unlink(missing_ok=True)
        clean = not killed and bool(_STOPPED_LINE.search(_read_log(home)))
        return StopResult(was_running=True, pid=record.pid, clean=clean, killed=killed)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def status(settings: Settings) -> ServerStatus:
    home = _home(settings)
    record = _read_record(home)
    if record is None or not _pid_alive(record.pid):
        return ServerStatus(running=False, home=str(neo4j_dir(home)))
    return ServerStatus(running=True, home=str(neo4j_dir(home)), pid=record.pid, uri=record.uri,
                        started_at=record.started_at)


def local_uri(home: Path) -> str | None:
    """The Bolt URI of the local Neo4j started from ``home``, or None if it is not running."""
    record = _read_record(Path(home).resolve())
    return record.uri if record and _pid_alive(record.pid) else None


# ---------------------------------------------------------------- a child for tests


@contextmanager
def running_child(home: Path, port: int = 0, heap: str = "512m", page_cache: str = "64m",
                  timeout: float = START_TIMEOUT) -> Iterator[ServerInfo]:
    """Run the launcher as a child for the duration of the block; closing its stdin stops it cleanly.

    Nothing is recorded in ``server.json``: the child belongs to this process, and it stops by itself if
    this process dies (its stdin reaches end-of-file).
    """
    home = Path(home).resolve()
    neo4j_dir(home).mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    process = _spawn(home, port, heap, page_cache, detach=False, notify=None)
    try:
        uri = _wait_for_bolt(home, process, timeout, None)
    except BaseException:
        _close(process.stdin)
        _end(process)
        raise
    try:
        yield ServerInfo(process.pid, uri, _now(), startup_seconds=round(time.monotonic() - began, 2))
    finally:
        _close(process.stdin)
        try:
            code = process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
    # Reached only when the block itself succeeded: an unclean stop must not go unnoticed.
    if code != 0 or not _STOPPED_LINE.search(_read_log(home)):
        raise Neo4jServerError(f"the local Neo4j did not shut down cleanly (exit {code}; log: {log_path(home)})")


def _close(stream: IO[bytes] | None) -> None:
    if stream is not None:
        try:
            stream.close()
        except OSError:
            pass
