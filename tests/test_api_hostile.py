"""Hostile input against a real server: huge fields, wrong types, unknown fields, injection strings, broken
encodings. Each gets a 4xx in the one error shape with a message that names the problem; nothing is stored."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api_server import ROLES, ROOT, Server, running

INJECTIONS = ["' OR 1=1 --", "\"; DROP TABLE audit; --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x/a}",
              "../../../../etc/passwd", "%00", "\u202eevil\u202c", "😈" * 50, "MATCH (n) DETACH DELETE n"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-hostile"), {"SIGHTLINE_API_WORKER": "false",
                                                          "SIGHTLINE_API_MAX_BODY_BYTES": "100000",
                                                          # (the walk below fails authentication on purpose)
                                                          "SIGHTLINE_API_AUTH_FAILURES_PER_MINUTE": "100000"}) as s:
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


# -- nesting depth, error codes, no echo --------------------------------------------------------------

CANARY = "zq-canary-7f3a9"  # sent as every id, query value and body value below; no error may quote it back
DEEP = 1_000  # Python's parser recursed once per level: a thousand deep was a RecursionError (a 500, a 400)


def documented_codes() -> set[str]:
    """The codes of docs/api.md's error table (its rows begin with a code in backticks)."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = text.split("## Errors", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE))


def deep_json(depth: int) -> bytes:
    return b'{"text": ' + b"[" * depth + b"]" * depth + b"}"


def operations(server: Server) -> list[tuple[str, str, dict[str, Any]]]:
    doc = httpx.get(f"{server.base}/openapi.json").json()
    return [(method.upper(), path, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", CANARY, path)


def _body_fields(op: dict[str, Any], components: dict[str, Any]) -> list[str]:
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return list(schema.get("properties", {}))


def test_every_json_body_nested_too_deep_gets_a_clear_422(server: Server) -> None:
    """Before: a deeply nested body got 400 `bad_request` (FastAPI's parser hit a RecursionError), or 422
    only where pydantic parsed it; now every route answers the same documented 422 before it reads the body."""
    checked = 0
    for method, path, op in operations(server):
        if "application/json" not in op.get("requestBody", {}).get("content", {}):
            continue
        role = op["x-roles"][0]
        with server.as_role(role) as client:
            for depth in (65, DEEP, 40_000):  # (40,000 deep is 80 kB, under the limit)
                response = client.request(method, _fill(path), content=deep_json(depth),
                                          headers={"content-type": "application/json"})
                message = error(response, 422)
                assert response.json()["error"]["code"] == "invalid_request", (method, path)
                assert "nested deeper than 64 levels" in message, (method, path, message)
                assert response.json()["error"]["details"][0]["type"] == "json_too_deep"
                checked += 1
    assert checked >= 3 * 10
    with server.as_role("partner") as partner:  # 64 levels is still read (and refused by the schema, as JSON)
        response = partner.post("/v1/screen", content=b"[" * 64 + b"]" * 64, headers={"content-type": "application/json"})
        assert response.status_code == 422 and "nested" not in response.text


def test_uploaded_json_files_nested_too_deep_are_refused_clearly(server: Server) -> None:
    """Before: a .json or .jsonl upload nested a thousand levels deep answered 500 (RecursionError)."""
    good = json.dumps({"id": "fine", "text": "Marta Nowak was recruited in Gdansk by Piotr Zielinski."}).encode()
    with server.as_role("ngo") as ngo:
        message = error(ngo.post("/v1/narratives", files={"file": ("deep.json", deep_json(DEEP))}), 422)
        assert "nested deeper than 64 levels" in message
        message = error(ngo.post("/v1/narratives", files={"file": ("deep.jsonl", deep_json(DEEP) + b"\n")}), 422)
        assert "no narrative" in message
        assert "nested deeper" in json.dumps(ngo.post("/v1/narratives", files={"file": ("deep.jsonl", deep_json(DEEP))}
                                                      ).json()["error"]["details"])
        mixed = ngo.post("/v1/narratives", files={"file": ("mixed.jsonl", good + b"\n" + deep_json(DEEP) + b"\n")})
        assert mixed.status_code == 202, mixed.text[:300]
        assert [r["reference"] for r in mixed.json()["rejected"]] == ["mixed.jsonl:2"]
        assert "nested deeper than 64 levels" in mixed.json()["rejected"][0]["error"]


def test_the_command_line_and_list_imports_refuse_deep_json_clearly(tmp_path: Path) -> None:
    """The CLI's JSON lines (`sightline extract`) and imported screening lists (`watchlist import`) read the
    same bounded parser: a clear error naming the line, exit code 2, no traceback."""
    source = tmp_path / "deep.jsonl"
    source.write_bytes(deep_json(DEEP) + b"\n")
    env = {**os.environ, "SIGHTLINE_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "cli.main", "extract", str(source), "-o", str(tmp_path / "o.jsonl")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 2 and f"{source}:1" in result.stderr and "nested deeper" in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    ftm = tmp_path / "deep-list.jsonl"
    ftm.write_bytes(b'{"id": "p", "schema": "Person", "properties": {"name": ' + b"[" * DEEP + b"]" * DEEP + b"}}\n")
    result = subprocess.run([sys.executable, "-m", "cli.main", "watchlist", "import", str(ftm), "--category",
                             "sanctions", "--list", "deep"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 2 and "line 1: nested deeper than 64 levels" in result.stderr, result.stderr[-500:]
    assert "Traceback" not in result.stderr


def _walk_errors(server: Server) -> list[tuple[str, httpx.Response]]:
    """Every kind of error each operation can give for what a client sends: no key, the wrong role, unknown
    ids, bad query values and bad bodies (each value the canary), nesting, size, media type, method, route."""
    doc = httpx.get(f"{server.base}/openapi.json").json()
    components = doc.get("components", {}).get("schemas", {})
    out: list[tuple[str, httpx.Response]] = []
    with server.client() as anonymous:
        for method, path, op in operations(server):
            where = f"{method} {path}"
            roles = op.get("x-roles", [])
            if roles != ["public"]:
                out.append((where + " (no key)", anonymous.request(method, _fill(path))))
                wrong = next((r for r in ROLES if r not in roles), None)
                if wrong is not None:  # (/v1/me is every role's)
                    with server.as_role(wrong) as client:
                        out.append((where + " (wrong role)", client.request(method, _fill(path))))
            if roles == ["public"]:
                continue
            query = {p["name"]: CANARY for p in op.get("parameters", []) if p["in"] == "query"}
            body = {name: CANARY for name in _body_fields(op, components)}
            with server.as_role(roles[0]) as client:
                out.append((where, client.request(method, _fill(path), params=query or None,
                                                  json=body if "requestBody" in op else None)))
                if "requestBody" in op:
                    out.append((where + " (list body)", client.request(method, _fill(path), json=[CANARY])))
                    out.append((where + " (not JSON)", client.request(method, _fill(path), content=CANARY.encode(),
                                                                      headers={"content-type": "application/json"})))
                    out.append((where + " (deep)", client.request(method, _fill(path), content=deep_json(DEEP),
                                                                  headers={"content-type": "application/json"})))
        out.append(("unknown route", anonymous.get(f"/v1/{CANARY}")))
        out.append(("unknown route outside /v1", anonymous.get(f"/{CANARY}")))
        out.append(("wrong method", anonymous.request("PUT", "/v1/health")))
        out.append(("missing docs asset", anonymous.get(f"/docs/assets/{CANARY}.js")))
        out.append(("bad key", anonymous.get("/v1/me", headers={"Authorization": f"Bearer {CANARY}"})))
    with server.as_role("ngo") as ngo:
        out.append(("too large", ngo.post("/v1/narratives", json={"text": CANARY * 20_000})))
        out.append(("media type", ngo.post("/v1/narratives", content=CANARY.encode(), headers={"content-type": "text/plain"})))
        out.append(("broken multipart", ngo.post("/v1/narratives", content=f"--xyz\r\n{CANARY}".encode(),
                                                  headers={"content-type": "multipart/form-data; boundary=xyz"})))
        out.append(("extra form field", ngo.post("/v1/narratives", files={CANARY: ("a.txt", b"hello")})))
        out.append(("bad file", ngo.post("/v1/narratives", files={"file": (f"{CANARY}.exe", CANARY.encode())})))
        out.append(("bad csv", ngo.post("/v1/narratives", files={"file": ("x.csv", f"{CANARY},text\n1,\n".encode())})))
    with server.as_role("analyst") as analyst:
        out.append(("report not ready", analyst.get(f"/v1/reports/{CANARY}")))
        out.append(("labels", analyst.get("/v1/entities", params={"q": "x", "label": CANARY})))
    return out


def test_every_error_has_a_documented_code_and_echoes_nothing(server: Server) -> None:
    """Before: some errors quoted ids, labels and entity text back (`no job 'job_…'`, `unknown label(s) …`),
    and a deeply nested body got `bad_request`, which docs/api.md did not list."""
    documented = documented_codes()
    assert {"invalid_request", "not_found", "unauthorized", "bad_request"} <= documented
    errors = [(where, r) for where, r in _walk_errors(server) if r.status_code >= 400]
    assert len(errors) > 100
    codes: set[str] = set()
    for where, response in errors:
        assert response.status_code < 500, (where, response.text[:300])
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, where
        assert body["error"]["code"] in documented, (where, body["error"]["code"])
        assert CANARY not in response.text, (where, response.text[:300])
        assert "Traceback" not in response.text
        codes.add(body["error"]["code"])
    assert {"unauthorized", "forbidden", "not_found", "invalid_request", "method_not_allowed", "payload_too_large",
            "unsupported_media_type"} <= codes
    # Outside /v1 a person in a browser gets the workspace's page, which does not quote the address either.
    page = httpx.get(f"{server.base}/{CANARY}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert CANARY not in page.text and "Traceback" not in page.text


def test_every_code_the_source_can_give_is_documented() -> None:
    """The codes the server can give that no request above happens to reach (store_unavailable, ...): those of
    ``api.errors`` and every ``code=``/``"code":`` literal in api/."""
    from api.errors import ERROR_CODES

    documented = documented_codes()
    assert ERROR_CODES <= documented, ERROR_CODES - documented
    literals: set[str] = set()
    for path in (ROOT / "api").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("ApiError", "error_body", "error_bytes"):
                literals |= {str(k.value.value) for k in node.keywords
                             if k.arg == "code" and isinstance(k.value, ast.Constant) and k.value.value is not None}
            if isinstance(node, ast.Dict):  # an error body written out: {"code": ..., "message": ...}
                fields = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
                if "message" in fields and isinstance(fields.get("code"), ast.Constant):
                    literals.add(str(fields["code"].value))  # type: ignore[union-attr]
    assert literals, "no error code found in api/: the walk above is broken"
    assert literals <= ERROR_CODES, literals - ERROR_CODES
