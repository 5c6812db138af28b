"""The API's foundation against a real server: error shape, request ids, keys, authentication, audit log."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api_server import ROOT, Server, running

SIGHTLINE = [sys.executable, "-m", "cli.main"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-service"), {"SIGHTLINE_API_MAX_BODY_BYTES": "4096",
                                                          "SIGHTLINE_API_WORKER": "false"}) as s:
        yield s


def assert_error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"] and "Traceback" not in response.text
    return body["error"]


def test_health_and_request_id(server: Server) -> None:
    with server.client() as client:
        first, second = client.get("/v1/health"), client.get("/v1/health")
        assert first.json() == {"status": "ok", "version": "1"}
        assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
        mine = client.get("/v1/health", headers={"X-Request-ID": "trace-12345678"})
        assert mine.headers["X-Request-ID"] == "trace-12345678"
        hostile = client.get("/v1/health", headers={"X-Request-ID": "<script>alert(1)</script>"})
        assert "<" not in hostile.headers["X-Request-ID"]  # not echoed: replaced by a fresh id
        # errors carry one too
        assert client.get("/nowhere").headers["X-Request-ID"]


def test_every_error_has_the_one_shape(server: Server) -> None:
    with server.client() as anonymous, server.as_role("admin") as admin:
        assert "/v1" in assert_error(anonymous.get("/nowhere"), 404, "not_found")["message"]
        assert_error(admin.put("/v1/me"), 405, "method_not_allowed")
        error = assert_error(anonymous.get("/v1/me"), 401, "unauthorized")
        assert "Authorization: Bearer" in error["message"]
        assert_error(anonymous.get("/v1/me", headers={"Authorization": "Bearer sl_nope"}), 401, "unauthorized")
        assert_error(anonymous.get("/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401, "unauthorized")
        error = assert_error(server.as_role("ngo").get("/v1/keys"), 403, "forbidden")
        assert "admin" in error["message"] and error["details"]["role"] == "ngo"
        # validation: every problem named by location, the input never echoed
        error = assert_error(admin.post("/v1/keys", json={"role": "boss", "colour": "<script>alert(1)</script>"}),
                             422, "invalid_request")
        locations = {d["location"] for d in error["details"]}
        assert {"body.role", "body.organisation", "body.colour"} <= locations
        assert "<script>" not in json.dumps(error)
        error = assert_error(admin.post("/v1/keys", content=b'{"role": ', headers={"content-type": "application/json"}),
                             422, "invalid_request")
        assert "not valid JSON" in error["message"]
        assert_error(admin.get("/v1/audit", params={"limit": "many"}), 422, "invalid_request")


def test_oversized_body_is_413_with_a_clear_message(server: Server) -> None:
    with server.as_role("admin") as admin:
        error = assert_error(admin.post("/v1/keys", content=b"{" + b" " * 5000 + b"}",
                                        headers={"content-type": "application/json"}), 413, "payload_too_large")
        assert "4,096 bytes" in error["message"] and "SIGHTLINE_API_MAX_BODY_BYTES" in error["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b" " * 1000

        assert_error(admin.post("/v1/keys", content=chunks(), headers={"content-type": "application/json"}),
                     413, "payload_too_large")


def test_keys_cli_create_list_revoke(server: Server) -> None:
    env = {"SIGHTLINE_HOME": str(server.home), "PATH": "/usr/bin:/bin"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*SIGHTLINE, "keys", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                              timeout=120)

    created = cli("create", "--role", "analyst", "--org", "Org CLI")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("sl_") and " " not in key
    with server.client(key) as client:
        assert client.get("/v1/me").json()["organisation"] == "Org CLI"
    listed = cli("list", "--json")
    entry = next(k for k in json.loads(listed.stdout) if k["organisation"] == "Org CLI")
    assert entry["role"] == "analyst" and entry["revoked_at"] is None and key not in listed.stdout
    revoked = cli("revoke", entry["id"])
    assert revoked.returncode == 0, revoked.stderr
    with server.client(key) as client:
        assert_error(client.get("/v1/me"), 401, "unauthorized")
    bad = cli("create", "--role", "boss", "--org", "X")
    assert bad.returncode == 2 and "unknown role" in bad.stderr and "Traceback" not in bad.stderr
    assert cli("revoke", "key_nothing").returncode == 2


def test_keys_are_stored_only_as_hashes(server: Server) -> None:
    raw = (server.home / "api.sqlite").read_bytes()
    for key in server.keys.values():
        assert key.encode() not in raw
        secret = key[len("sl_") + 12 + 1:]  # sl_<12 hex id>_<random secret>
        assert len(secret) >= 40 and secret.encode() not in raw


def test_admin_key_routes(server: Server) -> None:
    with server.as_role("admin") as admin:
        created = admin.post("/v1/keys", json={"role": "partner", "organisation": "Bank B"})
        assert created.status_code == 201, created.text
        body = created.json()
        with server.client(body["key"]) as partner:
            assert partner.get("/v1/me").json() == {"key_id": body["id"], "role": "partner", "organisation": "Bank B"}
            listed = admin.get("/v1/keys").json()
            assert body["id"] in {k["id"] for k in listed} and all("key" not in k for k in listed)
            revoked = admin.delete(f"/v1/keys/{body['id']}")
            assert revoked.status_code == 200 and revoked.json()["revoked_at"]
            assert_error(partner.get("/v1/me"), 401, "unauthorized")
        assert_error(admin.delete("/v1/keys/key_unknown"), 404, "not_found")
        active = admin.get("/v1/keys", params={"include_revoked": "false"}).json()
        assert body["id"] not in {k["id"] for k in active}


def test_audit_log_is_append_only_and_filterable(server: Server) -> None:
    with server.as_role("admin") as admin, server.as_role("ngo") as ngo:
        ngo.get("/v1/keys")  # denied: recorded
        admin.post("/v1/keys", json={"role": "ngo", "organisation": "Shelter S"})
        page = admin.get("/v1/audit", params={"route": "/v1/keys"}).json()
        denied = [e for e in page["entries"] if e["outcome"] == "denied"]
        assert denied and denied[0]["role"] == "ngo" and denied[0]["organisation"] == "Org A"
        created = next(e for e in page["entries"] if e["method"] == "POST")
        assert created["params"]["role"] == "ngo"
        assert created["params"]["organisation"] == "Shelter S" and created["result_count"] == 1
        me = admin.get("/v1/me").json()
        mine = admin.get("/v1/audit", params={"key_id": me["key_id"], "route": "/v1/*"}).json()["entries"]
        assert mine and all(e["key_id"] == me["key_id"] for e in mine)
        later = admin.get("/v1/audit", params={"since": "2999-01-01T00:00:00"}).json()
        assert later["entries"] == []
        earlier = admin.get("/v1/audit", params={"until": "2000-01-01T00:00:00Z"}).json()
        assert earlier["entries"] == []
        window = admin.get("/v1/audit", params={"since": "2000-01-01T00:00:00+02:00", "until": "2999-01-01T00:00:00",
                                                "organisation": "Org A", "limit": 2}).json()["entries"]
        assert len(window) == 2 and all(e["organisation"] == "Org A" for e in window)
        assert window[0]["seq"] > window[1]["seq"]  # newest first
        assert admin.get("/v1/audit", params={"organisation": "Nobody"}).json()["entries"] == []
        # no route can change or delete entries
        assert admin.delete("/v1/audit").status_code == 405
        assert admin.put("/v1/audit").status_code == 405
    db = sqlite3.connect(server.home / "api.sqlite")
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE audit SET outcome = 'ok'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM audit")
    finally:
        db.close()


def test_openapi_document_and_docs(server: Server) -> None:
    with server.client() as client:
        doc = client.get("/openapi.json").json()
        assert all(path.startswith("/v1/") for path in doc["paths"])
        assert client.get("/docs").status_code == 200
        assert "HTTPBearer" in doc["components"]["securitySchemes"]


def test_serve_refuses_a_route_without_roles(tmp_path: Path) -> None:
    from fastapi import APIRouter

    from api.app import publish_roles

    router = APIRouter()

    @router.get("/unguarded")
    def unguarded() -> dict:
        return {}

    with pytest.raises(RuntimeError, match="declares no roles"):
        publish_roles(router)
