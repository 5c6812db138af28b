"""Errors for narratives that cannot be extracted, each with a message a person can act on."""

from __future__ import annotations


class NarrativeError(ValueError):
    """A narrative was rejected; nothing was extracted from it."""


class EmptyNarrative(NarrativeError):
    pass


class NarrativeTooLarge(NarrativeError):
    pass


class NotText(NarrativeError):
    """Binary data, or text in an encoding that could not be read."""


class ModelNotFound(RuntimeError):
    pass
