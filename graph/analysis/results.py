"""What the analysis returns, as plain typed data that round-trips through JSON.

``sightline analyse`` saves an ``AnalysisResult`` in ``SIGHTLINE_HOME`` and ``sightline report`` renders
it, so these classes are the contract between ``graph.analysis`` and ``reports``. Node references are
graph node ids; names are carried alongside only for display (reports decide what to pseudonymise).
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, TypeVar


@dataclass(slots=True)
class Community:
    id: int  # 0 is the largest community; ties broken by the smallest member id
    members: list[str]  # Person node ids, sorted
    size: int
    businesses: list[str]  # Organization node ids linked to members, most-linked first
    phones: list[str]  # Phone node ids used by members
    locations: list[str]  # Location node ids linked to members
    indicators: dict[str, int]  # HTCDS code -> number of the community's narratives evidencing it
    narratives: list[str]  # narrative ids (source ids such as "s001") behind the members, sorted


@dataclass(slots=True)
class ActorScore:
    node: str
    name: str
    community: int
    degree: float  # degree centrality within the community's subgraph
    betweenness: float
    pagerank: float
    score: float  # the rank key: mean of the three, each scaled to [0, 1] within the community
    roles: list[str]


@dataclass(slots=True)
class Broker:
    node: str
    name: str
    communities: list[int]  # communities the broker's neighbours belong to
    betweenness: float  # betweenness over the whole person projection
    participation: float  # participation coefficient: 0 all ties in one community, -> 1 spread evenly


@dataclass(slots=True)
class Hop:
    source: str
    target: str
    type: str
    narratives: list[str]
    confidence: float


@dataclass(slots=True)
class PathResult:
    nodes: list[str]
    hops: list[Hop]

    @property
    def length(self) -> int:
        return len(self.hops)


@dataclass(slots=True)
class Corridor:
    origin: str  # Location node id
    destination: str
    origin_name: str
    destination_name: str
    people: int  # distinct travellers (unknown travellers count once per narrative)
    legs: int
    modes: dict[str, int]
    period: list[str]  # dates as written, earliest mention first; empty when no leg states one
    narratives: list[str]


@dataclass(slots=True)
class Hotspot:
    node: str
    label: str  # Location or Organization
    name: str
    victims: int  # distinct victims linked to it
    indicators: int  # indicator mentions in the narratives that link it to a victim
    narratives: list[str]
    score: float


@dataclass(slots=True)
class ExposureContribution:
    target: str
    target_kind: str  # "victim", "exploiter" or "site"
    distance: int  # hops from the person
    weight: float  # the kind's weight (a setting)
    strength: float  # evidence strength of the path: the product of hop confidences
    contribution: float  # weight * decay ** (distance - 1) * strength
    path: list[str]  # node ids from the person to the target
    narratives: list[str]  # narratives evidencing the path's hops


@dataclass(slots=True)
class Exposure:
    person: str
    name: str
    score: float  # 1 - exp(-raw): in [0, 1), comparable across people
    raw: float  # sum of contributions
    contributions: list[ExposureContribution]  # largest first


@dataclass(slots=True)
class NarrativeInfo:
    id: str  # source id, e.g. "s001"
    node: str  # Narrative node id
    grading: str | None  # Admiralty code such as "B2"
    organisation: str | None
    date: str | None
    exploitation: list[str]  # HTCDS types of exploitation evidenced


@dataclass(slots=True)
class AnalysisResult:
    parameters: dict[str, Any]  # every parameter that shaped the result (seed, resolution, exposure weights)
    method: str  # "python-louvain" or "networkx"; "leiden" with the igraph backend
    modularity: float
    communities: list[Community] = field(default_factory=list)
    actors: list[ActorScore] = field(default_factory=list)  # top actors per community, best first
    brokers: list[Broker] = field(default_factory=list)
    corridors: list[Corridor] = field(default_factory=list)  # busiest first
    hotspots: list[Hotspot] = field(default_factory=list)  # highest score first
    exposure: list[Exposure] = field(default_factory=list)  # every non-exploiter person, most exposed first
    indicators: dict[str, int] = field(default_factory=dict)  # HTCDS method of control -> narratives
    exploitation: dict[str, int] = field(default_factory=dict)  # HTCDS type of exploitation -> narratives
    narratives: list[NarrativeInfo] = field(default_factory=list)
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {label, name, roles} for every node cited

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisResult:
        return _build(cls, data)


T = TypeVar("T")


def _convert(tp: Any, value: Any) -> Any:
    """Rebuild nested dataclasses from the type hints, so the JSON form needs no type tags."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_convert(item, v) for v in value]
    if is_dataclass(tp):
        return _build(tp, value)  # type: ignore[arg-type]
    return value


def _build(cls: type[T], data: dict[str, Any]) -> T:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"unknown field(s) for {cls.__name__}: {', '.join(sorted(unknown))}")
    return cls(**{k: _convert(hints[k], v) for k, v in data.items()})
