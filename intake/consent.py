"""The consent vocabulary: what a narrative's source agreed to, and whether its facts may be shared.

A narrative's facts enter the shared graph (and so search, reports, exports, aggregates and screening)
only with consent to share. The values, as the API schema and ``docs/api.md`` give them:

- ``given``: the source agreed to the narrative being shared;
- ``restricted``: the source agreed to its use by the submitting organisation only (its own casework);
- ``refused``: the source did not agree to sharing;
- ``withdrawn``: consent was given and then taken back.

Only ``given`` shares. The values this API took before them are still read, so that older clients and
files keep working: ``yes`` and ``anonymised`` (consent to share the anonymised narrative) mean ``given``,
``no`` means ``refused``, and ``unknown`` (nobody knows whether the source agreed) is no consent to share,
``restricted``. A narrative with no consent field at all is shared, as before consent was enforced; an
organisation that records consent says so with the field. Any other value given to the command line (a
free-text metadata column) shares nothing: a value nobody can read is not a consent.

This module is pure (no store, no database), so the request models and the command line can use it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

CONSENT_VALUES = ("given", "restricted", "refused", "withdrawn")
SHARING = "given"
LEGACY = {"yes": "given", "anonymised": "given", "anonymized": "given", "no": "refused", "unknown": "restricted"}


def normalise(value: str | None) -> str | None:
    """One of ``CONSENT_VALUES`` (or None when absent); ``ValueError`` for a value that is none of them."""
    if value is None:
        return None
    word = value.strip().lower()
    if not word:
        return None
    word = LEGACY.get(word, word)
    if word not in CONSENT_VALUES:
        raise ValueError("not a consent value; use one of " + ", ".join(CONSENT_VALUES))
    return word


def shares(value: str | None) -> bool:
    """Whether a narrative with this consent may enter the shared graph: only with consent given (or
    none stated); an unreadable value does not share."""
    try:
        word = normalise(value)
    except ValueError:
        return False
    return word is None or word == SHARING


def _legacy(value: Any) -> Any:
    """Map the older values onto the current ones before validation; anything else is validated as sent."""
    if isinstance(value, str) and value.strip().lower() in LEGACY:
        return LEGACY[value.strip().lower()]
    return value


# The field type of ``consent`` in requests: the schema publishes the four values, the older ones are read too.
ConsentValue = Annotated[Literal["given", "restricted", "refused", "withdrawn"], BeforeValidator(_legacy)]
