"""Uploads say what became of what was sent: the encoding a text file was read in (and when it was a guess),
records that repeat an earlier record's text, and fields an NGO may not set, which are ignored with a
warning rather than sinking the file. Through a real server on loopback; the worker is off, since nothing
here needs the extraction: what is checked is the 202 and the submission as stored."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.api_server import ROOT, Server, running

SPANISH = "Ana María González nos quitó los pasaportes en Málaga; el señor Muñoz cobraba la deuda."
POLISH = "Łukasz Wiśniewski zabrał paszporty w Gdańsku i kazał płacić dług."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-uploads"), {"SIGHTLINE_API_WORKER": "false"}) as s:
        yield s


def _upload(server: Server, name: str, data: bytes) -> dict:
    with server.as_role("ngo") as ngo:
        response = ngo.post("/v1/narratives", files={"file": (name, data)})
    assert response.status_code in (200, 202), response.text[:500]
    return response.json()


def _text(server: Server, narrative_id: str) -> str:
    with server.as_role("ngo") as ngo:
        return ngo.get(f"/v1/narratives/{narrative_id}").json()["text"]


@pytest.mark.parametrize(("text", "encoding"), [(SPANISH, "cp1252"), (POLISH, "cp1250")])
def test_a_text_file_that_is_not_utf8_is_read_right_and_reported(server: Server, text: str, encoding: str) -> None:
    """Before: the Spanish text was stored as DOS cp857 ('Marÿa Gonzßlez'), and nothing said so."""
    answer = _upload(server, f"statement-{encoding}.txt", text.encode(encoding))
    assert answer["encoding"] == encoding
    assert any("not UTF-8" in w and encoding in w for w in answer["warnings"]), answer["warnings"]
    assert _text(server, answer["narratives"][0]["id"]) == text
    assert answer["counts"] == {"records": 1, "narratives": 1, "duplicates": 0, "rejected": 0}


def test_utf8_and_utf16_with_bom_are_read_without_a_warning(server: Server) -> None:
    plain = _upload(server, "plain.txt", "Zoë Lefèvre worked at the Hôtel Rosé in Lyon for nothing.".encode())
    assert plain["encoding"] == "utf-8" and plain["warnings"] == []
    # Notepad's "Unicode": UTF-16 with a BOM. Before, its NUL bytes had it refused as a binary file.
    wide = _upload(server, "notepad.txt", "Olga Ivanova was held in Słupsk by Marek Nowak.".encode("utf-16"))
    assert wide["encoding"] == "utf-16" and wide["warnings"] == []
    assert _text(server, wide["narratives"][0]["id"]) == "Olga Ivanova was held in Słupsk by Marek Nowak."


def test_a_batch_file_in_a_legacy_encoding_is_reported_too(server: Server) -> None:
    rows = "id,text\nr1,\"" + SPANISH + "\"\n"
    answer = _upload(server, "batch.csv", rows.encode("cp1252"))
    assert answer["encoding"] == "cp1252" and answer["warnings"]
    assert _text(server, answer["narratives"][0]["id"]) == SPANISH


def test_duplicates_within_a_batch_are_counted_and_listed(server: Server) -> None:
    """10,000 rows of one text under 10,000 ids: before, the answer said '1 narrative, 0 rejected' and nothing
    of the other 9,999 rows."""
    text = "Dorin Pop brought twelve workers from Cluj to Slough and kept their wages. Call 07411 123456."
    rows = [json.dumps({"id": f"row-{i}", "text": text if i % 2 else f"  {text}\n"}) for i in range(10_000)]
    answer = _upload(server, "repeats.jsonl", "\n".join(rows).encode())
    assert answer["counts"] == {"records": 10_000, "narratives": 1, "duplicates": 9_999, "rejected": 0}
    assert len(answer["narratives"]) == 1 and answer["narratives"][0]["reference"] == "row-0"
    duplicates = answer["duplicates"]
    assert len(duplicates) == 9_999 and {d["same_as"] for d in duplicates} == {"row-0"}
    assert [d["reference"] for d in duplicates[:2]] == ["row-1", "row-2"]
    assert {d["narrative_id"] for d in duplicates} == {answer["narratives"][0]["id"]}
    assert any("9,999 record(s) repeat" in w for w in answer["warnings"]), answer["warnings"]
    with server.as_role("ngo") as ngo:
        job = ngo.get(f"/v1/jobs/{answer['job_id']}").json()
    assert job["progress"]["total"] == 1  # queued once


def test_output_of_sightline_generate_is_accepted_with_its_organisation_ignored(server: Server) -> None:
    """``sightline generate`` writes an ``organisation`` field; before, every record was refused for it."""
    generated = subprocess.run([sys.executable, "-m", "cli.main", "generate", "-n", "5", "--seed", "16"], cwd=ROOT,
                               capture_output=True, timeout=300, check=True).stdout
    records = [json.loads(line) for line in generated.decode().splitlines() if line.strip()]
    assert all("organisation" in r for r in records)
    answer = _upload(server, "generated.jsonl", generated)
    assert answer["rejected"] == [] and answer["counts"]["narratives"] == 5
    warning = next(w for w in answer["warnings"] if "organisation" in w)
    assert "5 record(s)" in warning and "your API key" in warning
    assert not any(r["organisation"] in warning for r in records)  # the ignored value is not echoed
    with server.as_role("ngo") as ngo:
        stored = ngo.get(f"/v1/narratives/{answer['narratives'][0]['id']}").json()
    assert "organisation" not in stored["metadata"]


def test_an_organisation_column_in_a_csv_is_ignored_too(server: Server) -> None:
    rows = "id,text,organisation\nc1,Viktor Horvat took Lena's wages at the farm near Boston.,Someone Else\n"
    answer = _upload(server, "with-org.csv", rows.encode())
    assert answer["rejected"] == [] and len(answer["narratives"]) == 1
    assert any("organisation" in w for w in answer["warnings"])
    assert not any("Someone Else" in w for w in answer["warnings"])


def test_a_json_body_still_may_not_name_an_organisation(server: Server) -> None:
    with server.as_role("ngo") as ngo:
        response = ngo.post("/v1/narratives", json={"text": "Ion Rusu kept Ana's ID card in Hull.",
                                                    "organisation": "Org Z"})
    assert response.status_code == 422 and "body.organisation" in response.json()["error"]["message"]
    assert "Org Z" not in response.text
