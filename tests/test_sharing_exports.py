"""HTCDS and graph exports: the standard's fields and picklists, keyed pseudonyms, revealed exports for
administrators only, the command line and the API's export jobs, and bad requests that change nothing."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.stores.factory import open_store
from sharing import htcds
from sharing.cases import age_band, victim_cases
from sharing.exports import ExportError, ExportRequest, run_export
from sharing.pseudonyms import Pseudonymiser
from tests.api_server import make_key, wait_for_job
from tests.browser import Workspace

ROOT = Path(__file__).resolve().parents[1]
KEY = Pseudonymiser.from_secret("exports-test-key-0123456789abcdef")


def _cli(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "SIGHTLINE_HOME": str(home), **(env or {})})


def test_age_bands_are_ctdcs() -> None:
    assert [age_band(a) for a in (None, 0, 8, 9, 17, 18, 20, 29, 30, 47, 48, 90)] == \
        [None, "0--8", "0--8", "9--17", "9--17", "18--20", "18--20", "27--29", "30--38", "39--47", "48+", "48+"]


def test_htcds_export_of_the_samples_uses_the_standards_fields_and_values(workspace: Workspace, tmp_path: Path) -> None:
    store = open_store(workspace.server.home)
    try:
        result = run_export(store, ExportRequest("htcds"), tmp_path / "htcds", KEY)
        cases = victim_cases(store.project())
    finally:
        store.close()
    assert result.records == len(cases) >= 40
    rows = list(csv.DictReader((tmp_path / "htcds" / "htcds.csv").open(encoding="utf-8")))
    document = json.loads((tmp_path / "htcds" / "htcds.json").read_text(encoding="utf-8"))
    assert len(rows) == len(document["records"]) == result.records
    assert "CC BY 4.0" in document["attribution"] and "CC BY 4.0" in (tmp_path / "htcds" / "README.md").read_text()
    standard = htcds.field_names()
    for column in rows[0]:
        assert column in standard or column.startswith(("sightline_", "hte_Country_")), column
    lists = htcds.picklists()
    for row in rows:
        for field in ("vic_TypeOfExploitation", "vic_MethodsOfControl", "vic_MethodOfRecruitment",
                      "vic_RecruitmentWebsitesAndApps"):
            assert set(filter(None, row[field].split(";"))) <= set(lists[field]), (field, row[field])
        assert row["vic_TraffickingStatus"] in lists["vic_TraffickingStatus"]
        assert row["prs_Gender"] in ("", *lists["prs_Gender"])
        assert row["vic_AgeWhenTrafficked"] == "" and row["con_Consent"] == "true"
        assert row["sightline_VictimId"].startswith("victim-") and len(row["sightline_VictimId"]) == 23
    # codes the standard has no value for become Other, and are named beside it
    others = [r for r in rows if r["sightline_TypeOfExploitationOther"]]
    assert others and all("Other" in r["vic_TypeOfExploitation"].split(";") for r in others)
    # routes as trafficking events: recruitment first, exploitation last
    events = [e for r in document["records"] for e in r["hte_TraffickingEvents"]]
    assert {e["hte_Type"] for e in events} == {"Recruitment", "Transit", "Exploitation"}


def test_pseudonyms_are_stable_under_one_key_and_unlinkable_across_keys(workspace: Workspace, tmp_path: Path) -> None:
    other = Pseudonymiser.from_secret("another-recipient-key-0123456789")
    store = open_store(workspace.server.home)
    try:
        first = run_export(store, ExportRequest("htcds"), tmp_path / "a.csv", KEY).files[0].read_text()
        again = run_export(store, ExportRequest("htcds"), tmp_path / "b.csv", KEY).files[0].read_text()
        elsewhere = run_export(store, ExportRequest("htcds"), tmp_path / "c.csv", other).files[0].read_text()
    finally:
        store.close()
    ids = lambda text: {row["sightline_VictimId"] for row in csv.DictReader(text.splitlines())}  # noqa: E731
    assert first == again
    assert ids(first) and not ids(first) & ids(elsewhere)
    with pytest.raises(ValueError):
        Pseudonymiser.from_secret("short")


def test_bad_export_requests_are_refused_and_write_nothing(tmp_path: Path) -> None:
    empty = open_store(tmp_path / "empty-home")
    try:
        for request in (ExportRequest("htcds"), ExportRequest("graph"), ExportRequest("ftm")):
            with pytest.raises(ExportError, match="no narrative"):
                run_export(empty, request, tmp_path / "out" / f"x.{request.format}", KEY)
        with pytest.raises(ExportError, match="unknown export format"):
            run_export(empty, ExportRequest("xlsx"), tmp_path / "out" / "x", KEY)
        with pytest.raises(ExportError, match="needs a reason"):
            run_export(empty, ExportRequest("graph", reveal=True), tmp_path / "out" / "x", KEY)
    finally:
        empty.close()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    home = tmp_path / "cli-home"
    done = _cli(home, "export", "--format", "<script>", "-o", str(tmp_path / "cli.out"))
    assert done.returncode == 2 and "unknown export format" in done.stderr and "<script>" not in done.stderr
    done = _cli(home, "export", "--format", "htcds", "-o", str(tmp_path / "cli.csv"))
    assert done.returncode == 2 and "no narrative" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "cli.csv").exists() and not (tmp_path / "cli.out").exists()


def test_revealed_cli_export_needs_an_administrator_key_and_a_reason_and_is_audited(workspace: Workspace,
                                                                                    tmp_path: Path) -> None:
    home = workspace.server.home
    out = tmp_path / "revealed.csv"
    assert _cli(home, "export", "-f", "htcds", "--reveal", "-o", str(out)).returncode == 2  # no reason
    analyst = make_key(home, "analyst", "Org A")
    refused = _cli(home, "export", "-f", "htcds", "--reveal", "--reason", "court order 42", "-o", str(out),
                   env={"SIGHTLINE_ADMIN_KEY": analyst})
    assert refused.returncode == 2 and "administrator" in refused.stderr and not out.exists()
    admin = make_key(home, "admin", "Org A")
    done = _cli(home, "export", "-f", "htcds", "--reveal", "--reason", "court order 42", "-o", str(out),
                env={"SIGHTLINE_ADMIN_KEY": admin})
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert any(r["prs_FirstName"] for r in rows) and "REVEALED" in done.stderr
    import sqlite3

    db = sqlite3.connect(home / "api.sqlite")
    entries = [json.loads(p) for (p,) in db.execute("SELECT params FROM audit WHERE route = 'CLI export' "
                                                    "ORDER BY seq DESC LIMIT 1")]
    db.close()
    assert entries[0]["reveal"] is True and entries[0]["reason"] == "court order 42"


def test_api_export_jobs_roles_reveal_and_downloads(workspace: Workspace) -> None:
    server = workspace.server
    with server.as_role("analyst") as analyst:
        ordered = analyst.post("/v1/exports", json={"format": "htcds"})
        assert ordered.status_code == 202, ordered.text
        job_id = ordered.json()["job_id"]
        assert analyst.post("/v1/exports", json={"format": "htcds", "reveal": True, "reason": "because"}).status_code == 403
        assert analyst.post("/v1/exports", json={"format": "xlsx"}).status_code == 422
        job = wait_for_job(analyst, job_id, timeout=300, path="/v1/exports")
        assert job["status"] == "done" and job["records"] >= 40, job
        assert job["files"] == ["README.md", "htcds.csv", "htcds.json"] and job["progress"]["done"] == job["records"]
        got = analyst.get(f"/v1/exports/{job_id}/files/htcds.csv")
        assert got.status_code == 200 and got.text.startswith("sightline_CaseId,")
        assert "prs_FirstName" not in got.text
        assert analyst.get(f"/v1/exports/{job_id}/files/..%2Fapi.sqlite").status_code == 404
        assert analyst.get(f"/v1/exports/{job_id}/files/graph.jsonl").status_code == 404
    with server.as_role("ngo") as ngo:
        assert ngo.post("/v1/exports", json={"format": "htcds"}).status_code == 403
    with server.client(make_key(server.home, "analyst", "Org Z")) as stranger:
        assert stranger.get(f"/v1/exports/{job_id}").status_code == 404
        assert stranger.get(f"/v1/exports/{job_id}/files/htcds.csv").status_code == 404
    with server.as_role("admin") as admin:
        assert admin.post("/v1/exports", json={"format": "graph", "reveal": True}).status_code == 400
        revealed = admin.post("/v1/exports", json={"format": "graph", "reveal": True, "reason": "move to Neo4j"})
        assert revealed.status_code == 202
        done = wait_for_job(admin, revealed.json()["job_id"], timeout=300, path="/v1/exports")
        assert done["status"] == "done" and done["reveal"] is True
    with server.as_role("analyst") as analyst:  # an analyst does not see a revealed export
        assert analyst.get(f"/v1/exports/{done['job_id']}").status_code == 404
        assert analyst.post("/v1/exports", json={"format": "synthetic", "epsilon": 0}).status_code == 422
        synthetic = analyst.post("/v1/exports", json={"format": "synthetic", "epsilon": 4})
        assert synthetic.status_code == 202, synthetic.text
        made = wait_for_job(analyst, synthetic.json()["job_id"], timeout=600, path="/v1/exports")
        assert made["status"] == "done", made
        assert made["files"] == ["synthetic.csv", "synthetic.report.json", "synthetic.report.md"]
        report = analyst.get(f"/v1/exports/{made['job_id']}/files/synthetic.report.json").json()
        assert report["release"]["privacy"]["epsilon"] <= 4.0 + 1e-9, report
        rows = analyst.get(f"/v1/exports/{made['job_id']}/files/synthetic.csv").text.splitlines()
        assert rows[0].startswith("sightline_") and len(rows) > 10
