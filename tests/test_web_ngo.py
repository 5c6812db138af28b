"""The caseworker's pages in a real browser against a real server: submit a narrative through the form, follow
its job, see what was found highlighted on the text, correct it (reject, change the type, undo), change its
consent; my submissions; at 1280 and 375 px. And the organisation boundary: another organisation's NGO
session cannot read the submission, neither through the page nor through /v1 with its cookie."""

from __future__ import annotations

import re
import time

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser import Workspace, desktop_width, phone_width, check_page, sign_in, wait_idle, wait_until

# Extracted (en_core_web_sm, pinned) as: Maria Lopez, Tomas Varga (PERSON), Bucharest, Leicester (LOCATION),
# "Sparkle Hand Car Wash." (LOCATION: the correction below makes it an organisation), a phone number.
FLOW_TEXT = ("Maria Lopez was recruited by Tomas Varga in Bucharest and taken by bus to Leicester, where she worked "
             "at Sparkle Hand Car Wash. He took her passport and called her on +44 7400 123456. Ref 5.")


def session(ws: Workspace, who: str) -> tuple[httpx.Client, str]:
    """A cookie session signed in through the sign-in form, and its CSRF token (as a page script has it)."""
    client = httpx.Client(base_url=ws.base, timeout=60)
    form = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    assert client.post("/sign-in", data={"key": ws.keys[who], "csrf_token": token}).status_code == 303
    page = client.get("/submissions" if who.startswith("ngo") else "/dashboard")
    return client, re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def submit_through_form(driver, base: str, text: str, consent: str = "given", reference: str = "", title: str = "",
                        date: str = "", grading: tuple[str, str] | None = None) -> str:
    """Fill the submit form, send it, wait for its job to finish; the new narrative's page address."""
    driver.get(base + "/submit")
    wait_idle(driver)
    driver.find_element(By.ID, "text").send_keys(text)
    for field, value in (("reference", reference), ("title", title), ("date", date)):
        if value:
            driver.find_element(By.ID, field).send_keys(value)
    Select(driver.find_element(By.ID, "consent")).select_by_value(consent)
    if grading:
        Select(driver.find_element(By.ID, "reliability")).select_by_value(grading[0])
        Select(driver.find_element(By.ID, "credibility")).select_by_value(grading[1])
    driver.find_element(By.ID, "send-text").click()
    wait_until(driver, lambda d: d.find_element(By.ID, "job-line").text.startswith("Done"), "the job to finish", 120)
    link = driver.find_element(By.CSS_SELECTOR, ".submitted-list a")
    return link.get_attribute("href")


def job_done(client: httpx.Client, job_id: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while client.get(f"/v1/jobs/{job_id}").json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, f"job {job_id} did not finish"
        time.sleep(0.3)
    assert client.get(f"/v1/jobs/{job_id}").json()["status"] == "done"


def _item(driver, words: str):
    return next(li for li in driver.find_elements(By.CSS_SELECTOR, "ol.found > li")
                if li.find_element(By.CSS_SELECTOR, ".found-words").text == words)


def _no_page_scroll(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_submit_follow_highlight_correct_and_consent(workspace: Workspace, browser) -> None:
    sign_in(browser, workspace, "ngo")
    browser.get(workspace.base + "/submit")
    wait_idle(browser)
    check_page(browser, "submit")
    # Missing consent is caught on the page, in words, before anything is sent.
    browser.find_element(By.ID, "text").send_keys("x")
    browser.find_element(By.ID, "send-text").click()
    assert "consent" in browser.find_element(By.ID, "status").text.lower()
    url = submit_through_form(browser, workspace.base, FLOW_TEXT, consent="given", reference="case-web-17", date="2021-11",
                              grading=("B", "2"))
    shot_done = browser.find_element(By.ID, "job-progress")
    assert shot_done.get_attribute("value") == shot_done.get_attribute("max")
    check_page(browser, "submit-done")

    browser.get(url)
    wait_idle(browser)
    marks = browser.find_elements(By.CSS_SELECTOR, "#narrative mark")
    words = {m.find_element(By.CSS_SELECTOR, ".ent-words").text: m.find_element(By.CSS_SELECTOR, ".ent-tag").text
             for m in marks}
    assert "Person" in words["Maria Lopez"] and "Place" in words["Bucharest"], words
    assert "Sparkle Hand Car Wash." in words and "Phone number" in words["+44 7400 123456"], words
    # The text around the marks is the narrative, unchanged; no entity id or offset is shown.
    text = browser.find_element(By.ID, "narrative").text
    assert "was recruited by" in text and "He took her passport" in text
    main_text = browser.find_element(By.ID, "main").text
    assert not re.search(r"\be\d+\b", main_text), main_text
    meta = browser.find_element(By.CSS_SELECTOR, "dl.meta").text
    assert "case-web-17" in meta and "B2" in meta and "2021-11" in meta and "Given (shared)" in meta
    check_page(browser, "submission")

    # Reject one: the list and the mark say so in words.
    _item(browser, "Bucharest").find_element(By.XPATH, ".//button[starts-with(., 'Not an entity')]").click()
    wait_until(browser, lambda d: "rejected" in _item(d, "Bucharest").text, "the rejection to show")
    mark = next(m for m in browser.find_elements(By.CSS_SELECTOR, "#narrative mark") if "Bucharest" in m.text)
    assert "rejected" in mark.text and "ent-rejected" in mark.get_attribute("class")
    # Relabel another: a place that is a business.
    item = _item(browser, "Sparkle Hand Car Wash.")
    Select(item.find_element(By.TAG_NAME, "select")).select_by_value("ORGANIZATION")
    item.find_element(By.XPATH, ".//button[starts-with(., 'Change type')]").click()
    wait_until(browser, lambda d: "Organisation (corrected from Place)" in _item(d, "Sparkle Hand Car Wash.").text,
               "the relabel to show")
    assert "now marked as Organisation" in browser.find_element(By.ID, "status").text
    mark = next(m for m in browser.find_elements(By.CSS_SELECTOR, "#narrative mark") if "Sparkle" in m.text)
    assert "Organisation" in mark.text and "ent-organization" in mark.get_attribute("class")
    check_page(browser, "submission-corrected")

    # The API holds both corrections, for this organisation.
    client, csrf = session(workspace, "ngo")
    narrative_id = url.rsplit("/", 1)[1]
    extraction = client.get(f"/v1/narratives/{narrative_id}/extraction").json()
    by_text = {e["text"]: e for e in extraction["entities"]}
    assert by_text["Bucharest"]["status"] == "rejected"
    assert by_text["Sparkle Hand Car Wash."]["label"] == "ORGANIZATION"
    # Undo the rejection from the page.
    browser.refresh()
    wait_idle(browser)
    _item(browser, "Bucharest").find_element(By.XPATH, ".//button[starts-with(., 'Undo')]").click()
    wait_until(browser, lambda d: _item(d, "Bucharest").find_element(By.CSS_SELECTOR, ".found-kind").text == "Place",
               "the undo to show")

    # Consent withdrawn on the page: the API says it is no longer shared.
    Select(browser.find_element(By.ID, "consent")).select_by_value("withdrawn")
    browser.find_element(By.ID, "save-consent").click()
    wait_until(browser, lambda d: "taken out of the shared picture" in d.find_element(By.ID, "status").text,
               "the consent change")
    assert client.get(f"/v1/narratives/{narrative_id}").json()["shared"] is False
    assert "Withdrawn" in browser.find_element(By.CSS_SELECTOR, "dl.meta").text

    # My submissions lists it with status, consent and date; its link opens it.
    browser.get(workspace.base + "/submissions")
    wait_idle(browser)
    row = next(tr for tr in browser.find_elements(By.CSS_SELECTOR, "tbody tr") if "case-web-17" in tr.text)
    assert "Withdrawn" in row.text and "2021-11" in row.text and "read" in row.text
    assert row.find_element(By.TAG_NAME, "a").get_attribute("href") == url
    assert not browser.find_element(By.ID, "more").is_displayed()  # fewer than one page of 50: no "older" button
    check_page(browser, "submissions")

    # Another organisation cannot delete it, not even with its own valid session and CSRF token.
    other, other_csrf = session(workspace, "ngo-b")
    assert other.delete(f"/v1/narratives/{narrative_id}", headers={"X-CSRF-Token": other_csrf}).status_code == 404
    assert client.delete(f"/v1/narratives/{narrative_id}").status_code == 403  # no CSRF token: refused
    assert client.get(f"/v1/narratives/{narrative_id}").status_code == 200

    # At 375 px wide: no sideways page scroll, everything still passes axe.
    phone_width(browser)
    try:
        for address, name in ((workspace.base + "/submit", "submit-375"), (url, "submission-375"),
                              (workspace.base + "/submissions", "submissions-375")):
            browser.get(address)
            wait_idle(browser)
            assert _no_page_scroll(browser), name
            check_page(browser, name)
    finally:
        desktop_width(browser)

    # The caseworker deletes it: a confirmation step first ("No" keeps it), then it is gone everywhere.
    browser.get(url)
    wait_idle(browser)
    browser.find_element(By.ID, "delete-start").click()
    browser.find_element(By.ID, "delete-no").click()
    assert not browser.find_element(By.ID, "delete-confirm").is_displayed()
    browser.find_element(By.ID, "delete-start").click()
    check_page(browser, "submission-delete")
    browser.find_element(By.ID, "delete-yes").click()
    wait_until(browser, lambda d: d.current_url.endswith("/submissions?deleted=1"), "the deletion")
    wait_idle(browser)
    assert "deleted" in browser.find_element(By.ID, "status").text
    assert "case-web-17" not in browser.find_element(By.ID, "list").text
    assert client.get(f"/v1/narratives/{narrative_id}").status_code == 404


def test_listing_gives_status_consent_and_date_to_its_organisation_only(workspace: Workspace) -> None:
    with workspace.server.client(workspace.keys["ngo"]) as ngo:
        text = "Ana Petrova was kept at a farm near Almeria and paid nothing for a year. Listing test 41."
        answer = ngo.post("/v1/narratives", json={"text": text, "consent": "restricted", "date": "2020",
                                                  "title": "Farm case", "language": "en"})
        assert answer.status_code == 202, answer.text
        narrative_id = answer.json()["narratives"][0]["id"]
        listed = {n["id"]: n for n in ngo.get("/v1/narratives", params={"limit": 500}).json()}
        mine = listed[narrative_id]
        assert (mine["consent"], mine["date"], mine["title"], mine["language"], mine["owner"]) == \
            ("restricted", "2020", "Farm case", "en", True)
        assert mine["excerpt"] == text[:160] and mine["status"] in ("queued", "stored")
    with workspace.server.client(workspace.keys["ngo-b"]) as other:
        assert narrative_id not in {n["id"] for n in other.get("/v1/narratives", params={"limit": 500}).json()}


def test_another_organisation_cannot_read_the_submission(workspace: Workspace, browser) -> None:
    text = "Dmitri Orlov held the workers' passports at a warehouse in Rotterdam. Boundary test 77."
    with workspace.server.client(workspace.keys["ngo"]) as ngo:
        answer = ngo.post("/v1/narratives", json={"text": text, "consent": "restricted"})
        narrative_id = answer.json()["narratives"][0]["id"]
        job = answer.json()["job_id"]
        job_done(ngo, job)
        entity_id = ngo.get(f"/v1/narratives/{narrative_id}/extraction").json()["entities"][0]["id"]
    client, csrf = session(workspace, "ngo-b")
    for method, path, body in (("GET", f"/v1/narratives/{narrative_id}", None),
                               ("GET", f"/v1/narratives/{narrative_id}/extraction", None),
                               ("PATCH", f"/v1/narratives/{narrative_id}", {"consent": "given"}),
                               ("PATCH", f"/v1/narratives/{narrative_id}/entities/{entity_id}", {"action": "reject"})):
        answer = client.request(method, path, json=body, headers={"X-CSRF-Token": csrf})
        assert answer.status_code in (403, 404), (path, answer.status_code)
        assert "Orlov" not in answer.text and "Rotterdam" not in answer.text
    assert narrative_id not in client.get("/v1/narratives").text
    page = client.get(f"/submissions/{narrative_id}")
    assert "Orlov" not in page.text
    # In the browser: the page tells Org B's caseworker it is not theirs, and shows none of it.
    sign_in(browser, workspace, "ngo-b")
    browser.get(f"{workspace.base}/submissions/{narrative_id}")
    wait_idle(browser)
    status = browser.find_element(By.ID, "status")
    assert "is-error" in status.get_attribute("class") and "no narrative" in status.text.lower()
    assert "Orlov" not in browser.page_source and "Rotterdam" not in browser.page_source
    browser.get_log("browser")  # the 404 of the API call is logged by Chromium as a failed resource: expected
    # Nothing changed for Org A.
    with workspace.server.client(workspace.keys["ngo"]) as ngo:
        assert ngo.get(f"/v1/narratives/{narrative_id}").json()["metadata"]["consent"] == "restricted"
        assert all(e["status"] == "extracted"
                   for e in ngo.get(f"/v1/narratives/{narrative_id}/extraction").json()["entities"])


def test_upload_a_batch_file_through_the_page(workspace: Workspace, browser, tmp_path) -> None:
    batch = tmp_path / "batch.csv"
    batch.write_text("id,text,consent,date\n"
                     "up-1,\"Ion Popescu was recruited in Iasi and driven to Madrid, where his wages were taken. Upload 1.\",given,2019\n"
                     "up-2,,given,2019\n"
                     "up-3,\"Elena Rusu worked at a hotel in Valencia for no pay, and her passport was kept. Upload 3.\",restricted,2020-05\n",
                     encoding="utf-8")
    sign_in(browser, workspace, "ngo")
    browser.get(workspace.base + "/submit")
    wait_idle(browser)
    browser.find_element(By.ID, "file").send_keys(str(batch))
    browser.find_element(By.ID, "send-file").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "job-line").text.startswith("Done"), "the upload's job", 120)
    details = browser.find_element(By.ID, "result-details").text
    assert "3 records read: 2 narratives accepted" in details and "1 not accepted" in details, details
    assert "up-2" in details  # the rejected record is named, with why
    links = {a.text: a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".submitted-list a")}
    assert set(links) == {"up-1", "up-3"}, links
    check_page(browser, "submit-file")
    browser.get(links["up-3"])
    wait_idle(browser)
    assert "Restricted" in browser.find_element(By.CSS_SELECTOR, "dl.meta").text
    assert "Valencia" in [m.find_element(By.CSS_SELECTOR, ".ent-words").text
                          for m in browser.find_elements(By.CSS_SELECTOR, "#narrative mark")]


def test_marks_stay_on_their_words_after_characters_outside_the_basic_plane(workspace: Workspace, browser) -> None:
    """The API's offsets count code points; JavaScript counts UTF-16 units. Emoji before a name would shift a
    naive mark two units per emoji; the page must still mark the name exactly."""
    text = "🙂🙂 Ana Petrova 🙂 was taken to Milan by Marco Rossi and made to work for nothing. Emoji 12."
    with workspace.server.client(workspace.keys["ngo"]) as ngo:
        answer = ngo.post("/v1/narratives", json={"text": text, "consent": "restricted"})
        narrative_id = answer.json()["narratives"][0]["id"]
        job_done(ngo, answer.json()["job_id"])
        extracted = {e["text"] for e in ngo.get(f"/v1/narratives/{narrative_id}/extraction").json()["entities"]}
    sign_in(browser, workspace, "ngo")
    browser.get(f"{workspace.base}/submissions/{narrative_id}")
    wait_idle(browser)
    marked = {m.find_element(By.CSS_SELECTOR, ".ent-words").text for m in browser.find_elements(By.CSS_SELECTOR, "#narrative mark")}
    assert {"Milan", "Marco Rossi"} <= extracted, extracted  # after three emoji: six UTF-16 units, three code points
    assert marked == extracted, (marked, extracted)
    assert "was taken to Milan" in browser.find_element(By.ID, "narrative").text
