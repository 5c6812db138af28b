"""Graph model, entity resolution, stores and analysis (built in the graph issue)."""
