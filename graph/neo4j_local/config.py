"""What the local Neo4j is started with: one typed value instead of the application's settings object.

The launcher belongs to the graph layer, which must not know how the application reads its configuration
(``state.settings``); the application builds a :class:`LocalNeo4j` from its settings and hands it over.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LocalNeo4j:
    """A local Neo4j to start: whose home it lives under, and how its JVM and Bolt port are sized.

    ``home`` is the Sightline home (``SIGHTLINE_HOME``); the server's files go under ``home/neo4j/``.
    ``port`` is the Bolt port on 127.0.0.1, 0 for a free one; ``heap`` (``-Xmx``) and ``page_cache`` are
    sizes such as ``512m``.
    """

    home: Path
    port: int
    heap: str
    page_cache: str
