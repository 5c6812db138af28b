"""Response models declared from the domain dataclasses they show, so that no field is written twice.

The domain packages hold their results as stdlib dataclasses (``graph.analysis.results``,
``screening.models``, ``nlp.extraction``, ``state.audit``, ...) and never import the API. The API still
needs pydantic models of its own: the OpenAPI document names them (``CommunityOut``, whatever the
dataclass is called), describes their fields, and sometimes shows a field differently (a node id on the
wire is a ``NodeRef`` with its label and name). Copying the dataclass field by field into a model let the
two drift apart silently; ``mirror`` instead builds the model's fields from the dataclass's own fields,
type hints and defaults, and states only what the wire shows differently. A response model subclasses the
result, so its name, docstring and any fields of its own are written the usual way:

    class ActorOut(mirror(ActorScore, drop=("name",), wire={"node": NodeRef})):  # type: ignore[misc]
        pass

``project`` is the way back: it fills such a model from a dataclass instance, copying every field the two
share by name, so the code that builds a response only spells out the fields it changes.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, Field, create_model

M = TypeVar("M", bound=BaseModel)


def _field(source: dataclasses.Field[Any] | None, description: str | None) -> Any:
    """The pydantic field for one wire field: the dataclass's default (if any) and the API's description.

    A field the dataclass does not have is required, like a dataclass field without a default."""
    extra: dict[str, Any] = {} if description is None else {"description": description}
    if source is not None and source.default is not dataclasses.MISSING:
        return Field(source.default, **extra)
    if source is not None and source.default_factory is not dataclasses.MISSING:
        return Field(default_factory=source.default_factory, **extra)
    return Field(**extra)


def mirror(source: type, *, wire: Mapping[str, Any] | None = None, drop: Collection[str] = (),
           first: Collection[str] = (), describe: Mapping[str, str] | None = None) -> type[BaseModel]:
    """A pydantic base with the fields of the dataclass ``source``, in its order, with its types and defaults.

    ``wire`` gives the type a field has on the wire instead (a name the dataclass lacks adds a required
    field); ``drop`` leaves fields out; ``first`` puts these fields first, in this order, so the published
    order can differ from the dataclass's; ``describe`` gives OpenAPI descriptions. A name that matches no
    field raises at import time, so a renamed dataclass field cannot leave a stale rule behind; the rename
    itself shows in the OpenAPI document, where the API tests see it.
    """
    if not (isinstance(source, type) and dataclasses.is_dataclass(source)):
        raise TypeError(f"{source!r} is not a dataclass")
    wire, describe = dict(wire or {}), dict(describe or {})
    own = {f.name: f for f in dataclasses.fields(source)}
    unknown = (set(drop) - set(own)) | ((set(first) | set(describe)) - set(own) - set(wire))
    dropped_but_named = set(drop) & (set(wire) | set(first) | set(describe))
    if unknown or dropped_but_named:
        raise ValueError(f"mirror of {source.__name__}: unknown fields {sorted(unknown)}, "
                         f"dropped but named again {sorted(dropped_but_named)}")
    hints = typing.get_type_hints(source)
    names = [n for n in own if n not in drop] + [n for n in wire if n not in own]
    names = [*first, *(n for n in names if n not in first)]
    fields: dict[str, Any] = {name: (wire.get(name, hints.get(name)), _field(own.get(name), describe.get(name)))
                              for name in names}
    return create_model(f"{source.__name__}Wire", **fields)


def project(model: type[M], source: object, **shown: Any) -> M:
    """``model`` filled from ``source``: ``shown`` for the fields it gives, the same-named attribute for the rest.

    Fields with a default that ``source`` lacks keep the default; a required one it lacks fails validation,
    as does a name in ``shown`` that the model does not have (a typo would otherwise vanish silently)."""
    unknown = set(shown) - set(model.model_fields)
    if unknown:
        raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")
    values = {name: shown[name] if name in shown else getattr(source, name)
              for name in model.model_fields if name in shown or hasattr(source, name)}
    return model(**values)
