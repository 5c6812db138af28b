"""Open a fresh store of either kind for a test: the embedded SQLite file, or the session's real Neo4j.

Neo4j Community has one user database, so a "fresh" Neo4j store is the shared server wiped clean; tests
that use it run one after another (pytest does not run tests in parallel here).
"""

from __future__ import annotations

from pathlib import Path

from neo4j import GraphDatabase

from graph.corrections import CorrectionLog
from graph.decisions import DecisionLog
from graph.stores.factory import open_store
from graph.stores.protocol import GraphStore

KINDS = ("sqlite", "neo4j")


def wipe_neo4j(uri: str) -> None:
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def fresh_store(kind: str, home: Path, neo4j_uri: str | None = None) -> GraphStore:
    if kind == "sqlite":
        return open_store(home)
    from graph.stores.neo4j import Neo4jStore

    assert neo4j_uri is not None
    wipe_neo4j(neo4j_uri)
    return Neo4jStore(neo4j_uri, decisions=DecisionLog(home), corrections=CorrectionLog(home))
