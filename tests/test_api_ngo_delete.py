"""An NGO deletes a narrative it submitted, over HTTP against a real server; no other organisation can, and a
text that two organisations submitted is left to an administrator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api_server import Server, make_key, running, wait_for_job

TEXT = ("Ana Ionescu was recruited in Constanta by Victor Lungu, who kept her passport and sent her to work "
        "in a car wash in Leeds. Victor's phone is +40 721 555 013.")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("ngo-delete")) as s:
        s.keys["ngo-b"] = make_key(s.home, "ngo", "Org B")
        yield s


def _submit(server: Server, key: str, text: str) -> str:
    with server.client(key) as client:
        answer = client.post("/v1/narratives", json={"text": text, "consent": "given"})
        assert answer.status_code in (200, 202), answer.text  # 200: the text was known already
        if answer.json()["job_id"] is not None:  # None: the text was known already (another organisation's)
            assert wait_for_job(client, answer.json()["job_id"], timeout=300)["status"] == "done"
        return str(answer.json()["narratives"][0]["id"])


def test_the_owner_deletes_and_nobody_else_can(server: Server) -> None:
    narrative = _submit(server, server.keys["ngo"], TEXT)
    with server.client(server.keys["ngo-b"]) as other:
        refused = other.delete(f"/v1/narratives/{narrative}")
        assert refused.status_code == 404 and narrative not in refused.text
    with server.as_role("analyst") as analyst:
        assert analyst.delete(f"/v1/narratives/{narrative}").status_code == 403
        assert analyst.get("/v1/entities", params={"q": "Victor Lungu"}).json()["results"] != []
    with server.as_role("ngo") as ngo:
        deleted = ngo.delete(f"/v1/narratives/{narrative}")
        assert deleted.status_code == 200, deleted.text
        assert ngo.get(f"/v1/narratives/{narrative}").status_code == 404
        assert ngo.delete(f"/v1/narratives/{narrative}").status_code == 404
    with server.as_role("analyst") as analyst:
        assert analyst.get("/v1/entities", params={"q": "Victor Lungu"}).json()["results"] == []


def test_a_text_two_organisations_submitted_is_left_to_an_administrator(server: Server) -> None:
    text = TEXT.replace("Ana Ionescu", "Elena Pop").replace("Leeds", "Bradford")
    narrative = _submit(server, server.keys["ngo"], text)
    assert _submit(server, server.keys["ngo-b"], text) == narrative  # the same text: the same narrative
    with server.as_role("ngo") as ngo:
        refused = ngo.delete(f"/v1/narratives/{narrative}")
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
        assert ngo.get(f"/v1/narratives/{narrative}").status_code == 200
    with server.client(server.keys["ngo-b"]) as later:
        assert later.delete(f"/v1/narratives/{narrative}").status_code == 404  # not its owner
    with server.as_role("admin") as admin:
        assert admin.delete(f"/v1/narratives/{narrative}").status_code == 200
