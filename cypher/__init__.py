"""The Neo4j adapter's Cypher statements, one per file (see README.md here); package data, no code."""
