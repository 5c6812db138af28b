"""Consent is enforced, on both stores (the embedded SQLite store and a real Neo4j), through a real server
and through ``sightline ingest``: a narrative without consent to share is extracted and kept for its own
organisation but its facts never reach the shared graph; withdrawing consent later takes them out as
deletion does; giving it writes them, with the owner's corrections applied."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.api_server import ROOT, running, wait_for_job
from tests.stores import KINDS, wipe_neo4j

REFUSED = ("Lucian Bratu recruited me in Iasi with a promise of farm work. Lucian Bratu called us from "
           "+40 744 888 111. At the Silver Birch Farm in Boston a man called Ion Ciobanu kept our passports.")
GIVEN = ("Gheorghe Lupu drove six of us from Constanta to Peterborough by van. Gheorghe Lupu took our wages "
         "every Friday and used the phone +40 755 321 654.")
LEGACY_NO = "Vasile Cernat housed us above the Red Kite Takeaway in Luton and took our passports."


def store_env(kind: str, request: pytest.FixtureRequest) -> dict[str, str]:
    if kind == "sqlite":
        return {}
    uri = request.getfixturevalue("neo4j_uri")
    wipe_neo4j(uri)
    return {"SIGHTLINE_STORE": "neo4j", "SIGHTLINE_NEO4J_URI": uri}


def found(analyst: httpx.Client, name: str) -> bool:
    response = analyst.get("/v1/entities", params={"q": name})
    assert response.status_code == 200, response.text
    return any(node["name"] == name for node in response.json()["results"])


def submit(ngo: httpx.Client, text: str, consent: str) -> str:
    response = ngo.post("/v1/narratives", json={"text": text, "region": "GB", "consent": consent})
    assert response.status_code == 202, response.text
    assert wait_for_job(ngo, response.json()["job_id"])["status"] == "done"
    return response.json()["narratives"][0]["id"]


def set_consent(ngo: httpx.Client, narrative_id: str, consent: str) -> dict:
    response = ngo.patch(f"/v1/narratives/{narrative_id}", json={"consent": consent})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("kind", KINDS)
def test_consent_decides_what_the_shared_graph_holds(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    env = {"SIGHTLINE_DEFAULT_REGION": "GB", **store_env(kind, request)}
    with running(tmp_path / "home", env) as server, server.as_role("ngo") as ngo, \
            server.as_role("analyst") as analyst:
        refused, given, legacy = submit(ngo, REFUSED, "refused"), submit(ngo, GIVEN, "given"), submit(ngo, LEGACY_NO, "no")
        assert found(analyst, "Gheorghe Lupu")
        assert not found(analyst, "Lucian Bratu") and not found(analyst, "+40744888111")
        assert not found(analyst, "Vasile Cernat")

        # Kept for the organisation: it sees its narrative and extraction, and corrects it, the graph untouched.
        view = ngo.get(f"/v1/narratives/{refused}").json()
        assert view["metadata"]["consent"] == "refused" and view["shared"] is False and view["owner"] is True
        assert ngo.get(f"/v1/narratives/{legacy}").json()["metadata"]["consent"] == "refused"  # "no", as read
        extraction = ngo.get(f"/v1/narratives/{refused}/extraction")
        assert extraction.status_code == 200, extraction.text
        ion = next(e for e in extraction.json()["entities"] if e["text"] == "Ion Ciobanu")
        corrected = ngo.patch(f"/v1/narratives/{refused}/entities/{ion['id']}", json={"action": "reject"})
        assert corrected.status_code == 200, corrected.text
        assert not found(analyst, "Lucian Bratu")

        # Consent given later: written, with the correction made meanwhile applied.
        shared = set_consent(ngo, refused, "given")
        assert shared["changed"] is True and shared["narrative"]["shared"] is True
        assert found(analyst, "Lucian Bratu") and found(analyst, "+40744888111")
        assert not found(analyst, "Ion Ciobanu")

        # Withdrawn: out of the graph as a deletion would take it, still the organisation's.
        gone = set_consent(ngo, given, "withdrawn")
        assert gone["changed"] is True and gone["nodes_deleted"] > 0 and gone["narrative"]["shared"] is False
        assert not found(analyst, "Gheorghe Lupu") and not found(analyst, "+40755321654")
        assert ngo.get(f"/v1/narratives/{given}/extraction").status_code == 200
        assert set_consent(ngo, given, "refused")["changed"] is False  # not shared either way: nothing to do
        again = set_consent(ngo, given, "given")
        assert again["changed"] is True and found(analyst, "Gheorghe Lupu")

        # Bad values are refused without echoing them; the old ones are still read.
        bad = ngo.patch(f"/v1/narratives/{legacy}", json={"consent": "maybe-later"})
        assert bad.status_code == 422 and "maybe-later" not in bad.json()["error"]["message"]
        assert set_consent(ngo, legacy, "yes")["narrative"]["metadata"]["consent"] == "given"
        assert found(analyst, "Vasile Cernat")


def ingest(home: Path, env: dict[str, str], records: list[dict]) -> subprocess.CompletedProcess[str]:
    path = home / "batch.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "cli.main", "ingest", str(path)], check=False, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "SIGHTLINE_HOME": str(home), **env})


def narratives(home: Path, env: dict[str, str]) -> int:
    out = subprocess.run([sys.executable, "-m", "cli.main", "stats", "--json"], check=False, cwd=ROOT,
                         capture_output=True,
                         text=True, timeout=120, env={**os.environ, "SIGHTLINE_HOME": str(home), **env})
    assert out.returncode == 0, out.stderr
    return int(json.loads(out.stdout)["narratives"])


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_line_ingest_respects_consent(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    env = {"SIGHTLINE_DEFAULT_REGION": "GB", **store_env(kind, request)}
    first = ingest(tmp_path, env, [{"id": "g1", "text": GIVEN, "consent": "yes"},
                                   {"id": "r1", "text": REFUSED, "consent": "refused"}])
    assert first.returncode == 0, first.stderr
    assert "1 narrative(s) without consent to share" in first.stderr
    assert narratives(tmp_path, env) == 1
    withdrawn = ingest(tmp_path, env, [{"id": "g1", "text": GIVEN, "consent": "withdrawn"}])
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "taken out of it" in withdrawn.stderr
    assert narratives(tmp_path, env) == 0
