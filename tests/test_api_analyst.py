"""Analyst routes against a real server holding the 64 sample narratives (submitted through the API)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.api_server import ROOT, Server, make_key, running, wait_for_job

SAMPLES = ROOT / "data" / "samples"


def samples_jsonl() -> bytes:
    with (SAMPLES / "metadata.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    lines = []
    for row in rows:
        record = {"id": row["id"], "text": (SAMPLES / f"{row['id']}.txt").read_text(encoding="utf-8")}
        record.update({k: row[k] for k in ("language", "date", "consent", "source_grading", "region") if row.get(k)})
        if record.get("consent") not in ("yes", "no", "anonymised", "unknown"):
            record.pop("consent", None)
        lines.append(json.dumps(record))
    return "\n".join(lines).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-analyst")) as s:
        with s.as_role("ngo") as ngo:
            submitted = ngo.post("/v1/narratives", files={"file": ("samples.jsonl", samples_jsonl())})
            assert submitted.status_code == 202, submitted.text
            job = wait_for_job(ngo, submitted.json()["job_id"], timeout=600)
            assert job["status"] == "done" and job["progress"]["stored"] == 64, job["progress"]
        yield s


@pytest.fixture()
def analyst(server: Server) -> Iterator[httpx.Client]:
    with server.as_role("analyst") as client:
        yield client


def find(analyst: httpx.Client, q: str, label: str = "Person") -> dict:
    found = analyst.get("/v1/entities", params={"q": q, "label": label})
    assert found.status_code == 200, found.text
    assert found.json()["results"], f"nothing found for {q!r}"
    return found.json()["results"][0]


def audit(server: Server, route: str) -> list[dict]:
    with server.as_role("admin") as admin:
        return admin.get("/v1/audit", params={"route": route, "limit": 1000}).json()["entries"]


def test_search_by_name_and_identifier_is_audited_with_hashes(server: Server, analyst: httpx.Client) -> None:
    person = find(analyst, "Andrei Munteanu")
    assert person["name"] == "Andrei Munteanu" and person["id"].startswith("person:")
    phone = find(analyst, "+40 722 415 386", label="Phone")
    assert phone["id"] == "phone:+40722415386"
    national = analyst.get("/v1/entities", params={"q": "0722 415 386", "region": "RO"}).json()["results"]
    assert national[0]["id"] == "phone:+40722415386"  # a number written without its country code
    assert analyst.get("/v1/entities", params={"q": "0722 415 386", "region": "ro"}).status_code == 422
    assert analyst.get("/v1/entities", params={"q": "Nobody Atall"}).json()["results"] == []
    assert analyst.get("/v1/entities", params={"q": "x", "label": "Spaceship"}).status_code == 422
    assert analyst.get("/v1/entities").status_code == 422
    entries = audit(server, "/v1/entities")
    assert len(entries) >= 3
    for entry in entries:
        assert entry["params"]["q"].startswith("hmac:") and entry["role"] == "analyst"
        seen = json.dumps({k: v for k, v in entry.items() if k != "request_id"})
        # the number in any spelling the queries used; a bare "722" would also match inside a random hash
        assert not any(s in seen for s in ("722415386", "722 415 386", "Munteanu"))
    assert {e["result_count"] for e in entries} >= {0, 1}


def test_entity_detail_has_provenance(server: Server, analyst: httpx.Client) -> None:
    detail = analyst.get("/v1/entities/phone:+40722415386").json()
    assert detail["node"]["label"] == "Phone" and detail["narratives"]
    uses = [r for r in detail["relationships"] if r["type"] == "USES_PHONE"]
    assert uses and uses[0]["evidence"]
    evidence = uses[0]["evidence"][0]
    # the sentence holds the number as that narrative wrote it ("0722 415 386", "0040 722 415 386", ...)
    assert evidence["narrative"] in uses[0]["narratives"] and "722415386" in re.sub(r"\D", "", evidence["sentence"])
    assert analyst.get("/v1/entities/phone:+40722415386", params={"limit": 1}).json()["truncated"] in (True, False)
    missing = analyst.get("/v1/entities/person:doesnotexist")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert audit(server, "/v1/entities/{entity_id}")[0]["params"]["entity_id"].startswith("hmac:")


def test_neighbourhood_is_bounded(analyst: httpx.Client) -> None:
    person = find(analyst, "Andrei Munteanu")
    one = analyst.get(f"/v1/neighbourhood/{person['id']}", params={"depth": 1}).json()
    assert one["center"] == person["id"] and "phone:+40722415386" in {n["id"] for n in one["nodes"]}
    two = analyst.get(f"/v1/neighbourhood/{person['id']}", params={"depth": 2}).json()
    assert len(two["nodes"]) >= len(one["nodes"])
    small = analyst.get(f"/v1/neighbourhood/{person['id']}", params={"depth": 3, "limit": 3}).json()
    assert len(small["nodes"]) <= 3 and small["truncated"]
    assert analyst.get(f"/v1/neighbourhood/{person['id']}", params={"depth": 4}).status_code == 422
    assert analyst.get("/v1/neighbourhood/person:nobody").status_code == 404


def test_entity_detail_names_its_relations_and_grades_its_sources(analyst: httpx.Client) -> None:
    """The entity page shows who is at the other end of each fact and how each source narrative is graded."""
    person = find(analyst, "Andrei Munteanu")
    detail = analyst.get(f"/v1/entities/{person['id']}").json()
    others = {r["target"] if r["source"] == person["id"] else r["source"] for r in detail["relationships"]}
    related = {r["id"]: r for r in detail["related"]}
    assert set(related) == others
    assert related["phone:+40722415386"] == {"id": "phone:+40722415386", "label": "Phone", "name": "+40722415386"}
    sources = {s["id"]: s for s in detail["sources"]}
    assert set(sources) == set(detail["narratives"]) and len(sources) >= 2
    assert all(re.fullmatch(r"[A-F][1-6]", s["grading"]) for s in sources.values() if s["grading"])
    assert any(s["grading"] for s in sources.values()) and all(s["date"] for s in sources.values())
    communities = analyst.get("/v1/analysis/communities", params={"limit": 500}).json()
    own = next(c for c in communities if person["id"] in {m["id"] for m in c["members"]})
    assert detail["marks"]["community"] == own["id"] and detail["marks"]["key_actor"] is True
    phone = analyst.get("/v1/entities/phone:+40722415386").json()
    assert phone["marks"] == {"community": None, "key_actor": False, "broker": False}


def test_neighbourhood_marks_networks_key_actors_brokers_and_dates(analyst: httpx.Client) -> None:
    person = find(analyst, "Andrei Munteanu")["id"]
    plain = analyst.get(f"/v1/neighbourhood/{person}", params={"depth": 1}).json()
    assert plain["marks"] is None and plain["narrative_dates"] is None  # only when asked for
    marked = analyst.get(f"/v1/neighbourhood/{person}", params={"depth": 2, "marks": "true"}).json()
    assert {n["id"] for n in marked["nodes"]} >= {n["id"] for n in plain["nodes"]}
    key = {a["node"]["id"] for a in analyst.get("/v1/analysis/key-actors", params={"limit": 500}).json()}
    brokers = {b["node"]["id"] for b in analyst.get("/v1/analysis/brokers", params={"limit": 500}).json()}
    communities = analyst.get("/v1/analysis/communities", params={"limit": 500, "min_size": 1}).json()
    network = {m["id"]: c["id"] for c in communities for m in c["members"]}
    shown = {n["id"] for n in marked["nodes"]}
    assert set(marked["marks"]) <= shown and key & shown and brokers & shown
    for node_id in shown:
        mark = marked["marks"].get(node_id, {"community": None, "key_actor": False, "broker": False})
        assert mark == {"community": network.get(node_id), "key_actor": node_id in key, "broker": node_id in brokers}
    cited = {n for e in marked["edges"] for n in e["narratives"]}
    assert marked["narrative_dates"] and set(marked["narrative_dates"]) <= cited
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in marked["narrative_dates"].values())


def test_paths_between_two_entities(analyst: httpx.Client) -> None:
    a = find(analyst, "Andrei Munteanu")["id"]
    phone = "phone:+40722415386"
    shortest = analyst.get("/v1/paths", params={"source": a, "target": phone})
    assert shortest.status_code == 200, shortest.text
    [path] = shortest.json()["paths"]
    assert path["nodes"][0]["id"] == a and path["nodes"][-1]["id"] == phone and path["hops"][0]["narratives"]
    assert path["nodes"][0]["name"] == "Andrei Munteanu"
    every = analyst.get("/v1/paths", params={"source": a, "target": phone, "mode": "all", "cutoff": 3}).json()
    assert every["paths"] and all(p["length"] <= 3 for p in every["paths"])
    assert analyst.get("/v1/paths", params={"source": a, "target": "person:nobody"}).json()["paths"] == []
    assert analyst.get("/v1/paths", params={"source": a, "target": a}).status_code == 422
    assert analyst.get("/v1/paths", params={"source": a, "target": phone, "mode": "some"}).status_code == 422


def test_analysis_routes(server: Server, analyst: httpx.Client) -> None:
    communities = analyst.get("/v1/analysis/communities").json()
    assert communities and all(c["size"] >= 2 for c in communities)
    romanian = next(c for c in communities if "Andrei Munteanu" in {m["name"] for m in c["members"]})
    assert romanian["narratives"]
    actors = analyst.get("/v1/analysis/key-actors", params={"community": romanian["id"]}).json()
    assert "Andrei Munteanu" in {a["node"]["name"] for a in actors}
    assert analyst.get("/v1/analysis/brokers").status_code == 200
    corridors = analyst.get("/v1/analysis/corridors", params={"limit": 500}).json()
    assert ("Rotterdam", "Hull") in {(c["origin"]["name"], c["destination"]["name"]) for c in corridors}
    hotspots = analyst.get("/v1/analysis/hotspots").json()
    assert hotspots and hotspots[0]["victims"] >= 1
    ranking = analyst.get("/v1/analysis/exposure", params={"limit": 5}).json()
    assert ranking and ranking[0]["score"] >= ranking[-1]["score"]
    person = ranking[0]["person"]["id"]
    one = analyst.get(f"/v1/analysis/exposure/{person}").json()
    assert one["score"] == pytest.approx(ranking[0]["score"])
    assert one["contributions"] and one["contributions"][0]["path"][0]["id"] == person
    assert analyst.get("/v1/analysis/exposure/phone:+40722415386").status_code == 404
    assert audit(server, "/v1/analysis/communities")[0]["result_count"] == len(communities)


def test_analysis_follows_the_graph(server: Server, analyst: httpx.Client) -> None:
    before = {(c["origin"]["name"], c["destination"]["name"])
              for c in analyst.get("/v1/analysis/corridors", params={"limit": 500}).json()}
    assert ("Zagreb", "Ljubljana") not in before
    with server.as_role("ngo") as ngo:
        text = "In May 2022 Goran Kovac took me by van from Zagreb to Ljubljana and kept my passport."
        job = wait_for_job(ngo, ngo.post("/v1/narratives", json={"text": text}).json()["job_id"])
        assert job["status"] == "done"
    after = {(c["origin"]["name"], c["destination"]["name"])
             for c in analyst.get("/v1/analysis/corridors", params={"limit": 500}).json()}
    assert ("Zagreb", "Ljubljana") in after


def test_review_queue_confirm_and_reject(server: Server, analyst: httpx.Client) -> None:
    pending = analyst.get("/v1/review/pairs").json()
    assert len(pending) >= 2 and pending[0]["score"] >= pending[-1]["score"]
    first, second = pending[0], pending[1]
    rejected = analyst.post(f"/v1/review/pairs/{first['id']}", json={"decision": "reject"})
    assert rejected.status_code == 200, rejected.text
    me = analyst.get("/v1/me").json()
    assert rejected.json()["by"] == f"Org A ({me['key_id']})"
    assert first["id"] in {p["id"] for p in analyst.get("/v1/review/pairs", params={"status": "rejected"}).json()}
    assert analyst.post(f"/v1/review/pairs/{first['id']}", json={"decision": "reject"}).status_code == 409
    others = [p for p in pending[1:] if {p["a"]["id"], p["b"]["id"]}.isdisjoint({first["a"]["id"], first["b"]["id"]})]
    confirmed = analyst.post(f"/v1/review/pairs/{others[0]['id']}", json={"decision": "confirm"})
    assert confirmed.status_code == 200, confirmed.text
    assert analyst.get(f"/v1/entities/{others[0]['b']['id']}").json()["node"]["id"] == others[0]["a"]["id"]
    assert analyst.post("/v1/review/pairs/POSSIBLY_SAME_AS:nothing", json={"decision": "confirm"}).status_code == 404
    assert analyst.post(f"/v1/review/pairs/{second['id']}", json={"decision": "maybe"}).status_code == 422
    decisions = (server.home / "decisions.jsonl").read_text(encoding="utf-8")
    assert me["key_id"] in decisions


def test_watchlist(server: Server, analyst: httpx.Client) -> None:
    andrei = find(analyst, "Andrei Munteanu")
    flagged = analyst.post("/v1/watchlist", json={"entity_id": andrei["id"], "category": "recruitment",
                                                  "reason": "recruits through fake waitress jobs"})
    assert flagged.status_code == 201, flagged.text
    entry = flagged.json()
    assert entry["entity"]["name"] == "Andrei Munteanu" and entry["by"].startswith("Org A (")
    again = analyst.post("/v1/watchlist", json={"entity_id": andrei["id"], "category": "recruitment", "reason": "again"})
    assert again.status_code == 409
    phone = analyst.post("/v1/watchlist", json={"entity_id": "phone:+40722415386", "category": "recruitment",
                                                "reason": "Andi's recruiting number"})
    assert phone.status_code == 201
    listed = analyst.get("/v1/watchlist").json()
    assert {entry["id"], phone.json()["id"]} <= {e["id"] for e in listed}
    assert analyst.get(f"/v1/entities/{andrei['id']}").json()["watchlist"][0]["category"] == "recruitment"
    # victims are never flagged; places cannot be; unknown entities are 404; bad input is 422
    exposed = analyst.get("/v1/analysis/exposure", params={"limit": 100, "contributions": 0}).json()
    victim = next(detail["node"] for detail in (analyst.get(f"/v1/entities/{e['person']['id']}").json() for e in exposed)
                  if set(detail["node"]["props"].get("roles", {})) == {"victim"})
    refused = analyst.post("/v1/watchlist", json={"entity_id": victim["id"], "category": "other",
                                                  "reason": "testing the rule"})
    assert refused.status_code == 409 and "victim" in refused.json()["error"]["message"]
    hull = find(analyst, "Hull", label="Location")
    assert analyst.post("/v1/watchlist", json={"entity_id": hull["id"], "category": "other",
                                               "reason": "a place"}).status_code == 422
    assert analyst.post("/v1/watchlist", json={"entity_id": "person:nobody", "category": "other",
                                               "reason": "nobody"}).status_code == 404
    assert analyst.post("/v1/watchlist", json={"entity_id": andrei["id"], "category": "gossip",
                                               "reason": "x" * 10}).status_code == 422
    removed = analyst.delete(f"/v1/watchlist/{entry['id']}").json()
    assert removed["removed_at"] and removed["removed_by"].startswith("Org A (")
    assert entry["id"] not in {e["id"] for e in analyst.get("/v1/watchlist").json()}
    assert entry["id"] in {e["id"] for e in analyst.get("/v1/watchlist", params={"include_removed": True}).json()}
    assert analyst.delete("/v1/watchlist/watch_nothing").status_code == 404


def test_reports_pseudonymised_unless_revealed_and_audited(server: Server, analyst: httpx.Client) -> None:
    ordered = analyst.post("/v1/reports", json={"formats": ["md", "html", "pdf"], "yardstick": "ICD203"})
    assert ordered.status_code == 202, ordered.text
    job_id = ordered.json()["job_id"]
    early = analyst.get(f"/v1/reports/{job_id}")
    assert early.status_code in (200, 409)
    job = wait_for_job(analyst, job_id, timeout=300)
    assert job["status"] == "done", job
    assert job["result"]["formats"] == ["html", "md", "pdf"] and job["result"]["reveal_names"] is False
    md = analyst.get(f"/v1/reports/{job_id}", params={"format": "md"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "Key Judgements" in md.text and "Roxana" not in md.text
    html = analyst.get(f"/v1/reports/{job_id}")
    assert html.headers["content-type"].startswith("text/html") and "<html" in html.text.lower()
    assert analyst.get(f"/v1/reports/{job_id}", params={"format": "pdf"}).content.startswith(b"%PDF")
    assert analyst.get(f"/v1/reports/{job_id}", params={"format": "docx"}).status_code == 422

    revealed = analyst.post("/v1/reports", json={"formats": ["md"], "reveal_names": True})
    revealed_id = revealed.json()["job_id"]
    assert wait_for_job(analyst, revealed_id, timeout=300)["status"] == "done"
    assert analyst.get(f"/v1/reports/{revealed_id}", params={"format": "html"}).status_code == 404  # not rendered
    assert analyst.get(f"/v1/reports/{revealed_id}", params={"format": "md"}).status_code == 200
    orders = audit(server, "/v1/reports")
    assert any(e["params"]["reveal_names"] is True for e in orders)
    fetches = audit(server, "/v1/reports/{job_id}")
    assert any(e["params"].get("reveal_names") is True for e in fetches)
    # the same organisation's NGO key cannot read it, nor another organisation's analyst
    with server.as_role("ngo") as ngo:
        assert ngo.get(f"/v1/reports/{job_id}").status_code == 403
    with server.client(make_key(server.home, "analyst", "Org Z")) as other:
        assert other.get(f"/v1/reports/{job_id}").status_code == 404
        assert other.get(f"/v1/jobs/{job_id}").status_code == 404
