"""Screening partners' identifiers and names against flagged entities (issue 6).

``models`` the contract (what is flagged, asked and answered); ``keys`` the one matching key per
identifier kind (also what the privacy mode hashes); ``names`` the explainable name score; ``blocking``
candidate names without a scan; ``index`` the ``ScreeningIndex`` the service holds; ``evaluation`` and
``synthetic`` the evaluation set and benchmark lists. See docs/screening.md.
"""
