"""Partners' real files (issue 16, item 8): countries and dates as banks write them, broken cells ignored
row by row with a warning, CSV in any encoding and separator, Excel, ``--strict``, ``--require-dob-match``
and the same through the API, against real processes (``sightline`` subprocesses, a real server)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest

from evaluation import screening_eval as ev
from evaluation import screening_hostile as hostile
from screening.countries import country_code
from screening.dates import DateProblem, compare, read_date
from screening.files import read_table
from tests.api_server import Server, running
from tests.screening_helpers import sightline

LIST = """reference,name,birth_date,country,phone
AG-1,Dragan Kovač,1979-04-02,Serbia,064 123 4567
AG-2,Hans Müller,1982-9-26,Germany,
AG-3,Olena Marchenko,1983,Ukraine,
"""


@pytest.mark.parametrize(("written", "code"), [
    ("Russia", "RU"), ("South Korea", "KR"), ("North Korea", "KP"), ("Ivory Coast", "CI"), ("Côte d’Ivoire", "CI"),
    ("Tanzania", "TZ"), ("Turkey", "TR"), ("Türkiye", "TR"), ("Taiwan", "TW"), ("Syria", "SY"), ("Iran", "IR"),
    ("Laos", "LA"), ("Vietnam", "VN"), ("Burma", "MM"), ("Myanmar", "MM"), ("DR Congo", "CD"), ("Palestine", "PS"),
    ("Kosovo", "XK"), ("UK", "GB"), ("Scotland", "GB"), ("Northern Ireland", "GB"), ("Wales", "GB"),
    ("England", "GB"), ("USA", "US"), ("U.S.A.", "US"), ("ro", "RO"), ("ROU", "RO"), ("Romanian", "RO"),
    ("Korea, Republic of", "KR"), ("the Gambia", "GM"), ("CÃ´te dâ€™Ivoire", "CI"),
])
def test_countries_as_banks_write_them(written: str, code: str) -> None:
    assert country_code(written) == code


@pytest.mark.parametrize("written", ["Atlantis", "Niger Delta", "", "X" * 500, "Nigeri"])
def test_what_is_no_country_stays_unknown(written: str) -> None:
    assert country_code(written) is None


@pytest.mark.parametrize(("written", "parts"), [
    ("1982-9-26", (1982, 9, 26)), ("26/09/1982", (1982, 9, 26)), ("9/26/1982", (1982, 9, 26)),
    ("04/04/1980", (1980, 4, 4)), ("26.09.1982", (1982, 9, 26)), ("12 Jan 1980", (1980, 1, 12)),
    ("Jan 12, 1980", (1980, 1, 12)), ("12th of March 1980", (1980, 3, 12)), ("January 1980", (1980, 1, None)),
    ("1980", (1980, None, None)), ("1980-05", (1980, 5, None)), ("19800512", (1980, 5, 12)),
    ("1980-01-12 00:00:00", (1980, 1, 12)),
])
def test_dates_as_banks_write_them(written: str, parts: tuple) -> None:
    assert read_date(written) == parts


@pytest.mark.parametrize(("written", "says"), [
    ("03/04/1980", "cannot be told apart"), ("31/02/1980", "not a real date"), ("26/09/82", "two-digit"),
    ("2999-01-01", "outside"), ("soon", "known format"), ("1" * 60, "longer than"),
])
def test_unreadable_dates_say_why_without_the_value(written: str, says: str) -> None:
    with pytest.raises(DateProblem) as caught:
        read_date(written)
    assert says in str(caught.value) and written not in str(caught.value)


def test_partial_dates_compare_at_their_precision() -> None:
    assert compare((1980, None, None), (1980, 3, 12)).relation == "agrees"
    assert compare((1980, 3, None), (1980, 3, 12)).precision == "month"
    assert compare((1980, 4, None), (1980, 3, 12)).relation == "same_year"
    assert compare((1980, 12, 3), (1980, 3, 12)).relation == "swapped"
    assert compare((1975, None, None), (1980, 3, 12)).years == 5


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    listed = tmp_path / "agency.csv"
    listed.write_text(LIST, encoding="utf-8")
    done = sightline(tmp_path / "home", "watchlist", "import", str(listed), "--category", "recruitment")
    assert done.returncode == 0, done.stderr
    return tmp_path / "home"


def _screen(home: Path, source: Path, out: Path, *args: str) -> tuple[pd.DataFrame, str]:
    done = sightline(home, "screen", str(source), "-o", str(out), *args)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return pd.read_csv(out, dtype=str, keep_default_na=False), done.stderr


def test_a_bad_cell_is_ignored_for_its_row_only(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    lines = ["Customer ID;Full Name;Date of Birth;Nationality;phone;account_no",
             "1;KOVAC Dragan;2 Apr 1979;Serbia;;a",     # good: date agrees
             "2;MÃ¼ller Hans;26/09/1982;Deutschland;;b",  # mojibake repaired; unknown country ignored
             "3;Olena Marchenko;1990;Russia;;c",         # date and country conflict: lowered, still matched
             "4;Nobody Here;03/04/1980;Atlantis;12;d",   # three bad cells, the name still screened
             "5;;;;;e"]                                  # nothing to screen
    source.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8") + "6;J\xfcrgen Klopp;1967;UK;;f\n".encode("cp1252"))
    out = tmp_path / "results.csv"
    frame, said = _screen(home, source, out)
    assert "separated by ';'" in said and "'account_no' not read" in said
    assert "screened 5 of 6 row(s): 3 match(es)" in said
    rows = {r["customer_id"]: r for r in frame.to_dict("records")}
    assert rows["1"]["reference"] == "AG-1" and "date of birth: agrees (+0.05)" in rows["1"]["explanation"]
    assert rows["1"]["warnings"] == ""
    assert rows["2"]["reference"] == "AG-2" and rows["2"]["warnings"].startswith("country: not a country")
    assert rows["3"]["reference"] == "AG-3" and float(rows["3"]["score"]) < 1.0
    assert "date of birth: conflicts (-0.03)" in rows["3"]["explanation"]
    assert "country: differs (-0.02)" in rows["3"]["explanation"]
    four = rows["4"]["warnings"]
    assert rows["4"]["screened"] == "true" and rows["4"]["matched"] == "false"
    for field in ("country:", "birth_date: day and month cannot be told apart", "phone: not a valid phone"):
        assert field in four
    assert "Atlantis" not in four and "03/04" not in four
    assert rows["5"]["screened"] == "false" and "nothing to screen" in rows["5"]["warnings"]
    assert rows["6"]["full_name"] == "Jürgen Klopp" and "full_name: not UTF-8" in rows["6"]["warnings"]
    with sqlite3.connect(home / "api.sqlite") as db:
        audited = db.execute("SELECT params FROM audit WHERE route = 'cli: sightline screen'").fetchall()
    assert len(audited) == 1 and json.loads(audited[0][0])["queries"] == 5

    strict = sightline(home, "screen", str(source), "-o", str(tmp_path / "strict.csv"), "--strict")
    assert strict.returncode == 2 and not (tmp_path / "strict.csv").exists()
    assert "unknown column(s) 'account_no'" in strict.stderr
    source.write_bytes(("\n".join(line.rsplit(";", 1)[0] for line in lines) + "\n").replace(
        "Customer ID;Full Name;Date of Birth;Nationality;phone", "id;name;birth_date;country;phone").encode("utf-8"))
    strict = sightline(home, "screen", str(source), "-o", str(tmp_path / "strict.csv"), "--strict")
    assert strict.returncode == 2 and not (tmp_path / "strict.csv").exists()
    for expected in ("row 3: country", "row 5: country", "row 6: name: nothing to screen"):
        assert expected in strict.stderr, strict.stderr


def test_require_dob_match_vetoes_a_conflict(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_text("id\tname\tbirth_date\n1\tOlena Marchenko\t1990\n2\tOlena Marchenko\t1983-05-01\n",
                      encoding="utf-16")
    frame, said = _screen(home, source, tmp_path / "a.csv")
    assert list(frame["matched"]) == ["true", "true"] and "UTF-16" in said
    frame, _ = _screen(home, source, tmp_path / "b.csv", "--require-dob-match")
    assert list(frame["matched"]) == ["false", "true"]


def test_excel_files_are_read_and_written(home: Path, tmp_path: Path) -> None:
    from datetime import datetime

    source = tmp_path / "customers.xlsx"
    pd.DataFrame({"Name": ["Dragan Kovac", "Nobody"], "DOB": [datetime(1979, 4, 2), datetime(1990, 1, 1)],
                  "Country": ["Serbia", "Narnia"]}).to_excel(source, index=False)
    out = tmp_path / "results.xlsx"
    done = sightline(home, "screen", str(source), "-o", str(out))
    assert done.returncode == 0, done.stderr
    frame = pd.read_excel(out, dtype=str, na_filter=False)
    assert list(frame["matched"]) == ["true", "false"]
    assert "date of birth: agrees (+0.05)" in frame["explanation"][0] and frame["warnings"][1].startswith("country:")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    refused = sightline(home, "screen", str(broken), "-o", str(out))
    assert refused.returncode == 2 and "not a readable Excel workbook" in refused.stderr


def test_a_hostile_file_is_screened_row_by_row(home: Path, tmp_path: Path) -> None:
    """The benchmark's file, small: every good row screened, every broken row with its reason."""
    made = hostile.build(2_000, ev.read().flagged)
    source = tmp_path / "hostile.csv"
    source.write_bytes(made.data)
    frame, _ = _screen(home, source, tmp_path / "out.csv")
    assert len(frame) == len(made.kinds)
    assert set(made.kinds) >= {"good", "flagged", *hostile.BROKEN_KINDS}
    for kind, row in zip(made.kinds, frame.to_dict("records")):
        if kind in ("good", "flagged"):
            assert row["screened"] == "true" and row["warnings"] == "", row
        else:
            assert hostile.BROKEN_KINDS[kind] in row["warnings"], (kind, row)
            assert len(row["warnings"]) < 400  # never the overlong value itself
    table = read_table(source, ("id", "name", "birth_date", "country", "phone"))
    assert table.columns["birth_date"] == "date_of_birth" and table.columns["country"] == "nationality"


@pytest.fixture()
def server(home: Path) -> Iterator[Server]:
    with running(home, {"SIGHTLINE_API_WORKER": "false"}) as s:
        yield s


def test_the_api_warns_per_query_and_keeps_strict_for_those_who_ask(server: Server, tmp_path: Path) -> None:
    queries = [{"kind": "person", "name": "Dragan Kovac", "birth_date": "2/4/1979", "country": "Serbia"},
               {"kind": "person", "name": "Hans Müller", "birth_date": "1982-9-26", "country": "Atlantis"},
               {"kind": "person", "name": "Olena Marchenko", "birth_date": "1990", "country": "Russia"},
               {"phone": "12345678"}]
    with server.as_role("partner") as partner:
        answer = partner.post("/v1/screen", json={"queries": queries})
        assert answer.status_code == 200, answer.text
        one, two, three, four = answer.json()["results"]
        assert one["matched"] and one["warnings"] == [("birth_date: day and month cannot be told apart (both are 12 "
                                                       "or less); write it as YYYY-MM-DD; ignored")]
        assert two["reference"] == "AG-2" and two["warnings"][0].startswith("country:")
        assert "date of birth: agrees (+0.05)" in two["explanation"] and "Atlantis" not in answer.text
        assert three["matched"] and "date of birth: conflicts (-0.03)" in three["explanation"]
        assert not four["matched"] and "12345678" not in answer.text
        assert four["warnings"][-1].startswith("nothing to screen")
        vetoed = partner.post("/v1/screen", json={"queries": queries[2:3], "require_dob_match": True}).json()
        assert vetoed["results"][0]["matched"] is False
        strict = partner.post("/v1/screen", json={"queries": queries, "strict": True})
        assert strict.status_code == 422 and "queries.0.birth_date" in strict.json()["error"]["message"]
        assert "Atlantis" not in strict.text and "12345678" not in strict.text
    source = tmp_path / "c.csv"
    source.write_text("name,birth_date,country\nOlena Marchenko,1990,Russia\nNobody,31/02/1980,Narnia\n",
                      encoding="utf-8")
    out = tmp_path / "r.csv"
    done = sightline(server.home, "screen", str(source), "-o", str(out), "--url", server.base, "--api-key",
                     server.keys["partner"])
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame["matched"]) == ["true", "false"]
    assert "birth_date: not a real date" in frame["warnings"][1] and "country:" in frame["warnings"][1]
    with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {server.keys['partner']}"}) as client:
        too_long = client.post("/v1/screen", json={"queries": [{"kind": "person", "name": "x", "country": "y" * 101}]})
    assert too_long.status_code == 422
