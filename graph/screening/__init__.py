"""Screening partners' identifiers and names against flagged entities (issue 6)."""
