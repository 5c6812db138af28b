"""Synthetic graphs in the projection's shape, with planted networks, for benchmarks and scale tests.

Analysis has to be measured at 10k-100k nodes, far beyond any real caseload we may store in a repository,
and measured on something whose structure is known. This generator writes the networkx projection
directly (``docs/graph.md``: labels, ids, edge ``type``/``narratives``/``confidence``/``evidence``), one
planted network at a time:

- each network has 1-3 exploiting people (recruiter, controller, exploiter, transporter), 3-12 victims,
  1-3 businesses located in a city, 1-3 phones, an IBAN, sometimes a wallet or an online account, and
  1-3 bystanders (relatives, friends: the people whose exposure matters);
- every victim tells one narrative (methods of control and a type of exploitation as indicators) and
  travels origin -> (via) -> destination; the network's businesses sit in the destination;
- shared places come from a Zipf-popular city list (a few cities are hubs), platforms (Facebook) and
  authorities (police) are linked to many people; one network in twenty shares a phone with an earlier
  one, one in ten has a transporter who also controls a victim of an earlier network (a broker), and one
  in five a bystander who knows a victim elsewhere, so communities are planted but not trivially separate.

Deterministic for a seed (``random.Random``). ``G.graph["networks"]`` maps each person to its planted
network (bystanders to the network they are tied to), for measuring community recovery.
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

from graph.model import (
    ASSOCIATED_WITH, BANK_ACCOUNT, CONTROLLED, CRYPTO_WALLET, EXPLOITED_AT, LOCATED_IN, LOCATION, MENTIONED_IN,
    NARRATIVE, ONLINE_ACCOUNT, ORGANIZATION, OWNS_ACCOUNT, PAID, PERSON, PHONE, RECRUITED, TRAVELLED,
    USES_PHONE, WORKED_AT, edge_id,
)

CONTROL_CODES = ("DebtBondage", "WithholdsDocuments", "RestrictsMovement", "PhysicalThreats", "TakesEarnings",
                 "FalsePromises", "PsychologicalAbuse", "ExcessiveWorkingHours", "ThreatensChildrenFamily")
EXPLOITATION_CODES = ("SexualExploitation", "ForcedLabour", "ForcedCriminality", "Servitude")
MODES = ("bus", "car", "plane", "van", "train", "boat")
EXPLOITER_ROLE_CHOICES = ("recruiter", "controller", "exploiter", "transporter")


class _Builder:
    def __init__(self, seed: int, cities: int) -> None:
        self.rng = random.Random(f"sightline-synthetic-graph:{seed}")
        self.G = nx.MultiDiGraph()
        self.G.graph["networks"] = {}
        self.narrative_count = 0
        self.cities = [self.node(f"location:c{i % 40:02d}:city-{i}", LOCATION, f"City {i}", country=f"c{i % 40:02d}")
                       for i in range(cities)]
        self.city_weights = [1.0 / (i + 1) for i in range(cities)]
        self.platforms = [self.node(f"organization:platform-{i}", ORGANIZATION, name, kind="platform")
                          for i, name in enumerate(("Facebook", "Instagram", "WhatsApp"))]
        self.authorities = [self.node(f"organization:authority-{i}", ORGANIZATION, f"Police force {i}",
                                      kind="authority") for i in range(5)]

    def node(self, id_: str, label: str, name: str, **props: Any) -> str:
        self.G.add_node(id_, label=label, name=name, **props)
        return id_

    def edge(self, type_: str, a: str, b: str, narrative: str, qualifier: str = "", **props: Any) -> None:
        key = edge_id(type_, a, b, qualifier)
        confidence = round(self.rng.uniform(0.5, 0.95), 2)
        evidence = {"narrative": narrative, "sentence": "", "start": 0, "end": 0, "confidence": confidence}
        if self.G.has_edge(a, b, key):
            data = self.G.edges[a, b, key]
            data["evidence"].append(evidence)
            data["narratives"] = sorted({*data["narratives"], narrative})
            data["confidence"] = max(data["confidence"], confidence)
            return
        self.G.add_edge(a, b, key=key, type=type_, narratives=[narrative], confidence=confidence,
                        evidence=[evidence], **props)

    def city(self) -> str:
        return self.rng.choices(self.cities, weights=self.city_weights)[0]

    def narrative(self) -> tuple[str, str]:
        i = self.narrative_count
        self.narrative_count += 1
        source = f"n{i:06d}"
        codes = self.rng.sample(CONTROL_CODES, self.rng.randint(1, 4))
        indicators = [{"code": c, "category": "method_of_control", "cue": "", "sentence": "", "start": 0, "end": 0}
                      for c in codes]
        indicators.append({"code": self.rng.choice(EXPLOITATION_CODES), "category": "type_of_exploitation",
                           "cue": "", "sentence": "", "start": 0, "end": 0})
        node = self.node(f"narrative:{i:024d}", NARRATIVE, source, source_id=source, organisation="Synthetic NGO",
                         date="2024-01-01", language="en", consent=True, grading=self.rng.choice(("B2", "C3", "A1")),
                         indicators=indicators)
        return node, source

    def mention(self, nodes: list[str], narrative_node: str, source: str) -> None:
        for n in dict.fromkeys(nodes):
            self.edge(MENTIONED_IN, n, narrative_node, source)

    def network(self, j: int, earlier: list[dict[str, list[str]]]) -> dict[str, list[str]]:
        rng, planted = self.rng, self.G.graph["networks"]
        exploiters = [self.node(f"person:x{j}-{k}", PERSON, f"Exploiter {j}-{k}",
                                roles={rng.choice(EXPLOITER_ROLE_CHOICES): 1}) for k in range(rng.randint(1, 3))]
        victims = [self.node(f"person:v{j}-{k}", PERSON, f"Victim {j}-{k}", roles={"victim": 1})
                   for k in range(rng.randint(3, 12))]
        bystanders = [self.node(f"person:b{j}-{k}", PERSON, f"Bystander {j}-{k}", roles={})
                      for k in range(rng.randint(1, 3))]
        destination, origin = self.city(), self.city()
        businesses = [self.node(f"organization:n{j}-{k}", ORGANIZATION, f"Business {j}-{k}", kind="business")
                      for k in range(rng.randint(1, 3))]
        phones = [self.node(f"phone:+44{j:06d}{k:03d}", PHONE, f"+44{j:06d}{k:03d}", value=f"+44{j:06d}{k:03d}")
                  for k in range(rng.randint(1, 3))]
        accounts = [self.node(f"bankaccount:GB{j:010d}", BANK_ACCOUNT, f"GB{j:010d}", value=f"GB{j:010d}")]
        if rng.random() < 0.3:
            accounts.append(self.node(f"cryptowallet:w{j}", CRYPTO_WALLET, f"w{j}", value=f"w{j}", chain="btc"))
        if rng.random() < 0.3:
            accounts.append(self.node(f"onlineaccount:@n{j}", ONLINE_ACCOUNT, f"@n{j}", value=f"@n{j}",
                                      kind="handle"))
        other = rng.choice(earlier[-50:]) if earlier else None
        if other is not None and rng.random() < 0.05:  # a phone shared with an earlier network: merges them
            phones.append(rng.choice(other["phones"]))
        for p in exploiters + victims + bystanders:
            planted.setdefault(p, j)
        first_narrative = None
        for k, v in enumerate(victims):
            narrative, source = self.narrative()
            first_narrative = first_narrative or source
            boss = rng.choice(exploiters)
            place = rng.choice(businesses)
            self.edge(RECRUITED, boss, v, source)
            if rng.random() < 0.6:
                self.edge(CONTROLLED, rng.choice(exploiters), v, source)
            self.edge(EXPLOITED_AT, v, place, source)
            if rng.random() < 0.3:
                self.edge(WORKED_AT, v, rng.choice(businesses), source)
            if rng.random() < 0.4:
                self.edge(PAID, v, boss, source)
            if rng.random() < 0.3:
                self.edge(ASSOCIATED_WITH, v, rng.choice(self.platforms), source)
            if rng.random() < 0.1:
                self.edge(ASSOCIATED_WITH, v, rng.choice(self.authorities), source)
            via = [self.city()] if rng.random() < 0.3 else []
            self.edge(TRAVELLED, v, destination, source, qualifier=f"{source}:r0:0", route=f"{source}:r0", seq=0,
                      origin=origin, via=via, mode=rng.choice(MODES), date=f"{rng.randint(2019, 2024)}")
            phone = rng.choice(phones)
            self.edge(USES_PHONE, boss, phone, source)
            self.edge(OWNS_ACCOUNT, boss, accounts[0], source)
            mentioned = [v, boss, place, phone, destination, origin, *via]
            if k < len(bystanders):
                self.edge(ASSOCIATED_WITH, bystanders[k], v, source)
                mentioned.append(bystanders[k])
            self.mention(mentioned, narrative, source)
        assert first_narrative is not None
        for b in businesses:
            self.edge(LOCATED_IN, b, destination, first_narrative)
        for a in accounts[1:]:
            self.edge(OWNS_ACCOUNT, exploiters[0], a, first_narrative)
        if other is not None and rng.random() < 0.1:  # a broker: a transporter moving victims of both networks
            broker = self.node(f"person:t{j}", PERSON, f"Transporter {j}", roles={"transporter": 2})
            planted[broker] = j
            for victim in (rng.choice(victims), rng.choice(other["victims"])):
                self.edge(CONTROLLED, broker, victim, first_narrative)
        if earlier and rng.random() < 0.2:  # social noise: a bystander who knows someone elsewhere
            self.edge(ASSOCIATED_WITH, rng.choice(bystanders), rng.choice(rng.choice(earlier[-50:])["victims"]),
                      first_narrative)
        return {"exploiters": exploiters, "victims": victims, "phones": phones}


def synthetic_graph(nodes: int = 10_000, seed: int = 7) -> nx.MultiDiGraph:
    """A projection-shaped graph of about ``nodes`` nodes (it stops after the network that reaches it)."""
    if nodes < 1:
        raise ValueError("nodes must be positive")
    builder = _Builder(seed, cities=max(20, nodes // 200))
    earlier: list[dict[str, list[str]]] = []
    while builder.G.number_of_nodes() < nodes:
        earlier.append(builder.network(len(earlier), earlier))
    return builder.G
