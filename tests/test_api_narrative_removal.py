"""Deleting a narrative (administrators) and correcting an extraction (NGOs), against a real server on the
default store: afterwards no route shows anything only the deleted narrative said, shared entities keep only
the other narratives' evidence, and corrections change the graph and survive a rebuild."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.stores.factory import open_store
from screening.watchlist import Watchlist
from state.db import ApiDatabase
from tests.api_server import ROOT, Server, make_key, running, start, wait_for_job

# N names Viorel Stanescu first (so his id comes from N), with a phone A and B name too; Dorin Albu, his email,
# the Blue Heron Laundry and Hartlepool are N's alone.
N = ("In March 2022 a man called Viorel Stanescu recruited me in Craiova with a promise of farm work. "
     "Viorel Stanescu used the phone +40 733 555 777 and made us pay him. Later Dorin Albu kept our passports at "
     "the Blue Heron Laundry in Hartlepool. Dorin Albu wrote to us from dorin.albu@mailbox.example.")
A = ("A man called Viorel Stanescu promised my cousin a job in England. Viorel Stanescu called her from "
     "+40 733 555 777 every week and took her earnings in Sunderland.")
B = "The recruiter Viorel Stanescu, phone +40 733 555 777, drove four women from Craiova to Sunderland by van in May 2022."
C = ("Tomas Varga took our passports at Sparkle Hand Car Wash in Leicester. Call him on 07400 123456. "
     "He said we owed him 2000 pounds for the trip.")
N_ONLY = ("Dorin Albu", "dorin.albu@mailbox.example", "Blue Heron Laundry", "Hartlepool")


def submit(server: Server, *texts: str, key: str = "ngo") -> list[str]:
    with server.client(server.keys[key]) as ngo:
        ids = []
        for text in texts:  # one job each, in this order: the order of writing decides who named someone first
            response = ngo.post("/v1/narratives", json={"text": text, "region": "GB"})
            assert response.status_code == 202, response.text
            assert wait_for_job(ngo, response.json()["job_id"])["status"] == "done"
            ids.append(response.json()["narratives"][0]["id"])
    return ids


def search(analyst: httpx.Client, q: str, label: str | None = None) -> list[dict]:
    response = analyst.get("/v1/entities", params={"q": q, **({"label": label} if label else {})})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def person(analyst: httpx.Client, name: str) -> dict:
    found = [p for p in search(analyst, name, "Person") if p["name"] == name]
    assert len(found) == 1, found
    return found[0]


def all_text(path: Path) -> str:
    """Every value in every table of an SQLite file, as one string to search."""
    db = sqlite3.connect(path)
    try:
        out = []
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            out += [json.dumps(row, default=str) for row in db.execute(f"SELECT * FROM {table}")]  # noqa: S608
        return "\n".join(out)
    finally:
        db.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-removal"), {"SIGHTLINE_DEFAULT_REGION": "GB"}) as s:
        s.keys["ngo-b"] = make_key(s.home, "ngo", "Org B")
        yield s


def test_admin_deletes_a_narrative_and_everything_only_it_supported(server: Server) -> None:
    n_id, a_id, b_id = submit(server, N, A, B)
    with server.client(server.keys["ngo-b"]) as other:  # the same text from Org B: one narrative, two owners
        assert other.post("/v1/narratives", json={"text": N}).json()["narratives"][0]["id"] == n_id
    with server.as_role("analyst") as analyst:
        viorel = person(analyst, "Viorel Stanescu")
        dorin = person(analyst, "Dorin Albu")
        assert set(analyst.get(f"/v1/entities/{viorel['id']}").json()["narratives"]) == {n_id, a_id, b_id}
        flags = [analyst.post("/v1/watchlist", json={"entity_id": entity, "category": "recruitment",
                                                     "reason": "named by two survivors"}).json()["id"]
                 for entity in (viorel["id"], dorin["id"])]
        assert analyst.get("/v1/analysis/hotspots").status_code == 200  # an analysis computed (and cached) with N
        with server.as_role("admin") as admin:
            deleted = admin.delete(f"/v1/narratives/{n_id}")
            assert deleted.status_code == 200, deleted.text
            body = deleted.json()
            assert body["graph_id"] == n_id and body["api_records_deleted"] >= 4
            assert body["people_renamed"] and viorel["id"] in body["people_renamed"]  # N had named him first
            again = admin.delete(f"/v1/narratives/{n_id}")
            assert again.status_code == 404 and again.json()["error"]["code"] == "not_found"
            assert admin.delete("/v1/narratives/n000000000000000000000000").status_code == 404
            assert admin.get("/v1/audit", params={"route": "/v1/narratives", "limit": 1000}).json()["entries"], \
                "the audit log keeps the submission"
            assert admin.get("/v1/audit", params={"route": "/v1/narratives/{narrative_id}"}).json()["entries"][0][
                "method"] == "DELETE"

        # N's own entities are gone from search, detail and neighbourhood
        for name in N_ONLY:
            assert search(analyst, name) == [], name
        assert analyst.get(f"/v1/entities/{dorin['id']}").status_code == 404
        # Viorel stays, under the id A gives him, with only A's and B's evidence
        renamed = body["people_renamed"][viorel["id"]]
        assert person(analyst, "Viorel Stanescu")["id"] == renamed
        detail = analyst.get(f"/v1/entities/{renamed}").json()
        assert set(detail["narratives"]) == {a_id, b_id}
        cited = {e["narrative"] for r in detail["relationships"] for e in r["evidence"]}
        assert n_id not in cited and cited <= {a_id, b_id}
        around = analyst.get(f"/v1/neighbourhood/{renamed}", params={"depth": 3}).json()
        names = {node["name"] for node in around["nodes"]}
        assert "+40733555777" in {node["id"].split(":", 1)[1] for node in around["nodes"]}  # A and B name it too
        assert not names & set(N_ONLY)
        assert analyst.get(f"/v1/neighbourhood/{dorin['id']}").status_code == 404
        hotspots = json.dumps(analyst.get("/v1/analysis/hotspots").json())
        assert "Blue Heron" not in hotspots and "Hartlepool" not in hotspots  # recomputed without N
        # the flag on Viorel followed him; the one on Dorin was taken off, and says why
        listed = {w["id"]: w for w in analyst.get("/v1/watchlist", params={"include_removed": True}).json()}
        assert listed[flags[0]]["entity"]["id"] == renamed and listed[flags[0]]["removed_at"] is None
        assert listed[flags[1]]["removed_at"] and "narrative deleted" in listed[flags[1]]["removed_by"]

    for key in ("ngo", "ngo-b"):  # neither owner sees it any more
        with server.client(server.keys[key]) as ngo:
            assert ngo.get(f"/v1/narratives/{n_id}").status_code == 404
            assert ngo.get(f"/v1/narratives/{n_id}/extraction").status_code == 404
            assert n_id not in {n["id"] for n in ngo.get("/v1/narratives").json()}
    with server.as_role("ngo") as ngo:
        assert ngo.get(f"/v1/narratives/{a_id}").status_code == 200
    # nothing of N is left in any table of the API's records or of the graph (the audit log keeps hashes only)
    for store in ("api.sqlite", "graph.sqlite"):
        held = all_text(server.home / store)
        for fragment in ("Dorin Albu", "dorin.albu", "Blue Heron", "Hartlepool", "farm work", n_id):
            assert fragment not in held, (store, fragment)


def test_a_narrative_still_queued_cannot_be_deleted(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ngo, admin = make_key(home, "ngo", "Org A"), make_key(home, "admin", "HQ")
    server = start(home, {"SIGHTLINE_API_WORKER": "false"})
    try:
        with server.client(ngo) as client:
            narrative = client.post("/v1/narratives", json={"text": A}).json()["narratives"][0]["id"]
        with server.client(admin) as client:
            refused = client.delete(f"/v1/narratives/{narrative}")
            assert refused.status_code == 409 and "queued" in refused.json()["error"]["message"]
    finally:
        server.stop()


def test_corrections_reach_the_graph_and_survive_a_rebuild(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"SIGHTLINE_DEFAULT_REGION": "GB"}
    with running(home, env) as server:
        [c_id] = submit(server, C)
        with server.as_role("ngo") as ngo:
            entities = {e["value"]: e for e in ngo.get(f"/v1/narratives/{c_id}/extraction").json()["entities"]}
            tomas, phone = entities["Tomas Varga"], entities["+447400123456"]
            url = f"/v1/narratives/{c_id}/entities"
        with server.as_role("analyst") as analyst:
            assert search(analyst, "Tomas Varga", "Person") and search(analyst, "+44 7400 123456")
            with server.as_role("ngo") as ngo:
                relabelled = ngo.patch(f"{url}/{tomas['id']}", json={"action": "relabel", "label": "ORGANIZATION"})
                assert relabelled.status_code == 200, relabelled.text
                assert ngo.patch(f"{url}/{phone['id']}", json={"action": "reject"}).status_code == 200
                refused = ngo.patch(f"{url}/{tomas['id']}", json={"action": "relabel", "label": "PHONE"})
                assert refused.status_code == 422 and "phone" in refused.json()["error"]["message"]
            # the mention moved to an organisation; the rejected phone is gone with what only it supported
            assert search(analyst, "Tomas Varga", "Person") == []
            [org] = search(analyst, "Tomas Varga", "Organization")
            assert c_id in analyst.get(f"/v1/entities/{org['id']}").json()["narratives"]
            assert search(analyst, "+44 7400 123456") == []
            assert analyst.get("/v1/entities/phone:+447400123456").status_code == 404
            wash = search(analyst, "Sparkle Hand Car Wash", "Organization")[0]
            assert "USES_PHONE" not in {r["type"] for r in analyst.get(f"/v1/entities/{wash['id']}").json()["relationships"]}
            with server.as_role("ngo") as ngo:  # undone, then done again
                assert ngo.patch(f"{url}/{phone['id']}", json={"action": "restore"}).status_code == 200
                assert search(analyst, "+44 7400 123456")[0]["id"] == "phone:+447400123456"
                assert ngo.patch(f"{url}/{phone['id']}", json={"action": "reject"}).status_code == 200
                assert search(analyst, "+44 7400 123456") == []

    # a rebuild: a new graph from the same narrative, by the command line, in the same home
    for name in ("graph.sqlite", "graph.sqlite-wal", "graph.sqlite-shm"):
        (home / name).unlink(missing_ok=True)
    source = tmp_path / "again.jsonl"
    source.write_text(json.dumps({"id": c_id, "text": C, "region": "GB"}) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cli.main", "ingest", str(source)], capture_output=True, text=True,
                            cwd=ROOT, env={**os.environ, "SIGHTLINE_HOME": str(home), **env}, timeout=600)
    assert result.returncode == 0, result.stderr
    with running(home, env) as server, server.as_role("analyst") as analyst:
        assert search(analyst, "Tomas Varga", "Person") == []
        assert search(analyst, "Tomas Varga", "Organization")
        assert search(analyst, "+44 7400 123456") == []


def test_delete_narrative_from_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "SIGHTLINE_HOME": str(tmp_path / "home"), "SIGHTLINE_DEFAULT_REGION": "GB"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=600)

    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in (("n", N), ("a", A), ("b", B))) + "\n",
                      encoding="utf-8")
    assert cli("ingest", str(source)).returncode == 0
    before = json.loads(cli("stats", "--json").stdout)
    db = ApiDatabase(tmp_path / "home" / "api.sqlite")  # an analyst flagged every person, as through the API
    store = open_store(tmp_path / "home")
    people = store.list_nodes("Person")
    store.close()
    watchlist = Watchlist(db)
    flags = {p.id: watchlist.add(p.id, p.label, p.name, "recruitment", "test", "key_1", "ngo-a").id for p in people}
    deleted = cli("delete-narrative", "n", "--json")
    assert deleted.returncode == 0, deleted.stderr
    change = json.loads(deleted.stdout)
    assert change["graph_id"] == "n" and change["people_renamed"] and change["nodes_deleted"]
    # the command line follows the watchlist as the API does: flags on people gone come off, renamed ones follow
    entries = {e.id: e for e in watchlist.entries(include_removed=True, limit=1000)}
    assert change["watchlist_changed"] >= len(change["people_renamed"]) > 0
    for person, flag in flags.items():
        if person in change["nodes_deleted"] and person not in change["people_renamed"]:
            assert entries[flag].removed_at is not None and "delete-narrative" in str(entries[flag].removed_by)
        elif person in change["people_renamed"]:
            assert entries[flag].entity_id == change["people_renamed"][person] and entries[flag].removed_at is None
    db.close()
    after = json.loads(cli("stats", "--json").stdout)
    assert after["narratives"] == before["narratives"] - 1
    assert after["total_nodes"] == before["total_nodes"] - len(change["nodes_deleted"])
    again = cli("delete-narrative", "n")
    assert again.returncode != 0 and "no narrative 'n'" in again.stderr and "Traceback" not in again.stderr
    source.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in (("a", A), ("b", B))) + "\n",
                      encoding="utf-8")
    fresh = {**env, "SIGHTLINE_HOME": str(tmp_path / "fresh")}
    subprocess.run([sys.executable, "-m", "cli.main", "ingest", str(source)], cwd=ROOT, env=fresh, check=True,
                   capture_output=True, timeout=600)
    rebuilt = subprocess.run([sys.executable, "-m", "cli.main", "stats", "--json"], cwd=ROOT, env=fresh,
                             capture_output=True, text=True, check=True, timeout=600)
    assert json.loads(rebuilt.stdout) == after  # the same graph as if N had never been ingested
