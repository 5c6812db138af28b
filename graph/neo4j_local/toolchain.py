"""The Java side of the local Neo4j: which ``java`` runs the launcher, and with which jars.

Neo4j Community (which includes Bolt) and APOC core are resolved by Maven from ``pom.xml`` once; the
resulting classpath is cached so that every later start works offline and without Maven. ``Launcher.java``
is run as a single-file source program (Java compiles it in memory at each start), so there is no build
step and no compiled artefact to go stale.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.atomic_file import write_atomic
from graph.neo4j_local.config import LocalNeo4j
from graph.neo4j_local.errors import Neo4jServerError, last_lines
from graph.neo4j_local.layout import LAUNCHER_SOURCE, POM, dbms_dir, neo4j_dir, user_cache_dir

MAVEN_TIMEOUT = 900.0

# What Neo4j's own start script passes to the JVM: without them the page cache falls back to slower paths.
JVM_FLAGS = (
    "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)

Notify = Callable[[str], None]


def find_java() -> str:
    """``$JAVA_HOME/bin/java`` if there is one, else ``java`` on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    candidate = Path(java_home) / "bin" / "java" if java_home else None
    java = str(candidate) if candidate and candidate.is_file() else shutil.which("java")
    if java is None:
        raise Neo4jServerError("Java is not installed (no `java` on PATH or in JAVA_HOME); Neo4j 5.26 needs Java 17 or 21")
    return java


def launcher_command(classpath: str, config: LocalNeo4j, detach: bool) -> list[str]:
    """The command line that runs ``Launcher.java`` for ``config`` (``detach``: no stdin to watch)."""
    command = [find_java(), f"-Xmx{config.heap}", *JVM_FLAGS, "-cp", classpath, str(LAUNCHER_SOURCE),
               "--home", str(dbms_dir(config.home)), "--port", str(config.port), "--page-cache", config.page_cache]
    if detach:
        command.append("--detach")
    return command


def pom_hash(pom: Path = POM) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()[:16]


def _classpath_ok(path: Path) -> bool:
    """A cached classpath is usable only if every jar in it still exists (``~/.m2`` may have been wiped)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return False
    entries = [entry for entry in text.split(os.pathsep) if entry]
    return bool(entries) and all(Path(entry).is_file() for entry in entries)


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
    with _resolving_alone(key):
        if _classpath_ok(shared):  # looked at again under the lock: another process may just have resolved it
            write_atomic(local, shared.read_text(encoding="utf-8"))
            return local
        return _resolve(pom, key, local, shared, notify)


@contextmanager
def _resolving_alone(key: str) -> Iterator[None]:
    """One Maven resolution per user at a time: two processes starting a local Neo4j together (two test
    workers, two services) would otherwise download into ``~/.m2`` at once and may leave half-written jars."""
    lock_path = user_cache_dir() / f".neo4j-classpath-{key}.lock"
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a")  # noqa: SIM115 - held for the whole resolution
    except OSError:
        yield  # no writable user cache: resolve without the lock, as before
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _resolve(pom: Path, key: str, local: Path, shared: Path, notify: Notify | None) -> Path:
    """Run Maven once to list the launcher's jars and cache the result in the home and the user cache."""
    maven = shutil.which("mvn")
    if maven is None:
        raise Neo4jServerError("Maven (mvn) is not on PATH; it is needed once to fetch Neo4j's jars "
                               "(install Maven 3.8+, e.g. `apt-get install maven`)")
    find_java()  # fail early, before a long download, if there is no Java to run the result
    if notify:
        notify("resolving Neo4j and APOC jars with Maven (first run only)")
    output = local.parent / f".classpath-{key}.{os.getpid()}.mvn"
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
        detail = last_lines(done.stdout + "\n" + done.stderr) or "(no output)"
        raise Neo4jServerError(f"Maven could not resolve the Neo4j launcher's jars (exit {done.returncode}):\n{detail}")
    classpath = output.read_text(encoding="utf-8").strip()
    output.unlink(missing_ok=True)
    write_atomic(local, classpath)
    try:
        write_atomic(shared, classpath)
    except OSError:
        pass  # the user cache is an optimisation; the home copy is enough
    return local
