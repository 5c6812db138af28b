"""The one error the local Neo4j raises, and how it quotes the output of a tool that failed.

Every failure (missing Java, Maven failure, port in use, a launcher that exits early) reaches a person as
one readable message, so the CLI can print it without a traceback.
"""

from __future__ import annotations


class Neo4jServerError(RuntimeError):
    """Something a person can act on (missing Java, Maven failure, port in use...), as one readable message."""


def last_lines(text: str, lines: int = 15) -> str:
    """The last non-blank ``lines`` of a tool's output: where Maven and the JVM say what went wrong."""
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return "\n".join(kept)
