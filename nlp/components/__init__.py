"""Sightline's registered spaCy components. Importing this package registers their factories."""

from nlp.components import entities, facts, identifiers

__all__ = ["entities", "facts", "identifiers"]
