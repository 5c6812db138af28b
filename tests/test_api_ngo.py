"""NGO routes against a real server: submissions (JSON and files), jobs, own narratives only, corrections,
and a 202 that survives a server restart."""

from __future__ import annotations

import io
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import pytest
from fpdf import FPDF

from tests.api_server import Server, make_key, running, start, wait_for_job

TEXT = ("Tomas Varga took our passports at Sparkle Hand Car Wash in Leicester. "
        "Call him on 07400 123456. He said we owed him 2000 pounds for the trip.")
OTHER = "Marek Nowak drove us from Warsaw to London in a van. Maria Popescu paid him. His phone was 07400 987654."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"SIGHTLINE_API_MAX_BODY_BYTES": "300000", "SIGHTLINE_MAX_TEXT_CHARS": "5000",
           "SIGHTLINE_DEFAULT_REGION": "GB"}
    with running(tmp_path_factory.mktemp("api-ngo"), env) as s:
        s.keys["ngo-b"] = make_key(s.home, "ngo", "Org B")
        yield s


@pytest.fixture(scope="module")
def submitted(server: Server) -> dict:
    """One narrative submitted as JSON by Org A and extracted."""
    with server.as_role("ngo") as ngo:
        response = ngo.post("/v1/narratives", json={"text": TEXT, "language": "en", "date": "2021-11-02",
                                                    "source_grading": "B2", "consent": "yes", "reference": "case-17"})
        assert response.status_code == 202, response.text
        body = response.json()
        job = wait_for_job(ngo, body["job_id"])
    return {"submission": body, "job": job}


def test_json_submission_is_queued_then_extracted(submitted: dict, server: Server) -> None:
    submission, job = submitted["submission"], submitted["job"]
    [narrative] = submission["narratives"]
    assert narrative["status"] == "queued" and narrative["reference"] == "case-17"
    assert job["status"] == "done" and job["kind"] == "ingest"
    assert job["progress"] == {"total": 1, "done": 1, "queued": 0, "stored": 1, "existing": 0, "failed": 0}
    assert job["items"][0]["narrative_id"] == narrative["id"] and job["items"][0]["status"] == "stored"
    with server.as_role("ngo") as ngo:
        view = ngo.get(f"/v1/narratives/{narrative['id']}").json()
        assert view["text"] == TEXT and view["status"] == "stored"
        assert view["metadata"] == {"language": "en", "date": "2021-11-02", "source_grading": "B2", "consent": "given"}  # "yes" is read as given
        extraction = ngo.get(f"/v1/narratives/{narrative['id']}/extraction").json()
        phones = [e for e in extraction["entities"] if e["label"] == "PHONE"]
        assert phones and phones[0]["value"] == "+447400123456" and phones[0]["status"] == "extracted"
        assert any(i["code"] == "WithholdsDocuments" or "passport" in i["cue"] for i in extraction["indicators"])
        listed = ngo.get("/v1/narratives").json()
        assert narrative["id"] in {n["id"] for n in listed}
    with server.as_role("analyst") as analyst:  # in the graph, from the configured store
        found = analyst.get("/v1/entities", params={"q": "+44 7400 123456"})
        assert any(e["id"] == "phone:+447400123456" for e in found.json()["results"])


def test_same_text_again_returns_the_existing_narrative(submitted: dict, server: Server) -> None:
    first = submitted["submission"]["narratives"][0]
    with server.as_role("ngo") as ngo:
        again = ngo.post("/v1/narratives", json={"text": "  " + TEXT.replace(". ", ".\n") + "\n"})
        assert again.status_code == 200, again.text
        body = again.json()
        assert body["job_id"] is None
        assert body["narratives"] == [{"id": first["id"], "reference": None, "status": "stored",
                                       "job_id": submitted["job"]["id"]}]
    with server.client(server.keys["ngo-b"]) as other:  # another NGO sending the same text: known, and now theirs too
        body = other.post("/v1/narratives", json={"text": TEXT, "reference": "b-9"}).json()
        assert body["narratives"][0]["id"] == first["id"] and body["job_id"] is None
        assert body["narratives"][0]["job_id"] is None  # Org A's job is not Org B's business
        view = other.get(f"/v1/narratives/{first['id']}").json()
        assert view["text"] == TEXT and view["reference"] == "b-9"
        assert view["metadata"] == {} and view["job_id"] is None  # nor Org A's metadata and reference
        assert other.get(f"/v1/narratives/{first['id']}/extraction").status_code == 200


def test_other_organisations_and_roles_see_nothing(submitted: dict, server: Server) -> None:
    narrative_id = submitted["submission"]["narratives"][0]["id"]
    job_id = submitted["job"]["id"]
    b_key = make_key(server.home, "ngo", "Org C")
    with server.client(b_key) as other:
        for path in (f"/v1/narratives/{narrative_id}", f"/v1/narratives/{narrative_id}/extraction",
                     f"/v1/jobs/{job_id}"):
            response = other.get(path)
            assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        assert other.patch(f"/v1/narratives/{narrative_id}/entities/e0", json={"action": "reject"}).status_code == 404
        assert other.get("/v1/narratives").json() == []
    with server.as_role("analyst") as analyst:
        assert analyst.get(f"/v1/narratives/{narrative_id}").status_code == 403
        assert analyst.get(f"/v1/jobs/{job_id}").status_code == 404  # same organisation, but not their kind of job
    with server.as_role("partner") as partner:
        assert partner.post("/v1/narratives", json={"text": TEXT}).status_code == 403


def test_corrections_are_recorded_with_who(submitted: dict, server: Server) -> None:
    narrative_id = submitted["submission"]["narratives"][0]["id"]
    with server.as_role("ngo") as ngo:
        me = ngo.get("/v1/me").json()
        entities = ngo.get(f"/v1/narratives/{narrative_id}/extraction").json()["entities"]
        person = next(e for e in entities if e["label"] == "PERSON")
        money = next((e for e in entities if e["label"] != "PERSON"), None)
        url = f"/v1/narratives/{narrative_id}/entities/{person['id']}"
        rejected = ngo.patch(url, json={"action": "reject", "reason": "not a person"})
        assert rejected.status_code == 200, rejected.text
        assert rejected.json()["entity"]["status"] == "rejected"
        assert rejected.json()["correction"]["by"] == f"Org A ({me['key_id']})"
        relabelled = ngo.patch(url, json={"action": "relabel", "label": "ORGANIZATION"}).json()
        assert relabelled["entity"] | {} == relabelled["entity"]
        assert relabelled["entity"]["label"] == "ORGANIZATION" and relabelled["entity"]["original_label"] == "PERSON"
        extraction = ngo.get(f"/v1/narratives/{narrative_id}/extraction").json()
        assert [c["action"] for c in extraction["corrections"]] == ["reject", "relabel"]
        restored = ngo.patch(url, json={"action": "restore"}).json()["entity"]
        assert restored["label"] == "PERSON" and restored["status"] == "extracted"
        # clear errors
        assert ngo.patch(url, json={"action": "relabel"}).status_code == 422
        assert ngo.patch(url, json={"action": "reject", "label": "DATE"}).status_code == 422
        assert ngo.patch(url, json={"action": "relabel", "label": "PERSON"}).status_code == 409
        assert ngo.patch(url, json={"action": "delete"}).status_code == 422
        assert ngo.patch(url, json={"action": "reject", "by": "someone else"}).status_code == 422
        assert ngo.patch(f"/v1/narratives/{narrative_id}/entities/e999", json={"action": "reject"}).status_code == 404
        if money is not None:
            assert ngo.patch(f"/v1/narratives/{narrative_id}/entities/{money['id']}",
                             json={"action": "reject"}).status_code == 200


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def test_batch_files_in_every_format(server: Server) -> None:
    lines = "\n".join([json.dumps({"id": "j1", "text": OTHER, "date": "2020-01"}),
                       json.dumps({"id": "j2", "text": "   "}),
                       "{not json",
                       json.dumps({"id": "j3", "text": "Ana Silva met Ion Rusu in Hull.", "colour": "red"}),
                       json.dumps({"id": "j4", "text": "Ion Rusu kept Ana's ID card in Hull.", "organisation": "Org Z"})])
    csv = "id,text,source_grading\nc1,\"Pavel Ivanov recruited Olga in Odessa, promising work.\",C3\nc2,,B2\n"
    files = {
        "batch.jsonl": lines.encode(), "batch.csv": csv.encode(),
        "one.txt": ("Zoë Lefèvre was kept at the Hôtel Rosé in Bucharest. Her café wages were taken by Jérôme "
                    "Duval, who promised a résumé and a better job.").encode("cp1252"),  # not UTF-8: detected
        "doc.docx": _docx("Viktor Horvat took Lena's wages at the farm near Boston, Lincolnshire."),
        "scan.pdf": _pdf("Nadia Petrova was taken to Milan by Sergio Conti."),
        "array.json": json.dumps([{"text": "Bogdan Lupu sold Irina's passport in Iasi."}]).encode(),
    }
    jobs = {}
    with server.as_role("ngo") as ngo:
        for name, data in files.items():
            response = ngo.post("/v1/narratives", files={"file": (name, data)})
            assert response.status_code == 202, f"{name}: {response.text}"
            jobs[name] = response.json()
        rejected = {r["reference"]: r["error"] for r in jobs["batch.jsonl"]["rejected"]}
        assert set(rejected) == {"j2", "batch.jsonl:3", "j3"}  # j4's organisation is ignored, with a warning
        assert "empty" in rejected["j2"] and "not valid JSON" in rejected["batch.jsonl:3"]
        assert "colour" in rejected["j3"] and any("organisation" in w for w in jobs["batch.jsonl"]["warnings"])
        assert [r["reference"] for r in jobs["batch.csv"]["rejected"]] == ["c2"]
        for name, submission in jobs.items():
            job = wait_for_job(ngo, submission["job_id"])
            assert job["status"] == "done", (name, job)
            stored = [i for i in job["items"] if i["status"] == "stored"]
            assert len(stored) == (2 if name == "batch.jsonl" else 1), (name, job["items"])
        failed = [i for i in wait_for_job(ngo, jobs["batch.jsonl"]["job_id"])["items"] if i["status"] == "failed"]
        assert len(failed) == 3 and all(i["error"] for i in failed)
        doc_id = jobs["doc.docx"]["narratives"][0]["id"]
        assert "Viktor Horvat" in ngo.get(f"/v1/narratives/{doc_id}").json()["text"]
        txt_id = jobs["one.txt"]["narratives"][0]["id"]
        assert ngo.get(f"/v1/narratives/{txt_id}").json()["text"].startswith("Zoë Lef")


def test_bad_submissions_get_clear_4xx(server: Server) -> None:
    with server.as_role("ngo") as ngo:
        def error(response: httpx.Response, status: int) -> str:
            assert response.status_code == status, response.text
            return response.json()["error"]["message"]

        assert "5,000" in error(ngo.post("/v1/narratives", json={"text": "x " * 3000}), 422)
        assert "empty" in error(ngo.post("/v1/narratives", json={"text": " \n "}), 422)
        assert "binary" in error(ngo.post("/v1/narratives", json={"text": "a\u0000b" * 20}), 422)
        assert "body.text" in error(ngo.post("/v1/narratives", json={"text": 12}), 422)
        assert "body.colour" in error(ngo.post("/v1/narratives", json={"text": TEXT, "colour": "red"}), 422)
        assert "body.source_grading" in error(ngo.post("/v1/narratives", json={"text": TEXT, "source_grading": "Z9"}), 422)
        assert "body.date" in error(ngo.post("/v1/narratives", json={"text": TEXT, "date": "yesterday"}), 422)
        assert "not valid JSON" in error(ngo.post("/v1/narratives", content=b"{\"text\": ",
                                                  headers={"content-type": "application/json"}), 422)
        assert "300,000 bytes" in error(ngo.post("/v1/narratives", json={"text": "y" * 400_000}), 413)
        assert "multipart" in error(ngo.post("/v1/narratives", content=b"hello",
                                             headers={"content-type": "text/plain"}), 415)
        assert "unsupported file type" in error(ngo.post("/v1/narratives", files={"file": ("a.exe", b"MZ")}), 422)
        assert "'file'" in error(ngo.post("/v1/narratives", files={"upload": ("a.txt", b"hi")}), 422)
        assert "PDF" in error(ngo.post("/v1/narratives", files={"file": ("x.pdf", b"%PDF-1.4 nonsense")}), 422)
        assert "docx" in error(ngo.post("/v1/narratives", files={"file": ("x.docx", b"PK nonsense")}), 422)
        assert "binary" in error(ngo.post("/v1/narratives", files={"file": ("x.txt", b"\x00\x01" * 100)}), 422)
        assert "text" in error(ngo.post("/v1/narratives", files={"file": ("x.csv", b"id,body\n1,hi\n")}), 422)
        message = error(ngo.post("/v1/narratives", files={"file": ("x.jsonl", b'{"text": ""}\n')}), 422)
        assert "no narrative" in message
        injection = "Robert'); DROP TABLE narratives;-- <script>alert(1)</script> {{7*7}} ${jndi:ldap://x}"
        ok = ngo.post("/v1/narratives", json={"text": injection, "reference": injection[:150]})
        assert ok.status_code == 202
        assert wait_for_job(ngo, ok.json()["job_id"])["status"] == "done"
        assert ngo.get(f"/v1/narratives/{ok.json()['narratives'][0]['id']}").json()["text"] == injection


def test_queries_answer_while_a_batch_is_ingested(server: Server) -> None:
    records = [json.dumps({"id": f"b{i}", "text": f"Worker {i} was brought by Dorin Pop{i} from Cluj to Slough "
                                                  f"and paid nothing. Call 07411 {100000 + i}."}) for i in range(40)]
    with server.as_role("ngo") as ngo:
        job_id = ngo.post("/v1/narratives", files={"file": ("big.jsonl", "\n".join(records).encode())}).json()["job_id"]
        answered_while_running = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job = ngo.get(f"/v1/jobs/{job_id}").json()
            if job["status"] == "done":
                break
            assert ngo.get("/v1/narratives", params={"limit": 5}).status_code == 200
            answered_while_running += job["status"] == "running"
            time.sleep(0.05)
        assert job["status"] == "done" and job["progress"]["stored"] == 40
        assert answered_while_running > 0


def test_an_accepted_submission_survives_a_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    key = make_key(home, "ngo", "Org A")
    first = start(home, {"SIGHTLINE_API_WORKER": "false"})
    try:
        with first.client(key) as ngo:
            response = ngo.post("/v1/narratives", json={"text": OTHER})
            assert response.status_code == 202
            job_id = response.json()["job_id"]
            assert ngo.get(f"/v1/jobs/{job_id}").json()["status"] == "pending"
        db = sqlite3.connect(home / "api.sqlite")  # durable before the 202: on disk, committed
        try:
            assert db.execute("SELECT status FROM jobs WHERE id = ?", (job_id,)).fetchone() == ("pending",)
            assert db.execute("SELECT text FROM job_items WHERE job_id = ?", (job_id,)).fetchone() == (OTHER,)
        finally:
            db.close()
    finally:
        first.stop()
    assert first.process.returncode is not None
    second = start(home)  # the worker is on now, and resumes the pending job
    try:
        with second.client(key) as ngo:
            job = wait_for_job(ngo, job_id)
            assert job["status"] == "done" and job["progress"]["stored"] == 1
    finally:
        second.stop()
