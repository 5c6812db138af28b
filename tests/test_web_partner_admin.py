"""The partner's screening page and the administrator's pages, in a real browser against a real server.

The partner's file is screened by ``POST /v1/screen/file`` (the same reader as ``sightline screen``); the
flagged entities are an imported list (``sightline watchlist import`` in another process, as an analyst's
tooling would) naming Ivan Petrov of the sample graph with his phone and IBAN, so the analysts' own
watchlist, which other tests use, is left alone.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser import Workspace, check_page, new_browser, phone_width, sign_in, wait_idle, wait_until
from tests.screening_helpers import sightline

IVAN_PHONE = "+359888123456"
IVAN_IBAN = "AT61 1904 3002 3457 3201"
BAD_PHONE, BAD_IBAN = "12345", "XX00NOTANIBAN"
# A bank's export: semicolons, Windows-1252 (the "ü"), its own column names, one row that cannot be read.
CUSTOMERS = ("Customer_ID;Full Name;Mobile;IBAN;Notes\n"
             f"C-1;;00359 888 123 456;;\n"
             f"C-2;;;{IVAN_IBAN};\n"
             "C-3;Ivan Petrov;;;\n"
             f"C-4;;{BAD_PHONE};{BAD_IBAN};\n"
             "C-5;Hans Müller;;;private note\n")


@pytest.fixture(scope="module")
def flagged(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    listed = tmp_path_factory.mktemp("lists") / "bank-test-list.csv"
    listed.write_text(f"reference,name,phone,iban\nPA-1,Ivan Petrov,{IVAN_PHONE},{IVAN_IBAN}\n", encoding="utf-8")
    done = sightline(workspace.server.home, "watchlist", "import", str(listed), "--category", "recruitment")
    assert done.returncode == 0, done.stderr
    return workspace


@pytest.fixture()
def customers(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_bytes(CUSTOMERS.encode("cp1252"))
    return path


def _signed_in(ws: Workspace, who: str) -> httpx.Client:
    client = httpx.Client(base_url=ws.base, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    answer = client.post("/sign-in", data={"key": ws.keys[who], "csrf_token": token})
    assert answer.status_code in (303, 401), answer.text
    return client


def _partner(ws: Workspace) -> httpx.Client:
    return httpx.Client(base_url=ws.base, timeout=60, headers={"Authorization": f"Bearer {ws.keys['partner']}"})


# -- the API route behind the page -------------------------------------------------------------------------

def test_screen_file_answers_row_by_row_without_echoing_unreadable_rows(flagged: Workspace, customers: Path) -> None:
    with _partner(flagged) as partner:
        answer = partner.post("/v1/screen/file", files={"file": ("customers.csv", customers.read_bytes(), "text/csv")})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["filename"] == "customers.csv" and (body["screened"], body["matched"], body["not_screened"]) == (4, 3, 1)
    assert any("not UTF-8" in n for n in body["notes"]) and any("notes" in n for n in body["notes"])
    assert not any("kept in the output" in n for n in body["notes"])
    rows = {r["row"]: r for r in body["rows"]}
    assert sorted(rows) == [2, 3, 4, 5, 6]
    phone, iban, name, bad, other = (rows[n] for n in (2, 3, 4, 5, 6))
    assert phone["result"]["matched_on"] == {"feature": "phone", "method": "normalised"}
    assert phone["result"]["reference"] == "PA-1" and phone["result"]["category"] == "recruitment"
    assert phone["reference"] == "C-1" and phone["query"] == {"phone": "00359 888 123 456"}
    assert iban["result"]["matched_on"]["feature"] == "iban" and name["result"]["matched_on"]["feature"] == "name"
    assert not other["result"]["matched"] and other["query"]["name"] == "Hans Müller"
    # The unreadable row: its number and why, nothing of what it held.
    assert bad == {"row": 5, "screened": False, "reference": None, "query": {}, "result": bad["result"]}
    assert [w.split(":")[0] for w in bad["result"]["warnings"]] == ["phone", "iban", "nothing to screen"]
    assert BAD_PHONE not in answer.text and BAD_IBAN not in answer.text and "C-4" not in answer.text
    assert "private note" not in answer.text  # columns that are not read are not sent back


def test_screen_file_is_audited_and_for_partners_only(flagged: Workspace, customers: Path) -> None:
    files = {"file": ("customers.csv", customers.read_bytes(), "text/csv")}
    for who in ("analyst", "ngo", "admin"):
        with httpx.Client(base_url=flagged.base, timeout=60, headers={"Authorization": f"Bearer {flagged.keys[who]}"}) as c:
            assert c.post("/v1/screen/file", files=files).status_code == 403, who
    with _partner(flagged) as partner:
        assert partner.post("/v1/screen/file", files=files).status_code == 200
    with httpx.Client(base_url=flagged.base, timeout=60, headers={"Authorization": f"Bearer {flagged.keys['admin']}"}) as admin:
        entry = admin.get("/v1/audit", params={"route": "/v1/screen/file", "role": "partner", "limit": 1}).json()["entries"][0]
    assert entry["outcome"] == "ok" and entry["result_count"] == 3
    assert entry["params"]["mode"] == "file" and entry["params"]["queries"] == 4 and entry["params"]["rows"] == 5
    assert len(entry["params"]["screened"]) == 4 and all(s.startswith("hmac:") for s in entry["params"]["screened"])


def test_screen_file_reads_excel_and_refuses_what_it_cannot_read(flagged: Workspace, tmp_path: Path) -> None:
    import pandas as pd

    workbook = tmp_path / "book.xlsx"
    pd.DataFrame({"phone": [IVAN_PHONE, "+447000000000"], "DOB": ["", ""]}).to_excel(workbook, index=False)
    with _partner(flagged) as partner:
        excel = partner.post("/v1/screen/file", files={"file": ("book.xlsx", workbook.read_bytes())})
        assert excel.status_code == 200, excel.text
        assert [r["result"]["matched"] for r in excel.json()["rows"]] == [True, False]
        refused = {
            "old excel": (partner.post("/v1/screen/file", files={"file": ("old.xls", b"\xd0\xcf\x11\xe0")}), 415),
            "type": (partner.post("/v1/screen/file", files={"file": ("x.pdf", b"%PDF-1.4")}), 415),
            "json": (partner.post("/v1/screen/file", json={"file": "x"}), 415),
            "empty": (partner.post("/v1/screen/file", files={"file": ("e.csv", b"")}), 422),
            "no columns": (partner.post("/v1/screen/file", files={"file": ("c.csv", b"colour,size\nred,1\n")}), 422),
            "two files": (partner.post("/v1/screen/file", files=[("file", ("a.csv", b"phone\n1\n")),
                                                                  ("file", ("b.csv", b"phone\n1\n"))]), 422),
            "too many rows": (partner.post("/v1/screen/file", files={"file": (
                "big.csv", ("phone\n" + "+359888123456\n" * 5001).encode())}), 413),
        }
    for what, (response, status) in refused.items():
        assert response.status_code == status, (what, response.text)
        message = response.json()["error"]["message"]
        assert message and "/tmp" not in message and "sightline-screen-" not in message, (what, message)


# -- the pages ---------------------------------------------------------------------------------------------

def _upload(driver, path: Path) -> None:
    driver.find_element(By.ID, "file").send_keys(str(path))
    driver.find_element(By.ID, "screen-button").click()
    wait_until(driver, lambda d: d.find_element(By.ID, "answers").is_displayed(), "the answers")
    wait_idle(driver)


def test_partner_screens_a_file_and_downloads_the_answers(flagged: Workspace, browser, customers: Path,
                                                           tmp_path: Path) -> None:
    sign_in(browser, flagged, "partner")
    browser.get(flagged.base + "/screen")
    wait_idle(browser)
    check_page(browser, "screen")
    _upload(browser, customers)
    body_rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert len(body_rows) == 5
    cells = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in body_rows]
    assert [c[3] for c in cells] == ["Match", "Match", "Match", "Not screened", "No match"]
    assert cells[0][0] == "2" and cells[0][1] == "C-1" and cells[0][7] == "PA-1" and "recruitment" in cells[0][6]
    assert "phone: not a valid phone number" in cells[3][9] and "nothing to screen" in cells[3][9]
    assert BAD_PHONE not in browser.page_source and BAD_IBAN not in browser.page_source
    assert "not UTF-8" in browser.find_element(By.ID, "notes").text
    assert "3 matches" in browser.find_element(By.ID, "summary").text
    browser.execute_script("document.getElementById('answers').scrollIntoView()")
    check_page(browser, "screen-answers")
    link = browser.find_element(By.ID, "download")
    assert link.get_attribute("href").startswith("blob:") and link.get_attribute("download") == "customers-answers.csv"
    # The real download: Chromium saves what the link gives into a folder of this test.
    folder = tmp_path / "downloads"
    folder.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    link.click()
    saved = wait_until(browser, lambda d: [p for p in folder.glob("*.csv")], "the downloaded CSV")[0]
    assert saved.name == "customers-answers.csv"
    wait_until(browser, lambda d: saved.stat().st_size > 0 and not list(folder.glob("*.crdownload")), "the download")
    table = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert [r["row"] for r in table] == ["2", "3", "4", "5", "6"]
    assert [r["matched"] for r in table] == ["true", "true", "true", "false", "false"]
    assert table[0]["phone"] == "00359 888 123 456" and table[0]["reference"] == "PA-1" and table[0]["id"] == "C-1"
    assert table[3]["screened"] == "false" and table[3]["phone"] == "" and "iban:" in table[3]["warnings"]
    assert table[2]["name"] == "Ivan Petrov" and table[2]["matched_on"].startswith("name:")


def test_screen_page_at_375_pixels(flagged: Workspace, customers: Path) -> None:
    driver = new_browser(375, 800)
    phone_width(driver)
    try:
        sign_in(driver, flagged, "partner")
        driver.get(flagged.base + "/screen")
        wait_idle(driver)
        _upload(driver, customers)
        assert len(driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == 5
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 375px"
        check_page(driver, "screen-375")
    finally:
        driver.quit()


def test_admin_creates_a_key_that_works_then_revokes_it(workspace: Workspace, browser) -> None:
    sign_in(browser, workspace, "admin")
    browser.get(workspace.base + "/admin/keys")
    wait_idle(browser)
    check_page(browser, "keys")
    Select(browser.find_element(By.ID, "new-role")).select_by_value("analyst")
    browser.find_element(By.ID, "new-organisation").send_keys("Org Keys Test")
    browser.find_element(By.CSS_SELECTOR, "#create-form button[type=submit]").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "created").is_displayed(), "the new key")
    wait_idle(browser)
    secret = browser.find_element(By.ID, "new-secret").get_attribute("value")
    key_id = "key_" + re.match(r"^sl_([0-9a-f]{12})_", secret).group(1)
    assert key_id in browser.find_element(By.ID, "keys-list").text
    check_page(browser, "keys-created")
    workspace.keys["created-in-page"] = secret
    session = _signed_in(workspace, "created-in-page")
    me = session.get("/v1/me").json()
    assert (me["key_id"], me["role"], me["organisation"]) == (key_id, "analyst", "Org Keys Test")
    browser.refresh()  # the secret is shown once: not after a reload
    wait_idle(browser)
    assert not browser.find_element(By.ID, "created").is_displayed() and secret not in browser.page_source
    browser.find_element(By.CSS_SELECTOR, f"button[aria-label='Revoke {key_id}']").click()
    confirm = wait_until(browser, lambda d: d.find_element(By.XPATH, f"//button[text()='Yes, revoke {key_id}']"),
                         "the confirmation")
    assert session.get("/v1/me").status_code == 200  # asking is not revoking
    confirm.click()
    wait_until(browser, lambda d: "is revoked" in d.find_element(By.ID, "status").text, "the revocation")
    wait_idle(browser)
    row = next(tr for tr in browser.find_elements(By.CSS_SELECTOR, "#keys-list tbody tr") if key_id in tr.text)
    assert "revoked" in row.text
    assert session.get("/v1/me").status_code == 401  # its session ended
    again = _signed_in(workspace, "created-in-page")
    assert again.get("/v1/me").status_code == 401  # and it no longer signs in


def test_admin_filters_the_audit_log_by_role_and_outcome(workspace: Workspace, browser) -> None:
    sign_in(browser, workspace, "partner")
    browser.get(workspace.base + "/admin/audit")  # forbidden for a partner: 403, audited as denied
    assert "Not for your role" in browser.page_source
    sign_in(browser, workspace, "admin")
    browser.get(workspace.base + "/admin/audit")
    wait_idle(browser)
    check_page(browser, "audit")
    Select(browser.find_element(By.ID, "f-role")).select_by_value("partner")
    Select(browser.find_element(By.ID, "f-outcome")).select_by_value("denied")
    browser.find_element(By.CSS_SELECTOR, "#audit-filters button[type=submit]").click()
    wait_until(browser, lambda d: "outcome=denied" in d.current_url, "the filters in the address")
    wait_idle(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "#entries tbody tr")
    assert rows, browser.find_element(By.ID, "entries").text
    cells = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in rows]
    assert all(c[1] == "partner" and c[5] == "denied" for c in cells), cells
    assert any(c[4] == "GET /admin/audit" for c in cells), cells
    check_page(browser, "audit-filtered")
    # The filters are in the address: a reload shows the same view; clearing shows other outcomes again.
    browser.refresh()
    wait_idle(browser)
    assert Select(browser.find_element(By.ID, "f-outcome")).first_selected_option.get_attribute("value") == "denied"
    browser.find_element(By.ID, "clear-filters").click()
    wait_until(browser, lambda d: "outcome=" not in d.current_url, "the filters cleared")
    wait_idle(browser)
    outcomes = {tr.find_elements(By.TAG_NAME, "td")[5].text for tr in browser.find_elements(By.CSS_SELECTOR, "#entries tbody tr")}
    assert "ok" in outcomes


def test_audit_paging_and_the_api_filters(workspace: Workspace, browser) -> None:
    with httpx.Client(base_url=workspace.base, timeout=60, headers={"Authorization": f"Bearer {workspace.keys['admin']}"}) as admin:
        for _ in range(60):  # audited reads: more than two pages of 25 whatever ran before
            assert admin.get("/v1/keys").status_code == 200
        denied = admin.get("/v1/audit", params={"role": "partner", "outcome": "denied"}).json()["entries"]
        assert denied and all(e["role"] == "partner" and e["outcome"] == "denied" for e in denied)
        assert admin.get("/v1/audit", params={"role": "boss"}).status_code == 422
        assert admin.get("/v1/audit", params={"outcome": "x' OR 1=1"}).status_code == 422
    sign_in(browser, workspace, "admin")
    browser.get(workspace.base + "/admin/audit?limit=25")
    wait_idle(browser)
    first = [tr.text for tr in browser.find_elements(By.CSS_SELECTOR, "#entries tbody tr")]
    assert len(first) == 25 and browser.find_element(By.ID, "newer").get_attribute("disabled")
    last_seq = int(re.search(r"#(\d+)$", browser.find_element(By.ID, "page-info").text).group(1))
    browser.find_element(By.ID, "older").click()
    wait_until(browser, lambda d: f"before={last_seq}" in d.current_url, "the next page")
    wait_idle(browser)
    second = [tr.text for tr in browser.find_elements(By.CSS_SELECTOR, "#entries tbody tr")]
    assert len(second) == 25 and not set(first) & set(second)  # the page's own reads shift nothing
    assert browser.find_element(By.ID, "page-info").text.startswith(f"25 entries, #{last_seq - 1} to")
    browser.find_element(By.ID, "newer").click()
    wait_until(browser, lambda d: "before=" not in d.current_url, "back to the newest")
    wait_idle(browser)
    assert browser.find_element(By.ID, "newer").get_attribute("disabled")
