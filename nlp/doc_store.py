"""The plain data Sightline's components share on one spaCy Doc, and the hints the caller leaves there.

Kept apart from the components so that modules the components use (participants, finders) can read
the doc's text without importing a component package. Plain data in ``doc.user_data`` survives the trip
back from worker processes when ``nlp.pipe`` runs with ``n_process > 1``.
"""

from __future__ import annotations

from spacy.tokens import Doc

HINTS_KEY = "sightline_hints"  # set by the caller before the pipeline: {"regions": [...], "phone_regions": [...]}
RESULT_KEY = "sightline"


def result(doc: Doc) -> dict:
    """The plain-data store the Sightline components share on one Doc."""
    return doc.user_data.setdefault(RESULT_KEY, {})


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once: spaCy re-joins every token (a new ``Token`` object each) on every access,
    which cost more than some components' whole work on short texts."""
    hints = doc.user_data.setdefault(HINTS_KEY, {})
    text = hints.get("text")
    if text is None:
        text = hints["text"] = doc.text
    return text
