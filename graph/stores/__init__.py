"""graph.stores."""
