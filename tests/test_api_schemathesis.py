"""Schemathesis against the OpenAPI document of a real server: every operation, with the key of every role,
on generated (valid and invalid) input: never a 5xx, every answer valid against the response schema the
document declares for its status, and every error in the one error shape. A role the operation does not
allow gets 403 (the same generated requests: authorisation comes before validation of what it may not see).

Bounded (a few examples per operation, derandomised) so that it stays a fast, repeatable part of the suite;
run it with more examples by hand (``SIGHTLINE_FUZZ_EXAMPLES=200 pytest tests/test_api_schemathesis.py``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api_server import Server, running

EXAMPLES = int(os.environ.get("SIGHTLINE_FUZZ_EXAMPLES", "6"))
ROLES = ("analyst", "ngo", "admin", "partner")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # failed-authentication limit off: generated requests with broken key headers would hit it (it has tests of
    # its own, tests/test_auth_limits.py)
    env = {"SIGHTLINE_API_MAX_BODY_BYTES": "200000", "SIGHTLINE_MAX_TEXT_CHARS": "3000",
           "SIGHTLINE_API_AUTH_FAILURES_PER_MINUTE": "0"}
    with running(tmp_path_factory.mktemp("api-fuzz"), env) as s:
        with s.as_role("ngo") as ngo:  # something in the graph, so that queries have data to trip over
            assert ngo.post("/v1/narratives", json={
                "text": "Andrei Munteanu recruited me in Constanta and took my passport. Call him on +40 722 415 386. "
                        "We went by bus from Constanta to Vienna, where I worked at the Hotel Belvedere."}).status_code == 202
        yield s


def _check(case: schemathesis.Case, server: Server, role: str) -> None:
    roles = case.operation.definition.raw.get("x-roles", [])
    assert roles, f"{case.operation.label} declares no roles"
    public = roles == ["public"]
    headers = {} if public else {"Authorization": f"Bearer {server.keys[role]}"}
    response = case.call(headers=headers, timeout=120)
    where = f"{case.operation.label} as {role}: {response.status_code} {response.text[:300]}"
    assert response.status_code < 500, where
    assert {k.lower() for k in response.headers} >= {"x-request-id"}, where
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, where
        assert body["error"]["message"] and "Traceback" not in response.text, where
    if not public and role not in roles:
        # refused: 403, or another 4xx when the generated request broke its key header, body or path first
        assert 400 <= response.status_code < 500, where
        return
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance], headers=headers)


def _runner(operation: Any, mode: GenerationMode, server: Server, role: str) -> Callable[[], None]:
    allowed = role in operation.definition.raw.get("x-roles", []) or operation.definition.raw.get("x-roles") == ["public"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES if allowed else 2,  # a refused role: a refusal needs few examples
              deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        _check(case, server, role)

    return run


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_server_error_on_any_operation(server: Server, mode: GenerationMode) -> None:
    """Hypothesis drives each operation's strategy directly (schemathesis's lazy pytest loader does not run
    under pytest 9); every operation is tried and all failures are reported together."""
    schema = schemathesis.openapi.from_url(f"{server.base}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    failures: list[str] = []
    for operation in operations:
        roles = operation.definition.raw.get("x-roles", [])
        for role in (ROLES[:1] if roles == ["public"] else ROLES):
            try:
                _runner(operation, mode, server, role)()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                continue
            except Exception as error:  # noqa: BLE001 - collect every operation's failure, then report them all
                failures.append(f"{operation.label} as {role}: {str(error)[:600]}")
    assert not failures, "\n\n".join(failures)
