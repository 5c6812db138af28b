"""A generated population of victim cases, written as graph records, for the sharing privacy tests and
benchmarks.

Every victim gets a name, a phone, an email and a street address that occur nowhere else (made of random
syllables, long enough that no pseudonym, code or word can contain one by chance), and the evidence
sentences repeat them, as real narratives do. A privacy test then lists every one of those raw values and
searches every byte of every default export, aggregate table and synthetic file for it.

The graph is written straight as transfer records (``graph.stores.transfer``), without the NLP: the
shape is what extraction produces (victims with a role per narrative, their stated sex, age, citizenship
and origin on the ``MENTIONED_IN`` edge, recruiters with phones, routes through real cities), at a size the
extraction could not produce in a test's time. The distributions are invented; figures measured on this
population say how the code behaves, not what real data would show.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graph import model as m

_C = "bdfgklmnprstvz"
_V = "aeiou"
CITIES = {"RO": ["Constanta", "Bucharest"], "NG": ["Lagos", "Benin City"], "VN": ["Hanoi", "Hai Phong"],
          "AL": ["Tirana", "Durres"], "PL": ["Krakow", "Warsaw"], "GB": ["London", "Birmingham"],
          "IT": ["Rome", "Naples"], "DE": ["Berlin", "Munich"], "FR": ["Paris", "Calais"], "AT": ["Vienna", "Graz"]}
ORIGINS = ("RO", "NG", "VN", "AL", "PL")
DESTINATIONS = ("GB", "IT", "DE", "FR", "AT")
EXPLOITATION = ("SexualExploitation", "ForcedLabour", "ForcedCriminality", "Servitude")
CONTROL = ("DebtBondage", "WithholdsDocuments", "PhysicalThreats", "TakesEarnings", "FalsePromises")


@dataclass(slots=True)
class Population:
    records: list[dict[str, Any]] = field(default_factory=list)
    # every raw value that must never appear in a default export: names, phones, emails, addresses
    secrets: dict[str, set[str]] = field(default_factory=lambda: {"name": set(), "phone": set(), "email": set(),
                                                                  "address": set()})
    victims: int = 0
    narratives: int = 0


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def word(self, syllables: int) -> str:
        return "".join(self.rng.choice(_C) + self.rng.choice(_V) for _ in range(syllables)).capitalize()

    def person(self) -> str:
        while True:
            name = f"{self.word(3)} {self.word(4)}"
            if name not in self.seen:
                self.seen.add(name)
                return name


def _evidence(source: str, sentence: str, confidence: float = 0.8) -> list[dict[str, Any]]:
    return [{"narrative": source, "sentence": sentence, "start": 0, "end": len(sentence), "confidence": confidence}]


def _node(node_id: str, label: str, name: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "node", "id": node_id, "label": label, "name": name, "props": props}


def _edge(type_: str, source: str, target: str, narrative: str, sentence: str, props: dict[str, Any] | None = None,
          qualifier: str = "") -> dict[str, Any]:
    return {"kind": "edge", "id": m.edge_id(type_, source, target, qualifier), "type": type_, "source": source,
            "target": target, "props": props or {}, "evidence": _evidence(narrative, sentence)}


def generate(victims: int = 10_000, seed: int = 18, refused_share: float = 0.02) -> Population:
    """At least ``victims`` victims in narratives of one to four victims each (see the module docstring)."""
    rng = random.Random(seed)
    names = _Names(rng)
    pop = Population()
    recruiters = []
    for i in range(max(20, victims // 200)):
        name, phone = names.person(), f"+4474{rng.randrange(10**7, 10**8)}"
        rid, pid = m.person_node_id(f"recruiter-{i}"), m.identifier_node_id(m.PHONE, phone)
        recruiters.append((rid, name, pid))
        pop.records += [_node(rid, m.PERSON, name, {"roles": {"recruiter": ["gen-recruiters"]}}),
                        _node(pid, m.PHONE, phone, {"value": phone, "region": "GB"})]
    places: dict[str, str] = {}
    for country, cities in CITIES.items():
        for city in cities:
            places[city] = m.location_node_id(city, country)
            pop.records.append(_node(places[city], m.LOCATION, city, {"country": country}))
    n = 0
    while pop.victims < victims:
        n += 1
        source = f"gen{n:06d}"
        consent = "refused" if rng.random() < refused_share else "given"
        narrative = m.narrative_node_id(f"{seed:04d}{n:020d}")
        origin, destination = rng.choice(ORIGINS), rng.choice(DESTINATIONS)
        kind = rng.choice(EXPLOITATION)
        indicators = [{"category": "type_of_exploitation", "code": kind, "htcds_value": kind}]
        indicators += [{"category": "method_of_control", "code": c, "htcds_value": c}
                       for c in rng.sample(CONTROL, rng.randint(0, 3))]
        year = rng.randint(2015, 2024)
        pop.records.append(_node(narrative, m.NARRATIVE, source, {
            "source_id": source, "organisation": rng.choice(("Safe Passage UK", "Lighthouse Romania")),
            "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "consent": consent,
            "language": "en", "grading": "B2", "indicators": indicators}))
        pop.records.append({"kind": "narrative", "source_id": source, "node": narrative,
                            "content_hash": f"{seed:04d}{n:060d}", "ingested_at": "2026-01-01T00:00:00+00:00"})
        rid, rname, _ = rng.choice(recruiters)
        pop.records.append(_edge(m.MENTIONED_IN, rid, narrative, source, rname))
        for _ in range(rng.randint(1, 4)):
            pop.victims += consent == "given"
            pop.records += list(_victim(rng, names, pop, source, narrative, rid, rname, origin, destination, places))
        pop.narratives += 1
    return pop


def _victim(rng: random.Random, names: _Names, pop: Population, source: str, narrative: str, recruiter: str,
            recruiter_name: str, origin: str, destination: str, places: dict[str, str]) -> Iterator[dict[str, Any]]:
    name = names.person()
    phone = f"+4479{rng.randrange(10**7, 10**8)}"
    email = f"{name.lower().replace(' ', '.')}{rng.randrange(100, 999)}@mailbox.example"
    address = f"{rng.randrange(1, 300)} {names.word(4)} Street"
    for kind, value in (("name", name), ("phone", phone), ("email", email), ("address", address)):
        pop.secrets[kind].add(value)
    person = m.person_node_id(f"{source}:{name}")
    phone_id, email_id = m.identifier_node_id(m.PHONE, phone), m.identifier_node_id(m.EMAIL, email)
    home = m.location_node_id(address, "GB")
    sex = rng.choice(("female", "female", "male", None))
    age = rng.choice((None, rng.randint(12, 50)))
    profile = {k: v for k, v in {"sex": sex, "age": age, "citizenship": [origin] if rng.random() < 0.7 else None,
                                  "origin": origin if rng.random() < 0.5 else None}.items() if v is not None}
    yield _node(person, m.PERSON, name, {"roles": {"victim": [source]}, "aliases": [name],
                                         "nearby": [phone_id, email_id], "narrator": False})
    yield _node(phone_id, m.PHONE, phone, {"value": phone, "region": "GB"})
    yield _node(email_id, m.EMAIL, email, {"value": email, "mailbox": email})
    yield _node(home, m.LOCATION, address, {"country": "GB"})
    sentence = f"{name} ({phone}, {email}) lived at {address} and was recruited by {recruiter_name}."
    yield _edge(m.MENTIONED_IN, person, narrative, source, name,
                {"version": {"name": name, "props": {"roles": {"victim": [source]}, "aliases": [name]}}, **profile})
    yield _edge(m.USES_PHONE, person, phone_id, source, sentence)
    yield _edge(m.USES_EMAIL, person, email_id, source, sentence)
    yield _edge(m.LOCATED_IN, person, home, source, sentence)
    yield _edge(m.RECRUITED, recruiter, person, source, sentence, {"cue": "recruited"})
    start = rng.choice(CITIES[origin])
    end = rng.choice(CITIES[destination])
    yield _edge(m.TRAVELLED, person, places[end], source, sentence,
                {"route": f"{source}:r0", "seq": 0, "origin": places[start], "via": [], "mode": "bus", "date": None},
                qualifier=f"{source}:r0:0")
    yield _edge(m.EXPLOITED_AT, person, places[end], source, sentence)


def load(population: Population, store: Any, batch: int = 5000) -> None:
    """Write the population's records into a graph store, in the order an import replays them."""
    from graph.stores.transfer import load_batches

    order = {"node": 0, "narrative": 1, "edge": 2, "merged": 3}
    load_batches(store, sorted(population.records, key=lambda r: order[r["kind"]]), batch)
