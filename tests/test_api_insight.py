"""The insight routes (map, timeline, dashboard) against a real server, and their domain functions.

Three sample narratives are submitted by an NGO of Org A (one of them without consent to share), so the
tests can tell the analyst's scope (the shared graph) from an NGO's (its own submissions) and from another
organisation's (nothing).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

import httpx
import pytest

from graph.insight.dates import read_date
from graph.insight.places import locate
from tests.api_server import ROOT, Server, make_key, running, wait_for_job

SAMPLES = ROOT / "data" / "samples"
CHOSEN = ("s001", "s004", "s045")  # sexual exploitation (RO), car wash labour (PL -> GB), Lagos -> London
RESTRICTED = "s004"  # kept for Org A only: never in the shared graph


def _records() -> bytes:
    with (SAMPLES / "metadata.csv").open(encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    lines = []
    for sid in CHOSEN:
        row = rows[sid]
        lines.append(json.dumps({"id": sid, "text": (SAMPLES / f"{sid}.txt").read_text(encoding="utf-8"),
                                 "date": row["date"], "region": row["region"], "language": "en",
                                 "consent": "restricted" if sid == RESTRICTED else "given"}))
    return "\n".join(lines).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-insight")) as s:
        with s.as_role("ngo") as ngo:
            answer = ngo.post("/v1/narratives", files={"file": ("three.jsonl", _records())})
            assert answer.status_code == 202, answer.text
            job = wait_for_job(ngo, answer.json()["job_id"], timeout=300)
            assert job["status"] == "done" and job["progress"]["stored"] == 3, job
        yield s


def _get(client: httpx.Client, path: str, **params: object) -> dict:
    answer = client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_places_and_written_dates_are_read_offline() -> None:
    london = locate("London", "GB")
    assert london is not None and 51 < london.lat < 52 and -1 < london.lon < 1
    assert locate("Romania", "RO") == locate("Bucharest", "RO")  # a country sits at its capital
    assert locate("Essex", "GB") is None and locate("", None) is None
    assert read_date("October 2019").key == "2019-10"
    assert read_date("on 15/07/2022 she").key == "2022-07-15"
    assert read_date("in summer 2022").precision == "year"
    assert read_date("Victim: POPA Elena (DOB 15/06/2001), Romanian national.") is None  # a birth, not an event
    assert read_date("he paid 2000 euros") is None and read_date("the next day") is None


def test_map_places_corridors_and_hotspots_and_is_audited(server: Server) -> None:
    with server.as_role("analyst") as analyst:
        view = _get(analyst, "/v1/insight/map", limit=50)
    assert view["corridors"] and view["hotspots"]
    lagos = [c for c in view["corridors"] if c["origin"]["name"] == "Lagos" or c["destination"]["name"] == "Lagos"]
    assert lagos, [(c["origin"]["name"], c["destination"]["name"]) for c in view["corridors"]]
    place = lagos[0]["origin"] if lagos[0]["origin"]["name"] == "Lagos" else lagos[0]["destination"]
    assert place["country"] == "NG" and 6 < place["lat"] < 7 and 3 < place["lon"] < 4
    assert all(c["people"] >= 1 and c["legs"] >= 1 for c in view["corridors"])
    drawn = [h for h in view["hotspots"] if h["place"] and h["place"]["lat"] is not None]
    assert drawn and all(h["victims"] >= 1 for h in view["hotspots"])
    # s004 (restricted consent) is not in the shared graph: none of its places (car wash in the UK from Poland).
    names = {p["name"] for c in view["corridors"] for p in (c["origin"], c["destination"])}
    assert "Wroclaw" not in names and "Kosice" not in names
    with server.as_role("admin") as admin:
        entries = admin.get("/v1/audit", params={"route": "/v1/insight/map", "limit": 10}).json()["entries"]
    assert entries and entries[0]["result_count"] == len(view["corridors"]) + len(view["hotspots"])


def test_timeline_lists_dated_events_in_order_and_filters_by_kind(server: Server) -> None:
    with server.as_role("analyst") as analyst:
        everything = _get(analyst, "/v1/insight/timeline")
        travel = _get(analyst, "/v1/insight/timeline", kind="travel")
        bad = analyst.get("/v1/insight/timeline", params={"kind": "<script>"})
    events = everything["events"]
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert everything["counts"]["narrative"] == 2  # the two shared narratives, each with its date
    assert {e["date"] for e in events if e["kind"] == "narrative"} == {"2019-11-12", "2019-05-27"}
    assert travel["events"] and {e["kind"] for e in travel["events"]} == {"travel"}
    assert all(e["nodes"] and e["summary"] for e in travel["events"])
    assert bad.status_code == 422 and "<script>" not in bad.text


def test_dashboards_are_scoped_by_role_and_organisation(server: Server) -> None:
    with server.as_role("analyst") as analyst:
        shared = _get(analyst, "/v1/insight/dashboard")
    with server.as_role("ngo") as ngo:
        own = _get(ngo, "/v1/insight/dashboard")
    other_key = make_key(server.home, "ngo", "Org B")
    with server.client(other_key) as other:
        nothing = _get(other, "/v1/insight/dashboard")
        refused = other.get("/v1/insight/map")
    with server.as_role("partner") as partner:
        assert partner.get("/v1/insight/dashboard").status_code == 403
    assert refused.status_code == 403

    assert shared["scope"] == "graph" and shared["narratives"] == 2  # the restricted one is not shared
    assert own["scope"] == "organisation" and own["organisation"] == "Org A" and own["narratives"] == 3
    codes = {c["key"] for c in own["by_country"]}
    assert {"GB", "PL"} <= codes  # s004's places count for its own organisation
    assert "PL" not in {c["key"] for c in shared["by_country"]}
    assert sum(c["count"] for c in own["by_year"]) + own["undated"] == 3
    assert own["by_control"] and all(c["count"] >= 1 for c in own["by_control"])
    assert nothing == {"scope": "organisation", "organisation": "Org B", "narratives": 0, "undated": 0,
                       "by_month": [], "by_year": [], "by_country": [], "by_exploitation": [], "by_control": []}
    with server.as_role("admin") as admin:
        entries = admin.get("/v1/audit", params={"route": "/v1/insight/dashboard", "limit": 20}).json()["entries"]
    scopes = {(e["organisation"], e["params"].get("mode"), e["result_count"]) for e in entries if e["outcome"] == "ok"}
    assert {("Org A", "graph", 2), ("Org A", "organisation", 3), ("Org B", "organisation", 0)} <= scopes
