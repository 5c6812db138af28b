"""The API routes the analyst's workspace pages need beyond the first API: the reports list, a report to read
in a sandboxed frame, and the reasons kept with review decisions and watchlist removals.

Run against the real server of the ``workspace`` fixture (the 64 sample narratives ingested with the CLI).
"""

from __future__ import annotations

import json
import sqlite3

from tests.api_server import make_key, wait_for_job
from tests.browser import Workspace


def test_reports_list_and_the_sandboxed_reader(workspace: Workspace) -> None:
    server = workspace.server
    with server.as_role("analyst") as analyst:
        ordered = analyst.post("/v1/reports", json={"formats": ["html", "pdf"], "title": "Reader <b>check</b>"})
        assert ordered.status_code == 202, ordered.text
        job_id = ordered.json()["job_id"]
        listed = {r["job_id"]: r for r in analyst.get("/v1/reports").json()}
        assert listed[job_id]["title"] == "Reader <b>check</b>" and listed[job_id]["formats"] == ["html", "pdf"]
        if listed[job_id]["status"] != "done":
            assert listed[job_id]["available"] == []
            early = analyst.get(f"/v1/reports/{job_id}/view")
            assert early.status_code in (200, 409)  # the worker may already have finished it
        assert wait_for_job(analyst, job_id, timeout=300)["status"] == "done"
        mine = next(r for r in analyst.get("/v1/reports", params={"limit": 200}).json() if r["job_id"] == job_id)
        assert mine["available"] == ["html", "pdf"] and mine["narratives"] and mine["finished_at"]
        view = analyst.get(f"/v1/reports/{job_id}/view")
        assert view.status_code == 200 and view.headers["content-type"].startswith("text/html")
        assert view.headers["content-disposition"].startswith("inline")
        policy = view.headers["content-security-policy"]
        assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
        assert "frame-ancestors 'self'" in policy and view.headers["x-content-type-options"] == "nosniff"
        assert "Reader &lt;b&gt;check&lt;/b&gt;" in view.text and "<b>check</b>" not in view.text
        download = analyst.get(f"/v1/reports/{job_id}", params={"format": "pdf"})
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["content-disposition"].startswith("attachment")

        # Markdown only: read as plain text, never as HTML
        md_only = analyst.post("/v1/reports", json={"formats": ["md"]}).json()["job_id"]
        assert wait_for_job(analyst, md_only, timeout=300)["status"] == "done"
        plain = analyst.get(f"/v1/reports/{md_only}/view")
        assert plain.status_code == 200 and plain.headers["content-type"].startswith("text/plain")
        assert "sandbox" in plain.headers["content-security-policy"] and "Key Judgements" in plain.text
        pdf_only = analyst.post("/v1/reports", json={"formats": ["pdf"]}).json()["job_id"]
        assert wait_for_job(analyst, pdf_only, timeout=300)["status"] == "done"
        assert analyst.get(f"/v1/reports/{pdf_only}/view").status_code == 404  # nothing to read in the page
        assert analyst.get("/v1/reports/job_nothing/view").status_code == 404
        assert analyst.get("/v1/reports", params={"limit": 0}).status_code == 422
    views = [e for e in _audit(workspace, "/v1/reports/{job_id}/view") if e["outcome"] == "ok"]
    assert views and all("reveal_names" in e["params"] for e in views)
    with server.as_role("ngo") as ngo:
        assert ngo.get("/v1/reports").status_code == 403
        assert ngo.get(f"/v1/reports/{job_id}/view").status_code == 403
    with server.client(make_key(server.home, "analyst", "Org Z")) as other:
        assert job_id not in {r["job_id"] for r in other.get("/v1/reports").json()}
        assert other.get(f"/v1/reports/{job_id}/view").status_code == 404


def test_review_decision_and_watchlist_removal_keep_their_reason(workspace: Workspace) -> None:
    server = workspace.server
    with server.as_role("analyst") as analyst:
        pending = analyst.get("/v1/review/pairs", params={"limit": 500}).json()
        assert pending, "the sample graph has POSSIBLY_SAME_AS pairs"
        pair = pending[-1]  # the weakest: rejected here, leaving the strongest for the browser test
        too_short = analyst.post(f"/v1/review/pairs/{pair['id']}", json={"decision": "reject", "reason": "x"})
        assert too_short.status_code == 422
        decided = analyst.post(f"/v1/review/pairs/{pair['id']}",
                               json={"decision": "reject", "reason": "different birth years in the narratives"})
        assert decided.status_code == 200, decided.text
        assert decided.json()["reason"] == "different birth years in the narratives"
        lines = [json.loads(line) for line in (server.home / "decisions.jsonl").read_text().splitlines() if line]
        assert {"a": min(pair["a"]["id"], pair["b"]["id"]), "decision": "rejected",
                "reason": "different birth years in the narratives"}.items() <= lines[-1].items()

        person = analyst.get("/v1/entities", params={"q": "Andrei Munteanu", "label": "Person"}).json()["results"][0]
        entry = analyst.post("/v1/watchlist", json={"entity_id": person["id"], "category": "transport",
                                                    "reason": "drives the van"}).json()
        bad = analyst.request("DELETE", f"/v1/watchlist/{entry['id']}", json={"reason": "x"})
        assert bad.status_code == 422
        removed = analyst.request("DELETE", f"/v1/watchlist/{entry['id']}", json={"reason": "confused with his cousin"})
        assert removed.status_code == 200, removed.text
        assert removed.json()["removed_reason"] == "confused with his cousin" and removed.json()["removed_at"]
        kept = {e["id"]: e for e in analyst.get("/v1/watchlist", params={"include_removed": True}).json()}
        assert kept[entry["id"]]["removed_reason"] == "confused with his cousin"
        again = analyst.post("/v1/watchlist", json={"entity_id": person["id"], "category": "transport",
                                                    "reason": "drives the van after all"}).json()
        silent = analyst.delete(f"/v1/watchlist/{again['id']}")  # no body: still allowed, no reason kept
        assert silent.status_code == 200 and silent.json()["removed_reason"] is None


def test_an_older_api_database_gains_the_removal_reason_column(tmp_path) -> None:
    from screening.watchlist import Watchlist
    from state.db import ApiDatabase

    path = tmp_path / "api.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE watchlist (id TEXT PRIMARY KEY, entity_id TEXT NOT NULL, label TEXT NOT NULL, "
                "name TEXT NOT NULL, category TEXT NOT NULL, reason TEXT NOT NULL, key_id TEXT NOT NULL, "
                "organisation TEXT NOT NULL, created_at TEXT NOT NULL, removed_at TEXT, removed_by TEXT)")
    old.execute("INSERT INTO watchlist VALUES ('watch_old', 'person:x', 'Person', 'X', 'other', 'old flag', "
                "'key_1', 'Org A', '2024-01-01', NULL, NULL)")
    old.commit()
    old.close()
    db = ApiDatabase(path)
    ApiDatabase(path).close()  # opening twice adds nothing twice
    watchlist = Watchlist(db)
    assert watchlist.get("watch_old").removed_reason is None
    assert watchlist.remove("watch_old", "Org A (key_1)", "no longer active").removed_reason == "no longer active"
    added = watchlist.add("person:y", "Person", "Y", "other", "new flag", "key_1", "Org A")
    assert added.removed_at is None and added.removed_reason is None
    db.close()


def _audit(workspace: Workspace, route: str) -> list[dict]:
    with workspace.server.as_role("admin") as admin:
        answer = admin.get("/v1/audit", params={"route": route, "limit": 1000})
        assert answer.status_code == 200, answer.text
        return answer.json()["entries"]

