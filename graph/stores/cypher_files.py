"""Load the Neo4j adapter's Cypher statements from ``cypher/*.cypher`` by name.

Keeping every statement in its own file keeps queries reviewable as queries, and makes "no value is ever
formatted into Cypher" checkable: nothing in Python builds statement text. The files are package data of
the ``cypher`` package, read through importlib.resources, so an installed wheel finds them as a source
checkout does.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

CYPHER = files("cypher")


@lru_cache(maxsize=None)
def statement(name: str) -> str:
    path = CYPHER / f"{name}.cypher"
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("//"))
    return text.strip()


def schema_statements() -> list[str]:
    return [s.strip() for s in statement("schema").split(";") if s.strip()]
