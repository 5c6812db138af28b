"""Failed authentication is limited per client address and per key id: 429 with Retry-After, audited.

Through a real server on loopback; "other addresses" are other loopback addresses (127.0.0.2, ...), which
the client binds its side of the connection to, so the server sees them as different clients.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from api.auth import WINDOW_SECONDS, FailureLimiter
from tests.api_server import Server, running

LIMIT = 20
ENV = {"SIGHTLINE_API_AUTH_FAILURES_PER_MINUTE": str(LIMIT)}


def client_from(server: Server, address: str, key: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=server.base, headers=headers, timeout=60,
                        transport=httpx.HTTPTransport(local_address=address))


def wrong_key(key_id: str | None = None) -> str:
    return f"sl_{key_id or secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"


def limited(home: Path) -> list[dict]:
    rows = sqlite3.connect(home / "api.sqlite").execute(
        "SELECT key_id, organisation, route, params FROM audit WHERE outcome = 'rate_limited' ORDER BY seq").fetchall()
    return [{**json.loads(r[3]), "caller": r[0], "organisation": r[1], "route": r[2]} for r in rows]


def test_200_wrong_keys_from_one_address_get_429_after_the_limit_and_are_audited(tmp_path: Path) -> None:
    with running(tmp_path, ENV) as server:
        with client_from(server, "127.0.0.1") as attacker:
            answers = [attacker.get("/v1/me", headers={"Authorization": f"Bearer {wrong_key()}"}) for _ in range(200)]
            assert [a.status_code for a in answers] == [401] * LIMIT + [429] * (200 - LIMIT)
            refused = answers[-1]
            assert 1 <= int(refused.headers["Retry-After"]) <= WINDOW_SECONDS
            error = refused.json()["error"]
            assert error["code"] == "too_many_requests" and "from this address" in error["message"]
            assert error["details"]["limited_by"] == ["address"] and "sl_" not in refused.text
            # from the limited address even a right key waits: the limit is decided before the key is looked at
            assert attacker.get("/v1/me", headers={"Authorization": f"Bearer {server.keys['ngo']}"}).status_code == 429
            assert attacker.get("/v1/health").status_code == 200  # (routes without a key are not affected)
        with client_from(server, "127.0.0.2", server.keys["admin"]) as admin:
            me = admin.get("/v1/me")
            assert me.status_code == 200 and me.json()["role"] == "admin"
            audit = admin.get("/v1/audit", params={"route": "/v1/me", "limit": 500}).json()["entries"]
    entries = limited(tmp_path)
    assert len(entries) == 200 - LIMIT + 1
    assert {e["route"] for e in entries} == {"/v1/me"} and {e["caller"] for e in entries} == {None}
    assert all(e["key_id"].startswith("key_") for e in entries)  # the id the attempt named, not a caller
    assert all(e["limited_by"] == ["address"] and e["client"].startswith("hmac:") for e in entries)
    assert len({e["client"] for e in entries}) == 1 and "127.0.0.1" not in json.dumps(entries)
    assert sum(e["outcome"] == "rate_limited" for e in audit) == len(entries)  # and an administrator can read them


def test_wrong_secrets_for_one_key_id_are_limited_from_any_address(tmp_path: Path) -> None:
    with running(tmp_path, ENV) as server:
        analyst_id = server.keys["analyst"].split("_")[1]
        statuses = []
        for n in range(LIMIT + 5):  # a distributed guesser: a new address for every attempt
            with client_from(server, f"127.0.1.{n + 1}", wrong_key(analyst_id)) as guesser:
                statuses.append(guesser.get("/v1/me"))
        assert [s.status_code for s in statuses] == [401] * LIMIT + [429] * 5
        assert statuses[-1].json()["error"]["details"]["limited_by"] == ["key"]
        assert "with this key id" in statuses[-1].json()["error"]["message"]
        with client_from(server, "127.0.2.1", server.keys["analyst"]) as owner:
            assert owner.get("/v1/me").status_code == 429  # the key id is limited wherever it comes from
        with client_from(server, "127.0.2.1", server.keys["ngo"]) as other_key:
            assert other_key.get("/v1/me").status_code == 200  # and that address is not
    entries = limited(tmp_path)
    assert len(entries) == 6 and all(e["caller"] is None and e["key_id"] == f"key_{analyst_id}" and e["limited_by"] == ["key"] for e in entries)


def test_concurrent_guesses_cannot_pass_the_limit(tmp_path: Path) -> None:
    with running(tmp_path, ENV) as server, client_from(server, "127.0.3.1") as attacker:
        start = threading.Barrier(3 * LIMIT)

        def guess(_: int) -> int:
            start.wait()
            return attacker.get("/v1/me", headers={"Authorization": f"Bearer {wrong_key()}"}).status_code

        with ThreadPoolExecutor(3 * LIMIT) as pool:
            counted = Counter(pool.map(guess, range(3 * LIMIT)))
    assert counted == {401: LIMIT, 429: 2 * LIMIT}


def test_the_window_slides_a_right_key_gives_its_slot_back_and_zero_means_no_limit() -> None:
    now = [1000.0]
    limiter = FailureLimiter(3, clock=lambda: now[0])
    subjects = ["address:10.0.0.1", "key:key_000000000001"]
    for _ in range(3):
        assert limiter.admit(subjects) == (None, [])  # (a failure: the slot is kept)
        now[0] += 10
    wait, over = limiter.admit(subjects)
    assert over == sorted(subjects) and wait == WINDOW_SECONDS - 30
    assert limiter.admit(["address:10.0.0.2"]) == (None, [])  # other subjects are unaffected
    limiter.succeeded(["address:10.0.0.2"])
    now[0] += WINDOW_SECONDS - 30 + 0.001  # the first failure leaves the window
    assert limiter.admit(subjects) == (None, [])
    limiter.succeeded(subjects)  # a right key: the attempt does not count
    assert limiter.admit(subjects) == (None, [])
    assert limiter.admit(subjects)[0] is not None
    unlimited = FailureLimiter(0)
    assert all(unlimited.admit(subjects) == (None, []) for _ in range(100))
