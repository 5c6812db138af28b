"""Hostile input against a real server: huge fields, wrong types, unknown fields, injection strings, broken
encodings. Each gets a 4xx in the one error shape with a message that names the problem; nothing is stored."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.api_server import Server, running

INJECTIONS = ["' OR 1=1 --", "\"; DROP TABLE audit; --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x/a}",
              "../../../../etc/passwd", "%00", "\u202eevil\u202c", "😈" * 50, "MATCH (n) DETACH DELETE n"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-hostile"), {"SIGHTLINE_API_WORKER": "false",
                                                          "SIGHTLINE_API_MAX_BODY_BYTES": "100000"}) as s:
        yield s


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text[:500]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert "Traceback" not in response.text
    return body["error"]["message"]


def test_huge_fields(server: Server) -> None:
    with server.as_role("analyst") as analyst, server.as_role("admin") as admin, server.as_role("ngo") as ngo:
        assert "at most 200 characters" in error(analyst.get("/v1/entities", params={"q": "a" * 10_000}), 422)
        assert "query.limit" in error(analyst.get("/v1/entities", params={"q": "a", "limit": 10**30}), 422)
        assert "body.reason" in error(analyst.post("/v1/watchlist", json={"entity_id": "x", "category": "other",
                                                                          "reason": "r" * 5000}), 422)
        assert "body.title" in error(analyst.post("/v1/reports", json={"title": "t" * 1000}), 422)
        assert "body.organisation" in error(admin.post("/v1/keys", json={"role": "ngo", "organisation": "o" * 500}), 422)
        assert "body.reference" in error(ngo.post("/v1/narratives", json={"text": "hello there", "reference": "r" * 500}), 422)
        assert "100,000 bytes" in error(ngo.post("/v1/narratives", json={"text": "t" * 200_000}), 413)
        assert "path.entity_id" in error(analyst.get("/v1/entities/" + "x" * 600), 422)
        assert error(analyst.get("/v1/me", headers={"Authorization": "Bearer " + "k" * 10_000}), 401)


def test_wrong_types(server: Server) -> None:
    with server.as_role("analyst") as analyst, server.as_role("admin") as admin, server.as_role("ngo") as ngo:
        assert "body.text" in error(ngo.post("/v1/narratives", json={"text": ["a", "list"]}), 422)
        assert "body" in error(ngo.post("/v1/narratives", json=["text"]), 422)
        assert "body" in error(ngo.post("/v1/narratives", json=42), 422)
        assert "body.consent" in error(ngo.post("/v1/narratives", json={"text": "hello there", "consent": True}), 422)
        assert "body.reveal_names" in error(analyst.post("/v1/reports", json={"reveal_names": "please"}), 422)
        assert "body.formats" in error(analyst.post("/v1/reports", json={"formats": "pdf"}), 422)
        assert "body.formats" in error(analyst.post("/v1/reports", json={"formats": []}), 422)
        assert "query.depth" in error(analyst.get("/v1/neighbourhood/x", params={"depth": "deep"}), 422)
        assert "query.since" in error(admin.get("/v1/audit", params={"since": "last tuesday"}), 422)
        assert "query.include_revoked" in error(admin.get("/v1/keys", params={"include_revoked": "perhaps"}), 422)
        assert "body.role" in error(admin.post("/v1/keys", json={"role": None, "organisation": "x"}), 422)
        assert "body.decision" in error(analyst.post("/v1/review/pairs/p", json={"decision": 1}), 422)


def test_unknown_fields(server: Server) -> None:
    with server.as_role("analyst") as analyst, server.as_role("admin") as admin, server.as_role("ngo") as ngo:
        assert "body.organisation" in error(ngo.post("/v1/narratives", json={"text": "hello there",
                                                                             "organisation": "Someone Else"}), 422)
        assert "body.is_admin" in error(admin.post("/v1/keys", json={"role": "ngo", "organisation": "x",
                                                                     "is_admin": True}), 422)
        assert "body.by" in error(analyst.post("/v1/watchlist", json={"entity_id": "x", "category": "other",
                                                                      "reason": "why not", "by": "someone"}), 422)
        assert "body.pseudonym_key" in error(analyst.post("/v1/reports", json={"pseudonym_key": "k"}), 422)


def test_broken_bodies(server: Server) -> None:
    with server.as_role("ngo") as ngo, server.as_role("admin") as admin:
        json_headers = {"content-type": "application/json"}
        assert "not valid JSON" in error(ngo.post("/v1/narratives", content=b"\xff\xfe{", headers=json_headers), 422)
        nested = b"[" * 50_000 + b"]" * 50_000
        assert error(ngo.post("/v1/narratives", content=nested, headers=json_headers), 422)
        status = admin.post("/v1/keys", content=nested, headers=json_headers).status_code
        assert 400 <= status < 500
        broken = ngo.post("/v1/narratives", content=b"--xyz\r\nnonsense",
                          headers={"content-type": "multipart/form-data; boundary=xyz"})
        assert 400 <= broken.status_code < 500 and broken.json()["error"]["message"]


def test_injection_strings_are_data(server: Server) -> None:
    with server.as_role("analyst") as analyst, server.as_role("admin") as admin, server.as_role("ngo") as ngo:
        for text in INJECTIONS:
            assert analyst.get("/v1/entities", params={"q": text}).status_code == 200
            assert analyst.get(f"/v1/entities/{text}").status_code in (404, 422)
            assert analyst.get("/v1/paths", params={"source": text, "target": "x"}).json()["paths"] == []
            assert admin.get("/v1/audit", params={"route": text, "key_id": text}).json()["entries"] == []
            assert ngo.get(f"/v1/narratives/{text}").status_code in (404, 422)
        weird = admin.post("/v1/keys", json={"role": "ngo", "organisation": "Org 😈 '); DROP TABLE api_keys;--"})
        assert weird.status_code == 201
        with server.client(weird.json()["key"]) as client:
            assert client.get("/v1/me").json()["organisation"] == "Org 😈 '); DROP TABLE api_keys;--"
        assert len(admin.get("/v1/keys").json()) >= 5  # the table is still there
        entries = admin.get("/v1/audit", params={"route": "/v1/entities", "limit": 1000}).json()["entries"]
        assert entries and "DROP TABLE" not in json.dumps(entries) and "<script>" not in json.dumps(entries)
