"""JSON from outside, read with a bound on nesting: the one JSON parser for untrusted input.

Python's ``json`` recurses once per level of arrays and objects, so a value nested a thousand levels deep
ends in a ``RecursionError`` (a 500 in the API, a traceback in the command line), and anything that walks
the value afterwards (validation, our own code) recurses as deep again. No record Sightline reads needs more
than a handful of levels, so every JSON that arrives from outside (uploaded batch files, the command line's
JSON lines, imported screening lists, HTTP request bodies) is measured first and refused past
``MAX_JSON_DEPTH`` with a plain ``JsonInputError`` that names the limit and never quotes the input.

It lives in ``nlp`` (pure, no I/O) because that is the one package every reader of outside JSON may import:
intake, screening, graph, the API and the command line.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_JSON_DEPTH = 64  # arrays and objects; a narrative record is 1-2 deep, a screening body 3, an FtM entity 3

# A JSON string (with its escapes) and a bracket, as text and as bytes: strings are removed before the
# brackets are counted, since a '[' inside a string opens nothing.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STRING_BYTES = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_BRACKET_BYTES = re.compile(rb"[\[\]{}]")
_STEP: dict[str | bytes, int] = {"[": 1, "{": 1, "]": -1, "}": -1, b"[": 1, b"{": 1, b"]": -1, b"}": -1}


class JsonInputError(ValueError):
    """JSON that cannot be read: not JSON at all, or nested deeper than the bound. Never quotes the input."""


class JsonTooDeep(JsonInputError):
    """JSON nested deeper than the bound (it may be valid JSON otherwise)."""


def too_deep_message(limit: int = MAX_JSON_DEPTH) -> str:
    return f"nested deeper than {limit} levels of arrays and objects"


def nesting_depth(text: str | bytes) -> int:
    """How deeply arrays and objects nest in ``text`` (0 for a scalar), without parsing it.

    Linear and without recursion, so it is safe on any input; on text that is not valid JSON (an
    unterminated string) it may over-count, which only matters for input the parser would refuse anyway."""
    if isinstance(text, bytes):
        if text.count(b"[") + text.count(b"{") == 0:
            return 0
        brackets: list[Any] = _BRACKET_BYTES.findall(_STRING_BYTES.sub(b"", text))
    else:
        if text.count("[") + text.count("{") == 0:
            return 0
        brackets = _BRACKET.findall(_STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def check_depth(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """``JsonInputError`` if ``text`` nests deeper than ``limit``; cheap when it holds few brackets."""
    opening = text.count(b"[") + text.count(b"{") if isinstance(text, bytes) else text.count("[") + text.count("{")
    if opening > limit and nesting_depth(text) > limit:
        raise JsonTooDeep(too_deep_message(limit))


def loads(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """The JSON value of ``text``; ``JsonInputError`` if it is not JSON or nests deeper than ``limit``."""
    check_depth(text, limit)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}" if error.lineno > 1 else f"column {error.colno}"
        raise JsonInputError(f"not valid JSON ({error.msg} at {where})") from None
    except UnicodeDecodeError:
        raise JsonInputError("not valid JSON (the bytes are not UTF-8 text)") from None
    except RecursionError:  # (not reached below the bound; kept so that no input can make a traceback)
        raise JsonTooDeep(too_deep_message(limit)) from None
