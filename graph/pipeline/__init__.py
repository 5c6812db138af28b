"""The write path: narratives' extractions into the graph (``apply``: write, decide, delete, correct), built on
``writing`` (build, corrections, resolution, materialisation), ``removal`` and ``replay`` (one narrative out
or rewritten), and ``ingest`` (extract and write in batches). The stores only carry these out."""

from graph.pipeline.apply import correct, decide, delete_narrative, write

__all__ = ["correct", "decide", "delete_narrative", "write"]
