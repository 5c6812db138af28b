"""FollowTheMoney JSON lines from outside, read strictly: one entity per line, each checked against the FtM model.

``followthemoney``'s own ``model.get_proxy(data)`` is lenient by design: it drops a property the schema
does not have and a value its type cannot clean, without a word. An import that must lose nothing cannot
work like that, so ``check_entity`` refuses instead: an unknown schema, a property the schema does not
have, a value that is not valid for its property's type (a phone that is no phone number, a country that is
no country), a missing required property. Messages name the line, the schema and the property, never a
value (a list of victims must not end up in a terminal or a log).

Lines are read with a bounded ``readline``: a line over ``MAX_LINE_BYTES`` (1 MB; an FtM entity is a few
hundred bytes) is refused after reading at most that much, so a 100 MB line costs 1 MB of memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from nlp.json_input import JsonInputError, loads

MAX_LINE_BYTES = 1 << 20
MAX_PROBLEMS = 50
# Top-level keys other tools write beside id/schema/properties (yente, nomenklatura, Aleph); kept out.
CONTEXT_KEYS = frozenset({"datasets", "referents", "first_seen", "last_seen", "last_change", "caption", "target"})
_SAFE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


class FtmFileError(ValueError):
    """The file cannot be read as FtM entities; ``problems`` holds one line per bad entity."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        shown = self.problems[:MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        super().__init__("\n".join([message, *shown] + ([f"... and {more} more"] if more > 0 else [])))


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    value: Any  # the parsed JSON, or None when the line could not be read
    problem: str | None = None


def _named(text: Any) -> str:
    """A schema or property name, quoted only when it looks like one (never an arbitrary value)."""
    return repr(text) if isinstance(text, str) and _SAFE_NAME.match(text) else "(a name that is not a schema or property name)"


def read_lines(path: Path, limit: int = MAX_LINE_BYTES) -> Iterator[Line]:
    """Every non-empty line as parsed JSON, or as a problem. A line over ``limit`` bytes ends the reading:
    the rest of it is never read (and the lines after it cannot be trusted to start where they seem to)."""
    with path.open("rb") as handle:
        number = 0
        while True:
            raw = handle.readline(limit + 1)
            if not raw:
                return
            number += 1
            if len(raw) > limit:
                yield Line(number, None, f"line {number}: longer than {limit // (1 << 20) or limit} "
                                         f"{'MB' if limit >= 1 << 20 else 'bytes'}; an FtM entity is one short line")
                return
            if not raw.strip():
                continue
            try:
                yield Line(number, loads(raw.decode("utf-8")))
            except UnicodeDecodeError:
                yield Line(number, None, f"line {number}: not UTF-8 text")
            except JsonInputError as error:
                yield Line(number, None, f"line {number}: {error}")


def check_entity(data: Any) -> list[str]:
    """What is wrong with ``data`` as an FtM entity (empty when nothing is), strictly: see the module doc."""
    if not isinstance(data, dict):
        return ["not a FollowTheMoney entity (an object with id, schema and properties)"]
    problems: list[str] = []
    unknown = sorted(k for k in data if k not in ("id", "schema", "properties") and k not in CONTEXT_KEYS)
    if unknown:
        problems.append(f"unknown field(s) {', '.join(_named(k) for k in unknown[:5])}")
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not registry.entity.validate(entity_id):
        problems.append("the id is missing or not an FtM entity id (letters, digits, '.' and '-', at most 200)")
    schema = model.get(data["schema"]) if isinstance(data.get("schema"), str) else None
    if schema is None:
        return problems + [f"unknown schema {_named(data.get('schema'))}"]
    if schema.abstract:
        return problems + [f"schema {schema.name!r} is abstract; entities use one of its concrete schemata"]
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        return problems + ["properties must be an object of property name to a list of values"]
    for name, values in properties.items():
        prop = schema.properties.get(name)
        if prop is None:
            problems.append(f"{schema.name} has no property {_named(name)}")
            continue
        if prop.stub:
            problems.append(f"{schema.name}.{name} cannot be written (it is the reverse of another property)")
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append(f"{schema.name}.{name} must be a list of strings")
            continue
        bad = sum(1 for v in values if len(v) > prop.type.max_length or not prop.type.validate(v))
        if bad:
            problems.append(f"{schema.name}.{name}: {bad} value(s) not a valid {prop.type.name}")
    for name in sorted(schema.required):
        if not properties.get(name):
            problems.append(f"{schema.name} needs the property {name!r}")
    return problems


def proxy(data: dict[str, Any]) -> EntityProxy:
    """The entity as an FtM proxy, after ``check_entity`` found nothing wrong (values are then clean)."""
    return model.get_proxy({"id": data["id"], "schema": data["schema"], "properties": data.get("properties", {})},
                           cleaned=True)


def read_entities(path: Path, limit: int = MAX_LINE_BYTES) -> list[tuple[int, EntityProxy]]:
    """Every entity of the file, each checked; ``FtmFileError`` listing every bad line if any is bad."""
    if not path.is_file():
        raise FtmFileError(f"{path}: no such file")
    problems: list[str] = []
    out: list[tuple[int, EntityProxy]] = []
    for line in read_lines(path, limit):
        if line.problem:
            problems.append(line.problem)
            continue
        found = check_entity(line.value)
        if found:
            problems += [f"line {line.number}: {p}" for p in found]
            continue
        out.append((line.number, proxy(line.value)))
    if problems:
        raise FtmFileError(f"{path}: {len(problems)} problem(s); nothing was imported", problems)
    return out
