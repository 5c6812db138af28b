"""Every route in the OpenAPI document, called with every role and with no key: allowed or denied as declared.

Two checks, so that no route can be added unchecked: each operation's declared roles (``x-roles``, from
``api.auth.requires``) must equal the reviewed table below (a new route fails here until someone decides
who may call it), and the running server must enforce them (401 without a key, 403 for other roles,
neither for the declared ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.api_server import ROLES, Server, running

ALL = {"ngo", "analyst", "partner", "admin"}
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("get", "/v1/health"): {"public"},
    ("get", "/v1/me"): ALL,
    ("get", "/v1/jobs"): {"ngo", "analyst"},
    ("get", "/v1/jobs/{job_id}"): {"ngo", "analyst"},
    # NGOs
    ("post", "/v1/narratives"): {"ngo"},
    ("get", "/v1/narratives"): {"ngo"},
    ("get", "/v1/narratives/{narrative_id}"): {"ngo"},
    ("patch", "/v1/narratives/{narrative_id}"): {"ngo"},
    ("get", "/v1/narratives/{narrative_id}/extraction"): {"ngo"},
    ("patch", "/v1/narratives/{narrative_id}/entities/{entity_id}"): {"ngo"},
    # analysts
    ("get", "/v1/entities"): {"analyst"},
    ("get", "/v1/entities/{entity_id}"): {"analyst"},
    ("get", "/v1/neighbourhood/{entity_id}"): {"analyst"},
    ("get", "/v1/paths"): {"analyst"},
    ("get", "/v1/analysis/communities"): {"analyst"},
    ("get", "/v1/analysis/key-actors"): {"analyst"},
    ("get", "/v1/analysis/brokers"): {"analyst"},
    ("get", "/v1/analysis/corridors"): {"analyst"},
    ("get", "/v1/analysis/hotspots"): {"analyst"},
    ("get", "/v1/analysis/exposure"): {"analyst"},
    ("get", "/v1/analysis/exposure/{person_id}"): {"analyst"},
    ("get", "/v1/insight/map"): {"analyst"},
    ("get", "/v1/insight/timeline"): {"analyst"},
    ("get", "/v1/insight/dashboard"): {"analyst", "ngo"},  # an NGO: its own organisation's figures only
    ("get", "/v1/review/pairs"): {"analyst"},
    ("post", "/v1/review/pairs/{pair_id}"): {"analyst"},
    ("post", "/v1/watchlist"): {"analyst"},
    ("get", "/v1/watchlist"): {"analyst"},
    ("delete", "/v1/watchlist/{watch_id}"): {"analyst"},
    ("post", "/v1/victim-rule/decisions"): {"analyst"},
    ("get", "/v1/victim-rule/decisions"): {"analyst"},
    ("delete", "/v1/victim-rule/decisions/{decision_id}"): {"analyst"},
    ("post", "/v1/reports"): {"analyst"},
    ("get", "/v1/reports/{job_id}"): {"analyst"},
    ("get", "/v1/reports"): {"analyst"},
    ("get", "/v1/reports/{job_id}/view"): {"analyst"},
    # sharing (docs/sharing.md): exports for analysts and administrators (reveal: administrators only, checked in
    # the route), k-anonymous tables for everyone
    ("post", "/v1/exports"): {"analyst", "admin"},
    ("get", "/v1/exports"): {"analyst", "admin"},
    ("get", "/v1/exports/{job_id}"): {"analyst", "admin"},
    ("get", "/v1/exports/{job_id}/files/{name}"): {"analyst", "admin"},
    ("get", "/v1/aggregates"): {"analyst", "admin", "ngo", "partner"},
    # financial-sector partners
    ("post", "/v1/screen"): {"partner"},
    ("post", "/v1/screen/hashed"): {"partner"},
    ("post", "/v1/screen/psi"): {"partner"},
    ("post", "/v1/screen/file"): {"partner"},
    # administrators
    ("post", "/v1/keys"): {"admin"},
    ("get", "/v1/keys"): {"admin"},
    ("delete", "/v1/keys/{key_id}"): {"admin"},
    ("get", "/v1/audit"): {"admin"},
    ("delete", "/v1/narratives/{narrative_id}"): {"admin", "ngo"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # no worker: the walk queues jobs (a report, an empty submission) that need not run
    with running(tmp_path_factory.mktemp("api-roles"), {"SIGHTLINE_API_WORKER": "false"}) as s:
        yield s


@pytest.fixture(scope="module")
def operations(server: Server) -> list[tuple[str, str, list[str]]]:
    doc = httpx.get(f"{server.base}/openapi.json").json()
    out = []
    for path, items in doc["paths"].items():
        for method, operation in items.items():
            assert "x-roles" in operation, f"{method.upper()} {path} declares no roles"
            out.append((method, path, operation["x-roles"]))
    return out


def test_declared_roles_are_the_reviewed_ones(operations: list[tuple[str, str, list[str]]]) -> None:
    declared = {(method, path): set(roles) for method, path, roles in operations}
    assert set(declared) == set(EXPECTED), (
        "routes added or removed; review who may call them and update EXPECTED: "
        f"new {sorted(set(declared) - set(EXPECTED))}, gone {sorted(set(EXPECTED) - set(declared))}")
    for operation, roles in declared.items():
        assert roles == EXPECTED[operation], f"{operation}: declared {roles}, reviewed {EXPECTED[operation]}"


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_route_with_every_role(server: Server, operations: list[tuple[str, str, list[str]]]) -> None:
    clients = {role: server.as_role(role) for role in ROLES}
    clients[None] = server.client()  # type: ignore[index]
    checked = 0
    try:
        for method, path, roles in operations:
            for role, client in clients.items():
                response = client.request(method.upper(), _url(path))
                where = f"{method.upper()} {path} as {role or 'no key'}: {response.status_code} {response.text[:200]}"
                assert response.status_code < 500, where
                assert response.headers.get("X-Request-ID"), where
                if "public" in roles:
                    assert response.status_code not in (401, 403), where
                elif role is None:
                    assert response.status_code == 401, where
                    assert response.json()["error"]["code"] == "unauthorized", where
                elif role in roles:
                    assert response.status_code not in (401, 403), where
                else:
                    assert response.status_code == 403, where
                    assert response.json()["error"]["code"] == "forbidden", where
                checked += 1
    finally:
        for client in clients.values():
            client.close()
    assert checked == len(operations) * 5
