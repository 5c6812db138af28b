"""graph.pipeline."""
