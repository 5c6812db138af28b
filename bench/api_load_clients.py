"""The load of ``bench/api_load.py``: what its clients ask, how they spread over the API processes, and how the
answers are counted.

Closed-loop clients (threads with plain ``http.client``, one keep-alive connection each, no think time), each
with its own seeded sequence of requests: entity searches and neighbourhoods with an analyst key, and
screening requests with a partner key. Client ``n`` connects to API process ``n mod N``, as a load balancer
spreading connections round-robin would. A request that fails on the connection (refused, reset, closed
mid-answer: the process behind it died) is counted as lost, its process is marked down, and the client
moves to the next live process and sends the same request once more there, as a load balancer's retry
would; lost requests and how their retries ended are counted apart from the answers. Latency is from send
to the last byte of the answer.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pandas as pd
import phonenumbers

from graph import model as m

SEARCH, NEIGHBOURHOOD, SCREEN = "search", "neighbourhood", "screen"
ROUTES = (SEARCH, NEIGHBOURHOOD, SCREEN)
LOST = -1  # the status recorded for a request lost with its connection
SCREEN_FIELDS = {m.PHONE: "phone", m.EMAIL: "email", m.BANK_ACCOUNT: "iban", m.CRYPTO_WALLET: "wallet"}
Request = tuple[str, str, str, dict[str, Any] | None]  # route, method, path with query, JSON body


def written_forms(node: dict[str, Any], rng: random.Random) -> str:
    """A search term for ``node`` as an analyst would type it: a name, part of it, or an identifier in a
    common written form."""
    label, name = node["label"], node["name"]
    words = name.split()
    if label == m.PERSON and len(words) > 1:
        return rng.choice([name, words[-1], f"{words[0]} {words[-1][:3]}"])
    if label == m.PHONE:
        try:
            number = phonenumbers.parse(name)
            return rng.choice([name, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)])
        except phonenumbers.NumberParseException:
            return name
    if label == m.BANK_ACCOUNT:
        return rng.choice([name, " ".join(name[i:i + 4] for i in range(0, len(name), 4))])
    if label == m.EMAIL:
        return rng.choice([name, name.upper()])
    return name


def _screen_query(rng: random.Random, identifiers: list[dict[str, Any]]) -> dict[str, Any]:
    """One screening query: an identifier from the graph, or (one in two) a phone number it does not hold."""
    if identifiers and rng.random() < 0.5:
        node = rng.choice(identifiers)
        return {SCREEN_FIELDS[node["label"]]: node["name"]}
    return {"phone": f"+4477009{rng.randrange(10**5):05d}"}


def request_sequence(nodes: list[dict[str, Any]], seed: int, screen_share: float) -> Iterator[Request]:
    """One client's endless, seeded requests: ``screen_share`` of them screening batches of 1 to 10 queries,
    the rest half searches, half neighbourhoods (depth 1 or 2, default limits)."""
    rng = random.Random(seed)
    named = [n for n in nodes if not n["props"].get("narrator")]  # "narrator of gen-001234" is no search term
    identifiers = [n for n in nodes if n["label"] in SCREEN_FIELDS]
    while True:
        draw = rng.random()
        if draw < screen_share:
            body = {"queries": [_screen_query(rng, identifiers) for _ in range(rng.randint(1, 10))]}
            yield SCREEN, "POST", "/v1/screen", body
        elif draw < screen_share + (1 - screen_share) / 2:
            yield SEARCH, "GET", "/v1/entities?" + urlencode({"q": written_forms(rng.choice(named), rng)}), None
        else:
            node = rng.choice(nodes)
            yield (NEIGHBOURHOOD, "GET", f"/v1/neighbourhood/{quote(node['id'], safe='')}?"
                   + urlencode({"depth": rng.choice((1, 2))}), None)


@dataclass
class Backends:
    """The API processes behind the balancer: ports, and which are known to be down."""

    ports: list[int]
    down: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, n: int) -> int:
        """Client ``n``'s process: round-robin over those not known to be down."""
        with self.lock:
            live = [p for p in self.ports if p not in self.down] or self.ports
        return live[n % len(live)]

    def mark_down(self, port: int) -> None:
        with self.lock:
            self.down.add(port)


@dataclass(frozen=True, slots=True)
class Outcome:
    route: str
    ms: float
    status: int  # HTTP status, or LOST
    port: int
    retry_status: int | None = None  # for a lost request: the status its retry on a live process got


def _send(connection: http.client.HTTPConnection, request: Request, headers: dict[str, str]) -> int:
    _, method, path, body = request
    if body is None:
        connection.request(method, path, headers=headers)
    else:
        connection.request(method, path, body=json.dumps(body).encode(),
                           headers={**headers, "Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    return response.status


def run_load(backends: Backends, keys: dict[str, str], nodes: list[dict[str, Any]], clients: int, warmup: float,
             duration: float, seed: int, screen_share: float = 0.2, during: Any = None) -> pd.DataFrame:
    """``clients`` closed-loop clients for ``warmup + duration`` seconds; one row per request sent in the last
    ``duration`` seconds: route, latency (ms), status, port and (lost requests) the retry's status.
    ``during(start_of_window)``, if given, runs in a thread of its own once the measured window opens.

    Plain ``http.client`` rather than httpx: the clients share the machine's two cores with the servers, and
    httpx spent several times the server's CPU per request, which throttled the load it was measuring."""
    auth = {route: {"Authorization": f"Bearer {keys['partner' if route == SCREEN else 'analyst']}",
                    "Connection": "keep-alive"} for route in ROUTES}
    rows: list[list[Outcome]] = [[] for _ in range(clients)]
    begin = time.perf_counter()
    measure_from, end = begin + warmup, begin + warmup + duration

    def client(n: int) -> None:
        port = backends.pick(n)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = rows[n]
        for request in request_sequence(nodes, seed * 1000 + n, screen_share):
            sent = time.perf_counter()
            if sent >= end:
                break
            try:
                status, retry = _send(connection, request, auth[request[0]]), None
            except (OSError, http.client.HTTPException):
                connection.close()
                backends.mark_down(port)
                status, port = LOST, backends.pick(n)
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                try:
                    retry = _send(connection, request, auth[request[0]])
                except (OSError, http.client.HTTPException):
                    retry = LOST
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            if sent >= measure_from:
                mine.append(Outcome(request[0], (time.perf_counter() - sent) * 1000, status, port, retry))
        connection.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    side = None
    if during is not None:
        side = threading.Thread(target=during, args=(measure_from,), daemon=True)
        side.start()
    for thread in threads:
        thread.join()
    if side is not None:
        side.join()
    return pd.DataFrame([(o.route, o.ms, o.status, o.port, o.retry_status) for mine in rows for o in mine],
                        columns=["route", "ms", "status", "port", "retry_status"])


def summarise(frame: pd.DataFrame, duration: float) -> dict[str, dict[str, float | None]]:
    """Per route and over all: requests/s, p50 and p99 of the 2xx answers, 5xx, other 4xx, lost requests."""
    out: dict[str, dict[str, float | None]] = {}
    for route, group in [*frame.groupby("route"), ("all", frame)]:
        ok = group[(group.status >= 200) & (group.status < 300)]
        answered = group[group.status != LOST]
        out[str(route)] = {"requests": len(group), "per_second": round(len(answered) / duration, 1),
                           "p50_ms": round(float(ok.ms.quantile(0.5)), 1) if len(ok) else None,
                           "p99_ms": round(float(ok.ms.quantile(0.99)), 1) if len(ok) else None,
                           "max_ms": round(float(ok.ms.max()), 1) if len(ok) else None,
                           "errors_5xx": int((group.status >= 500).sum()),
                           "other_4xx": int(((group.status >= 400) & (group.status < 500)
                                             & (group.status != 404)).sum()),
                           "lost": int((group.status == LOST).sum())}
    return out
