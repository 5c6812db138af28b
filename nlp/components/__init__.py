"""Sightline's registered spaCy components. Importing this package registers their factories."""

from nlp.components import entities, facts, identifiers, lines

__all__ = ["entities", "facts", "identifiers", "lines"]
