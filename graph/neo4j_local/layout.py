"""Where the local Neo4j's files are: the launcher's sources in this package, its state under the home.

Layout under ``SIGHTLINE_HOME/neo4j/``: ``dbms/`` (Neo4j's own home: ``data/``, ``logs/``, ``plugins/``),
``launcher.log`` (the launcher's stdout and stderr), ``server.json`` (the detached server's record),
``classpath-<hash>.txt`` (the jars Maven resolved). The classpath is also cached per user, outside any home.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
POM = PACKAGE_DIR / "pom.xml"
LAUNCHER_SOURCE = PACKAGE_DIR / "Launcher.java"


def neo4j_dir(home: Path) -> Path:
    return Path(home) / "neo4j"


def dbms_dir(home: Path) -> Path:
    return neo4j_dir(home) / "dbms"


def log_path(home: Path) -> Path:
    return neo4j_dir(home) / "launcher.log"


def record_path(home: Path) -> Path:
    return neo4j_dir(home) / "server.json"


def user_cache_dir() -> Path:
    """Shared across homes, so that a temporary ``SIGHTLINE_HOME`` (tests) does not run Maven again."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sightline"
