"""Neo4j's own bulk importer (``neo4j-admin database import full``) run against the local Neo4j's files.

Why: a first load of a large corpus through transactional writes pays for every existence check, index
update and transaction log entry; the import tool writes the store files directly, many times faster.
It needs the database offline, so it runs only while the local Neo4j under the home is stopped (the
home's lock is held meanwhile, so ``sightline neo4j start`` waits for it).

The tool is ``org.neo4j:neo4j-import-tool`` (in ``pom.xml``), run through ``org.neo4j.cli.AdminTool`` from
the launcher's own classpath with ``NEO4J_HOME`` set to the launcher's Neo4j home (``dbms/``), so it writes
exactly the database folder the launcher opens. What the CSV files hold is decided by the caller
(``graph.stores.bulk_import``); this module only runs the tool and reports on it.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.neo4j_local.errors import Neo4jServerError, last_lines
from graph.neo4j_local.layout import dbms_dir, neo4j_dir
from graph.neo4j_local.record import locked, pid_alive, read_record
from graph.neo4j_local.toolchain import JVM_FLAGS, Notify, ensure_classpath, find_java

ADMIN_MAIN = "org.neo4j.cli.AdminTool"
IMPORT_TIMEOUT = 6 * 3600.0

# The tool prints "(1/4) Node import", then rows of dots ending in "  35% ∆..." for each stage.
_STAGE = re.compile(r"^\((\d+)/(\d+)\)\s+(.+?)\s*$")
_PERCENT = re.compile(r"\s(\d{1,3})%\s")
_IMPORTED = re.compile(r"^\s*(\d+)\s+(nodes|relationships)\s*$", re.MULTILINE)

# Called with the stage the tool is in (e.g. "Node import") and the share of all stages done, 0..1.
ImportProgress = Callable[[str, float], None]


@dataclass(frozen=True)
class ImportResult:
    """What the tool reported: elements written and how long it took (JVM start included)."""

    nodes: int
    relationships: int
    seconds: float


def database_dir(home: Path, database: str = "neo4j") -> Path:
    return dbms_dir(home) / "data" / "databases" / database


def database_exists(home: Path, database: str = "neo4j") -> bool:
    """True once the launcher (or an earlier import) created the database's store files."""
    return (database_dir(home, database) / "neostore").is_file()


def admin_command(classpath: str, heap: str) -> list[str]:
    """``java ... org.neo4j.cli.AdminTool``: neo4j-admin from the launcher's classpath, no distribution needed."""
    return [find_java(), f"-Xmx{heap}", *JVM_FLAGS, "-cp", classpath, ADMIN_MAIN]


def import_arguments(nodes: Sequence[Path], relationships: Sequence[Path], *, database: str, report: Path,
                     max_memory: str, overwrite: bool, multiline: bool, read_buffer: int) -> list[str]:
    """``database import full`` arguments: every string column as written (no trimming, "" kept as "")."""
    arguments = ["database", "import", "full", *(f"--nodes={p}" for p in nodes),
                 *(f"--relationships={p}" for p in relationships), f"--report-file={report}",
                 f"--max-off-heap-memory={max_memory}", f"--read-buffer-size={read_buffer}",
                 "--id-type=string", "--trim-strings=false", "--ignore-empty-strings=false"]
    if overwrite:
        arguments.append("--overwrite-destination=true")
    if multiline:
        arguments.append("--multiline-fields=true")
    arguments.append(database)
    return arguments


def _server_running(home: Path) -> bool:
    record = read_record(home)
    return record is not None and pid_alive(record.pid)


def run_import(home: Path, nodes: Sequence[Path], relationships: Sequence[Path], *, database: str = "neo4j",
               heap: str = "512m", max_memory: str = "1g", overwrite: bool = False, multiline: bool = False,
               read_buffer: int = 4 * 1024 * 1024, notify: Notify | None = None,
               on_progress: ImportProgress | None = None) -> ImportResult:
    """Run the import tool on the CSV files into ``database`` under ``home``'s local Neo4j, which must be stopped.

    ``overwrite`` replaces an existing database's files; the caller decides whether that is allowed (the
    import command allows it only for an empty graph). Raises :class:`Neo4jServerError` with the tool's
    last lines if it fails.
    """
    home = Path(home).resolve()
    classpath = ensure_classpath(home, notify).read_text(encoding="utf-8").strip()
    dbms_dir(home).mkdir(parents=True, exist_ok=True)
    with locked(home):
        if _server_running(home):
            raise Neo4jServerError("the local Neo4j is running; stop it (`sightline neo4j stop`) before a bulk import")
        if database_exists(home, database) and not overwrite:
            raise Neo4jServerError(f"the local Neo4j already has a database {database!r}; a bulk import writes a new one")
        with tempfile.TemporaryDirectory(dir=neo4j_dir(home), prefix="bulk-report-") as scratch:
            command = admin_command(classpath, heap) + import_arguments(
                nodes, relationships, database=database, report=Path(scratch) / "import.report",
                max_memory=max_memory, overwrite=overwrite, multiline=multiline, read_buffer=read_buffer)
            return _run(command, home, on_progress)


def _run(command: list[str], home: Path, on_progress: ImportProgress | None) -> ImportResult:
    env = {**os.environ, "NEO4J_HOME": str(dbms_dir(home)), "NEO4J_CONF": str(dbms_dir(home) / "conf")}
    began = time.monotonic()
    try:
        process = subprocess.Popen(command, cwd=neo4j_dir(home), env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
    except OSError as error:
        raise Neo4jServerError(f"could not run Neo4j's import tool: {error}") from None
    output: list[str] = []
    stage, stages, done_stages = "starting", 1, 0
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        found = _STAGE.match(line.strip())
        if found:
            done_stages, stages, stage = int(found.group(1)) - 1, max(int(found.group(2)), 1), found.group(3)
            if on_progress:
                on_progress(stage, done_stages / stages)
            continue
        percent = _PERCENT.search(line)
        if percent and on_progress:
            on_progress(stage, (done_stages + min(int(percent.group(1)), 100) / 100) / stages)
        if time.monotonic() - began > IMPORT_TIMEOUT:
            process.kill()
    code = process.wait()
    text = "".join(output)
    if code != 0 or "IMPORT DONE" not in text:
        raise Neo4jServerError(f"Neo4j's import tool failed (exit {code}):\n{last_lines(_without_dots(text), 12)}")
    counts = {kind: int(n) for n, kind in _IMPORTED.findall(text)}
    if on_progress:
        on_progress("done", 1.0)
    return ImportResult(counts.get("nodes", 0), counts.get("relationships", 0), round(time.monotonic() - began, 2))


def _without_dots(text: str) -> str:
    """The tool's progress rows (dots and percentages) say nothing about why it failed."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("....", "-...")))
