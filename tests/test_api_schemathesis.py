"""Schemathesis against the OpenAPI document of a real server: every operation, with a valid key of a role it
allows, on generated (valid and invalid) input: never a 5xx, and every error in the one error shape.

Bounded (a few examples per operation, derandomised) so that it stays a fast, repeatable part of the suite;
run it with more examples by hand (``SIGHTLINE_FUZZ_EXAMPLES=200 pytest tests/test_api_schemathesis.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.api_server import Server, running

EXAMPLES = int(os.environ.get("SIGHTLINE_FUZZ_EXAMPLES", "6"))
PREFERRED = ("analyst", "ngo", "admin", "partner")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"SIGHTLINE_API_MAX_BODY_BYTES": "200000", "SIGHTLINE_MAX_TEXT_CHARS": "3000"}
    with running(tmp_path_factory.mktemp("api-fuzz"), env) as s:
        with s.as_role("ngo") as ngo:  # something in the graph, so that queries have data to trip over
            assert ngo.post("/v1/narratives", json={
                "text": "Andrei Munteanu recruited me in Constanta and took my passport. Call him on +40 722 415 386. "
                        "We went by bus from Constanta to Vienna, where I worked at the Hotel Belvedere."}).status_code == 202
        yield s


def _check(case: schemathesis.Case, server: Server) -> None:
    roles = case.operation.definition.raw.get("x-roles", [])
    assert roles, f"{case.operation.label} declares no roles"
    role = next((r for r in PREFERRED if r in roles), None)
    headers = {"Authorization": f"Bearer {server.keys[role]}"} if role else {}
    response = case.call(headers=headers, timeout=120)
    where = f"{case.operation.label}: {response.status_code} {response.text[:300]}"
    assert response.status_code < 500, where
    assert {k.lower() for k in response.headers} >= {"x-request-id"}, where
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, where
        assert body["error"]["message"] and "Traceback" not in response.text, where


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_server_error_on_any_operation(server: Server, mode: GenerationMode) -> None:
    """Hypothesis drives each operation's strategy directly (schemathesis's lazy pytest loader does not run
    under pytest 9); every operation is tried and all failures are reported together."""
    schema = schemathesis.openapi.from_url(f"{server.base}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    failures: list[str] = []
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            _check(case, server)

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
            continue
        except Exception as error:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(error)[:600]}")
    assert not failures, "\n\n".join(failures)
