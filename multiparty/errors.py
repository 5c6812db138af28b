"""The one error a joint computation raises for a person to read; never carries another party's data."""


class MpcError(RuntimeError):
    """A computation could not be completed; the message says why, and no result was written."""
