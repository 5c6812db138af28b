"""``GET /v1/aggregates`` and ``sightline aggregate`` against a real server over the 64 sample narratives
(ingested with the command line): every role's table, the analysts' preview and the 403 for partners and
NGOs, bad input (400 and a clear CLI error, nothing recorded or written), audit, and the one release ledger
the API and the CLI share."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api_server import ROOT, Server, running

K = 11  # the server's default SIGHTLINE_SHARE_K


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("api-aggregates")
    done = subprocess.run([sys.executable, "-m", "cli.main", "ingest", str(ROOT / "data" / "samples")], check=False,
                          cwd=ROOT,
                          env={**os.environ, "SIGHTLINE_HOME": str(home)}, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    with running(home) as s:
        yield s


def _ledger_rows(server: Server) -> int:
    with sqlite3.connect(server.home / "api.sqlite") as db:
        return int(db.execute("SELECT COUNT(*) FROM aggregate_ledger").fetchone()[0])


def _table(client: httpx.Client, **params: object) -> dict:
    answer = client.get("/v1/aggregates", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _cli(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", "aggregate", *args], check=False, cwd=ROOT,
                          env={**os.environ, "SIGHTLINE_HOME": str(server.home)}, capture_output=True, text=True,
                          timeout=300)


def test_every_role_gets_the_published_table_and_nothing_more(server: Server) -> None:
    tables = {}
    for role in ("partner", "ngo", "analyst", "admin"):
        with server.as_role(role) as client:
            tables[role] = _table(client, by="year")
    first = tables["partner"]
    assert first["by"] == ["year"] and first["k"] == K and first["preview"] is False
    assert all(t["cells"] == first["cells"] for t in tables.values())  # one release, whoever asks
    grand = next(c for c in first["cells"] if c["values"] == {"year": "Total"})
    assert not grand["suppressed"] and grand["victims"] >= 40 and grand["cases"] >= 30
    assert any(c["suppressed"] for c in first["cells"])  # the sample has small years
    for cell in first["cells"]:
        assert cell["detail"] is None
        assert (cell["victims"] is None) == cell["suppressed"] == (cell["cases"] is None)


def test_analysts_preview_shows_true_counts_and_published_cells_meet_k(server: Server) -> None:
    with server.as_role("partner") as partner:
        released = _table(partner, by="country_of_origin,sex")
    before = _ledger_rows(server)
    with server.as_role("analyst") as analyst:
        preview = _table(analyst, by="country_of_origin,sex", show_suppressed="true")
    assert _ledger_rows(server) == before  # a preview is not a release
    assert preview["preview"] is True
    by_values = {tuple(c["values"].values()): c for c in preview["cells"]}
    reasons = set()
    for cell in released["cells"]:
        truth = by_values[tuple(cell["values"].values())]
        assert truth["suppressed"] == cell["suppressed"]
        reasons.add(truth["detail"]["reason"])
        if not cell["suppressed"]:
            assert truth["detail"]["victims"] >= K + 1  # k beyond the largest narrative, which has one at least
            assert (cell["victims"], cell["cases"]) == (truth["detail"]["victims"], truth["detail"]["cases"])
        else:
            assert truth["detail"]["reason"] in {"primary", "secondary", "held"}
            if truth["detail"]["victims"] < K:
                assert truth["detail"]["reason"] == "primary"
    assert "primary" in reasons and None in reasons


@pytest.mark.parametrize("role", ["partner", "ngo"])
def test_partners_and_ngos_may_not_see_suppressed_counts(server: Server, role: str) -> None:
    with server.as_role(role) as client:
        answer = client.get("/v1/aggregates", params={"by": "sex", "show_suppressed": "true"})
    assert answer.status_code == 403
    assert "victims" not in answer.text and "detail" not in answer.json()["error"].get("details", {})
    with sqlite3.connect(server.home / "api.sqlite") as db:
        outcomes = [r[0] for r in db.execute("SELECT outcome FROM audit WHERE route = '/v1/aggregates' AND role = ?",
                                             (role,))]
    assert "denied" in outcomes


@pytest.mark.parametrize("params, message", [
    ({"by": "colour"}, "unknown field"), ({"by": "sex,sex"}, "more than once"), ({}, "at least one field"),
    ({"by": "sex", "k": 4}, "at least 11"), ({"by": "sex", "k": 5}, "at least 11"),
    ({"by": "year,sex,age_band,country_of_origin,method_of_control"}, "at most 4"),
])
def test_bad_requests_get_400_and_record_nothing(server: Server, params: dict, message: str) -> None:
    before = _ledger_rows(server)
    with server.as_role("partner") as client:
        answer = client.get("/v1/aggregates", params=params)
    assert answer.status_code == 400, answer.text
    assert message in answer.json()["error"]["message"] and "colour" not in answer.text
    assert _ledger_rows(server) == before


def test_requests_are_audited_with_their_fields_and_size(server: Server) -> None:
    with server.as_role("ngo") as client:  # a k of its own would be a release without history: refused
        assert client.get("/v1/aggregates", params={"by": "type_of_exploitation", "k": 12}).status_code == 403
        table = _table(client, by="type_of_exploitation")
    with server.as_role("analyst") as client:
        assert _table(client, by="type_of_exploitation", k=12)["k"] == 12
    with sqlite3.connect(server.home / "api.sqlite") as db:
        rows = db.execute("SELECT outcome, result_count, params FROM audit WHERE route = '/v1/aggregates' "
                          "AND role = 'ngo' ORDER BY seq DESC LIMIT 1").fetchall()
    assert rows[0][0] == "ok" and rows[0][1] == len(table["cells"]) and "type_of_exploitation" in rows[0][2]


def test_the_command_line_releases_through_the_same_ledger(server: Server, tmp_path: Path) -> None:
    with server.as_role("partner") as client:
        api_table = _table(client, by="age_band")
    out = tmp_path / "age.csv"
    done = _cli(server, "--by", "age_band", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "published" in done.stderr and "suppressed" in done.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [*rows[0]] == ["age_band", "victims", "cases", "suppressed"]
    from_api = {c["values"]["age_band"]: c for c in api_table["cells"]}
    assert len(rows) == len(from_api)
    for row in rows:
        cell = from_api[row["age_band"]]
        assert (row["suppressed"] == "True") == cell["suppressed"]
        assert row["victims"] == ("" if cell["suppressed"] else str(cell["victims"]))


@pytest.mark.parametrize("args, message", [
    (["--by", "colour"], "unknown field"), (["--by", "sex", "--k", "4"], "at least 5"),
    (["--by", "sex,sex"], "more than once"),
])
def test_the_command_line_refuses_bad_input_and_writes_nothing(server: Server, tmp_path: Path, args: list[str],
                                                               message: str) -> None:
    out = tmp_path / "never.csv"
    before = _ledger_rows(server)
    done = _cli(server, *args, "-o", str(out))
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert "colour" not in done.stderr
    assert not out.exists() and _ledger_rows(server) == before
