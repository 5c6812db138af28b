"""A resubmission never grants ownership: against a real server with NGO keys of three organisations.

Org A sends a narrative and corrects its extraction. Org B sends the same text with different whitespace
(the same content hash, so the same narrative), Org C sends it byte for byte. Each later submitter gets its
own submission record pointing at the stored narrative: it sees the text and extraction with only its own
corrections (never A's organisation, key id or reasons), its corrections stay its own notes and do not
change the shared graph (analyst search), and it cannot change the narrative's consent.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api_server import Server, make_key, running, wait_for_job

TEXT = ("Marek Dusza recruited me in Gdansk with a promise of hotel work. Marek Dusza used the phone "
        "+48 601 222 333 and took our wages. At the Golden Anchor Hostel in Grimsby a man called Pawel Rybak "
        "kept our passports.")
# Same words, other whitespace: leading spaces, doubled spaces, line breaks.
SPACED = "  " + TEXT.replace(". ", ".\n\n   ").replace("the phone", "the  phone") + "\n"
A_REASON = "caseworker knows him as a fellow worker, not a controller"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-ownership"), {"SIGHTLINE_DEFAULT_REGION": "GB"}) as s:
        s.keys["ngo-b"] = make_key(s.home, "ngo", "Org B")
        s.keys["ngo-c"] = make_key(s.home, "ngo", "Org C")
        yield s


def people(analyst: httpx.Client, name: str) -> list[dict]:
    response = analyst.get("/v1/entities", params={"q": name, "label": "Person"})
    assert response.status_code == 200, response.text
    return [p for p in response.json()["results"] if p["name"] == name]


def entity(extraction: dict, text: str) -> dict:
    found = [e for e in extraction["entities"] if e["text"] == text]
    assert found, [e["text"] for e in extraction["entities"]]
    return found[0]


def extraction_of(client: httpx.Client, narrative_id: str) -> dict:
    response = client.get(f"/v1/narratives/{narrative_id}/extraction")
    assert response.status_code == 200, response.text
    return response.json()


def correct(client: httpx.Client, narrative_id: str, entity_id: str, action: str, reason: str | None = None) -> dict:
    response = client.patch(f"/v1/narratives/{narrative_id}/entities/{entity_id}",
                            json={"action": action, **({"reason": reason} if reason else {})})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_resubmission_gets_its_own_record_and_changes_nothing_of_the_owner(server: Server) -> None:
    with server.as_role("ngo") as a, server.client(server.keys["ngo-b"]) as b, \
            server.client(server.keys["ngo-c"]) as c, server.as_role("analyst") as analyst:
        sent = a.post("/v1/narratives", json={"text": TEXT, "region": "GB", "reference": "a-17", "consent": "yes"})
        assert sent.status_code == 202, sent.text
        assert wait_for_job(a, sent.json()["job_id"])["status"] == "done"
        nid = sent.json()["narratives"][0]["id"]
        pawel = entity(extraction_of(a, nid), "Pawel Rybak")
        correct(a, nid, pawel["id"], "reject", A_REASON)
        assert people(analyst, "Pawel Rybak") == []  # the owner's correction reaches the graph
        assert len(people(analyst, "Marek Dusza")) == 1

        # B: the whitespace variant; C: the same bytes. Both are the same narrative, neither is queued.
        for client, text, reference in ((b, SPACED, "b-1"), (c, TEXT, "c-1")):
            again = client.post("/v1/narratives", json={"text": text, "region": "GB", "reference": reference,
                                                        "consent": "no"})
            assert again.status_code == 200, again.text
            assert again.json()["job_id"] is None
            assert again.json()["narratives"][0]["id"] == nid
            assert again.json()["narratives"][0]["job_id"] is None

        for client, reference in ((b, "b-1"), (c, "c-1")):
            seen = client.get(f"/v1/narratives/{nid}/extraction")
            assert seen.status_code == 200, seen.text
            assert seen.json()["corrections"] == []  # not A's: no organisation, key id or reason of A's
            assert A_REASON not in seen.text and "Org A" not in seen.text
            assert entity(seen.json(), "Pawel Rybak")["status"] == "extracted"
            view = client.get(f"/v1/narratives/{nid}")
            assert view.status_code == 200, view.text
            body = view.json()
            assert body["reference"] == reference and body["owner"] is False and body["shared"] is None
            assert body["job_id"] is None and body["metadata"] == {}

        # B's corrections are B's own: shown to B, kept out of the graph and out of A's and C's views.
        marek = entity(extraction_of(b, nid), "Marek Dusza")
        rejected = correct(b, nid, marek["id"], "reject", "B thinks otherwise")
        assert rejected["entity"]["status"] == "rejected" and rejected["correction"]["by"].startswith("Org B (")
        assert len(people(analyst, "Marek Dusza")) == 1
        correct(b, nid, pawel["id"], "restore")  # cannot undo what A's correction decided
        assert people(analyst, "Pawel Rybak") == []
        mine = extraction_of(b, nid)
        assert [x["action"] for x in mine["corrections"]] == ["reject", "restore"]
        assert all(x["by"].startswith("Org B (") for x in mine["corrections"])

        owner = extraction_of(a, nid)
        assert [(x["action"], x["reason"]) for x in owner["corrections"]] == [("reject", A_REASON)]
        assert entity(owner, "Pawel Rybak")["status"] == "rejected"
        assert entity(owner, "Marek Dusza")["status"] == "extracted"
        assert extraction_of(c, nid)["corrections"] == []

        # The owner's view and consent stay A's ("yes" reads as given); B's consent ("no" above) changes nothing, nor can B's PATCH.
        view = a.get(f"/v1/narratives/{nid}").json()
        assert view["owner"] is True and view["shared"] is True and view["reference"] == "a-17"
        assert view["metadata"]["consent"] == "given"
        denied = b.patch(f"/v1/narratives/{nid}", json={"consent": "withdrawn"})
        assert denied.status_code == 409, denied.text
        assert len(people(analyst, "Marek Dusza")) == 1

        # Another organisation's narrative it never sent is still a 404 for it.
        other = a.post("/v1/narratives", json={"text": "Jonas Petraitis drove us from Vilnius to Hull.", "region": "GB"})
        assert other.status_code == 202, other.text
        assert wait_for_job(a, other.json()["job_id"])["status"] == "done"
        hidden = other.json()["narratives"][0]["id"]
        for path in (f"/v1/narratives/{hidden}", f"/v1/narratives/{hidden}/extraction"):
            assert b.get(path).status_code == 404
        assert b.patch(f"/v1/narratives/{hidden}", json={"consent": "given"}).status_code == 404
