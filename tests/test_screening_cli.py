"""`sightline watchlist import`, `sightline screen` and `sightline partners` as subprocesses on real files.

Local screening runs on an empty graph with imported lists; the partner's remote modes (plain, ``--hashed``
and ``--psi``) go through a real server on the same home.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.api_server import Server, running
from tests.screening_helpers import sightline

LIST = """reference,name,birth_date,country,phone,email,iban,wallet,kind
AG-1,Dragan Kovač,1979-04-02,Serbia,064 123 4567,,,,
AG-2,,,,,d.kovac+work@gmail.com,,,
AG-3,Adriatic Staffing d.o.o.,,HR,,,HR1210010051863000160,,company
AG-4,,,,,,,0x52908400098527886e0f7030069857d2e4169ee7,
"""

FTM = [
    {"id": "ftm-p1", "schema": "Person", "properties": {"name": ["Olena Marchenko"], "alias": ["Lena M."],
                                                        "birthDate": ["1983-11-05"], "nationality": ["ua"],
                                                        "phone": ["+380 67 123 4567"]}},
    {"id": "ftm-c1", "schema": "Company", "properties": {"name": ["Black Sea Models LLC"], "jurisdiction": ["ua"]}},
    {"id": "ftm-w1", "schema": "CryptoWallet", "properties": {"publicKey": ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"],
                                                              "holder": ["ftm-p1"]}},
    {"id": "ftm-a1", "schema": "BankAccount", "properties": {"iban": ["UA213223130000026007233566001"]}},
    {"id": "ftm-o1", "schema": "Ownership", "properties": {"owner": ["ftm-c1"], "asset": ["ftm-a1"]}},
    {"id": "ftm-s1", "schema": "Sanction", "properties": {"entity": ["ftm-p1"], "program": ["X"]}},
]

QUERIES = """id,name,birth_date,country,phone,email,iban,wallet,kind
q1,KOVAC Dragan,1979,RS,,,,,
q2,,,,+381641234567,,,,
q3,,,,,dkovac@gmail.com,,,
q4,Adriatic Staffing,,,,,,,company
q5,,,,,,HR12 1001 0051 8630 0016 0,,
q6,Someone Else,,,,,,,
q7,,,,,,,0x52908400098527886E0F7030069857D2E4169EE7,
"""


def lists_in(home: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(home / "api.sqlite") as db:
        return db.execute("SELECT name, entries FROM flagged_lists ORDER BY name").fetchall()


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    listed = tmp_path / "agency.csv"
    listed.write_text(LIST, encoding="utf-8")
    done = sightline(tmp_path / "home", "watchlist", "import", str(listed), "--category", "recruitment")
    assert done.returncode == 0, done.stderr
    assert "imported 4 flagged entities as list 'agency'" in done.stdout and "a new list" in done.stdout
    return tmp_path / "home"


def test_import_csv_then_screen_a_file(home: Path, tmp_path: Path) -> None:
    queries = tmp_path / "customers.csv"
    queries.write_text(QUERIES, encoding="utf-8")
    out = tmp_path / "out" / "results.csv"
    done = sightline(home, "screen", str(queries), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "screened 7 of 7 row(s): 6 match(es)" in done.stderr
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["id", "name", "birth_date", "country", "phone", "email", "iban", "wallet", "kind",
                                   "screened", "matched", "score", "matched_on", "category", "reference",
                                   "explanation", "warnings"]
    rows = {r["id"]: r for r in frame.to_dict("records")}
    assert rows["q1"]["matched"] == "true" and rows["q1"]["reference"] == "AG-1"
    assert rows["q1"]["matched_on"].startswith("name:")
    assert rows["q2"]["matched_on"] == "phone:normalised" and rows["q2"]["reference"] == "AG-1"
    assert rows["q3"]["reference"] == "AG-2" and rows["q4"]["reference"] == "AG-3"
    assert rows["q5"]["matched_on"] == "iban:normalised" and rows["q7"]["matched_on"] == "wallet:normalised"
    assert rows["q6"]["matched"] == "false" and rows["q6"]["reference"] == "" and rows["q6"]["score"] == "0.0"
    assert {r["category"] for r in rows.values() if r["matched"] == "true"} == {"recruitment"}
    with sqlite3.connect(home / "api.sqlite") as db:
        audited = db.execute("SELECT params, result_count FROM audit WHERE route = 'cli: sightline screen'").fetchall()
    assert len(audited) == 1 and audited[0][1] == 6
    params = json.loads(audited[0][0])
    assert params["queries"] == 7 and all(v.startswith("hmac:") for v in params["screened"])
    assert "Kovac" not in audited[0][0] and "381641234567" not in audited[0][0]


def test_reimport_replaces_and_invalid_files_write_nothing(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "agency.csv"
    bad.write_text("reference,name,phone,birth_date,country\n"
                   "AG-1,Good Row,+381641234567,,\n"
                   "AG-2,Bad Phone,12,,\n"
                   "AG-3,Bad Date,,31/02/1980,\n"
                   "AG-4,Bad Country,,,Atlantis\n"
                   "AG-1,Same Reference,,,\n"
                   ",,,,\n", encoding="utf-8")
    done = sightline(home, "watchlist", "import", str(bad), "--category", "recruitment")
    assert done.returncode == 2 and "nothing was imported" in done.stderr
    for expected in ("row 3: phone '12' is not a valid phone", "row 4: birth_date '31/02/1980'",
                     "row 5: country 'Atlantis'", "row 6: reference 'AG-1' is already used on row 2",
                     "row 7: nothing to flag"):
        assert expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert lists_in(home) == [("agency", 4)]  # the earlier list is untouched
    skipped = sightline(home, "watchlist", "import", str(bad), "--category", "recruitment", "--skip-invalid")
    assert skipped.returncode == 0 and "replaces the previous list 'agency' (4 entities)" in skipped.stdout
    assert "5 invalid row(s) skipped" in skipped.stdout
    assert lists_in(home) == [("agency", 1)]
    for content, message in ((b"\xff\xfe\x00bad", "not UTF-8"), (b"", "empty"),
                             (b"reference,colour\nx,red\n", "unknown column(s) 'colour'")):
        broken = tmp_path / "broken.csv"
        broken.write_bytes(content)
        refused = sightline(home, "watchlist", "import", str(broken), "--category", "recruitment")
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr
    assert sightline(home, "watchlist", "import", str(tmp_path / "none.csv"), "--category", "x1").returncode == 2
    assert "category" in sightline(home, "watchlist", "import", str(bad), "--category", "Bad Category!").stderr
    assert lists_in(home) == [("agency", 1)]


def test_import_followthemoney(home: Path, tmp_path: Path) -> None:
    extract = tmp_path / "sanctions.jsonl"
    extract.write_text("\n".join(json.dumps(r) for r in FTM) + "\n", encoding="utf-8")
    done = sightline(home, "watchlist", "import", str(extract), "--category", "sanctions")
    assert done.returncode == 0, done.stderr
    assert "imported 2 flagged entities as list 'sanctions'" in done.stdout and "1 record(s)" in done.stdout
    queries = tmp_path / "q.csv"
    queries.write_text("id,name,birth_date,country,phone,iban,wallet\n"
                       "1,Olena Marchenko,1983,UA,,,\n2,,,,+380671234567,,\n3,,,,,,1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\n"
                       "4,,,,,UA213223130000026007233566001,\n5,Lena M.,,,,,\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    assert sightline(home, "screen", str(queries), "-o", str(out)).returncode == 0
    rows = pd.read_csv(out, dtype=str, keep_default_na=False).to_dict("records")
    assert [r["reference"] for r in rows[:4]] == ["ftm-p1", "ftm-p1", "ftm-p1", "ftm-c1"]
    assert all(r["category"] == "sanctions" for r in rows[:4])
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "p", "schema": "Person", "properties": {"name": ["X"], "phone": ["555"]}}\nnot json\n',
                      encoding="utf-8")
    refused = sightline(home, "watchlist", "import", str(broken), "--category", "sanctions", "--list", "sanctions")
    assert refused.returncode == 2 and "line 1: phone '555'" in refused.stderr and "line 2: not valid JSON" in refused.stderr
    assert dict(lists_in(home))["sanctions"] == 2


def test_screen_refuses_bad_files_and_writes_nothing(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    cases = {
        "unknown.csv": ("id,name,passport\n1,X,123\n", "unknown column(s) 'passport'"),
        "rows.csv": ("id,name,phone,country\n1,A,+381641234567,RS\n2,,12,\n3,,,\n4,B,,Narnia\n",
                     "3 row(s) cannot be screened"),
        "nothing.csv": ("id,birth_date\n1,1980\n", "nothing to screen"),
    }
    for name, (content, message) in cases.items():  # all or nothing with --strict
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        done = sightline(home, "screen", str(path), "-o", str(out), "--strict")
        assert done.returncode == 2 and message.replace("3 row(s) cannot be screened", "3 problem(s)") in done.stderr, \
            (name, done.stderr)
        assert not out.exists()
    rows = sightline(home, "screen", str(tmp_path / "rows.csv"), "-o", str(out), "--strict").stderr
    assert "row 3: phone: not a valid phone number" in rows and "row 4: name: nothing to screen" in rows
    assert "row 5: country" in rows and not out.exists()
    lenient = sightline(home, "screen", str(tmp_path / "rows.csv"), "-o", str(out))  # the default: row by row
    assert lenient.returncode == 0 and "screened 2 of 4 row(s)" in lenient.stderr
    assert sightline(home, "screen", str(tmp_path / "nothing.csv"), "-o", str(tmp_path / "n.csv")).returncode == 2
    out.unlink()
    missing = sightline(home, "screen", str(tmp_path / "absent.csv"), "-o", str(out))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    hashed = sightline(home, "screen", str(tmp_path / "rows.csv"), "-o", str(out), "--hashed")
    assert hashed.returncode == 2 and "--url" in hashed.stderr
    assert not out.exists()


@pytest.fixture()
def server(home: Path) -> Iterator[Server]:
    with running(home, {"SIGHTLINE_API_WORKER": "false"}) as s:
        yield s


def test_partner_modes_through_the_api(server: Server, tmp_path: Path) -> None:
    queries = tmp_path / "customers.csv"
    queries.write_text(QUERIES, encoding="utf-8")
    remote = ["--url", server.base, "--api-key", server.keys["partner"]]
    out = tmp_path / "plain.csv"
    done = sightline(server.home, "screen", str(queries), "-o", str(out), *remote)
    assert done.returncode == 0, done.stderr
    plain = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(plain["matched"]) == ["true"] * 5 + ["false", "true"]

    key_file = tmp_path / "org-a.key"
    created = sightline(server.home, "partners", "hmac-key", "Org A", "--out", str(key_file))
    assert created.returncode == 0 and created.stdout.strip().splitlines()[-1] == key_file.read_text().strip()
    assert key_file.stat().st_mode & 0o777 == 0o600
    ids = tmp_path / "ids.csv"
    ids.write_text("id,phone,email,iban,wallet\n1,+381641234567,,,\n2,,dkovac@gmail.com,,\n3,+33612345678,,,\n"
                   "4,,,HR1210010051863000160,\n", encoding="utf-8")
    for mode in (["--hashed", "--key-file", str(key_file)], ["--psi"]):
        out = tmp_path / f"{mode[0][2:]}.csv"
        done = sightline(server.home, "screen", str(ids), "-o", str(out), *remote, *mode)
        assert done.returncode == 0, done.stderr
        frame = pd.read_csv(out, dtype=str, keep_default_na=False)
        assert list(frame["matched"]) == ["true", "true", "false", "true"], mode
        assert list(frame["reference"]) == ["AG-1", "AG-2", "", "AG-3"], mode
    with sqlite3.connect(server.home / "api.sqlite") as db:
        routes = {r[0] for r in db.execute("SELECT route FROM audit WHERE role = 'partner'")}
    assert {"/v1/screen", "/v1/screen/hashed", "/v1/screen/psi"} <= routes
    wrong = tmp_path / "wrong.key"
    wrong.write_text("not a key\n")
    refused = sightline(server.home, "screen", str(ids), "-o", str(tmp_path / "x.csv"), *remote, "--hashed",
                        "--key-file", str(wrong))
    assert refused.returncode == 2 and "64 hexadecimal digits" in refused.stderr
    bad_key = sightline(server.home, "screen", str(ids), "-o", str(tmp_path / "x.csv"), "--url", server.base,
                        "--api-key", server.keys["ngo"])
    assert bad_key.returncode == 1 and "403" in bad_key.stderr and not (tmp_path / "x.csv").exists()
