"""The analyst's work pages in a real browser: the review queue, the watchlist and reports.

Against the ``workspace`` server (the 64 sample narratives, which hold POSSIBLY_SAME_AS pairs): confirm a pair
and see it leave the queue (also at 375 px wide), add and remove a watchlist entry, order a report, watch its
progress finish, read it in the page (a sandboxed frame) and fetch its PDF.
"""

from __future__ import annotations

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser import Workspace, phone_width, check_page, new_browser, sign_in, wait_idle, wait_until

HOSTILE_TITLE = 'Q4 <img src=x onerror="document.title=1"> networks'


def _session_client(workspace: Workspace, driver) -> httpx.Client:
    """An HTTP client holding the browser's session cookie: what a click on a link would send."""
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    return httpx.Client(base_url=workspace.base, cookies=cookies, timeout=60)


def _no_horizontal_scroll(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_confirm_a_pair_in_the_review_queue(workspace: Workspace, browser) -> None:
    with workspace.server.as_role("analyst") as analyst:
        before = analyst.get("/v1/review/pairs", params={"limit": 500}).json()
    assert before, "the sample graph should hold POSSIBLY_SAME_AS pairs to review"
    sign_in(browser, workspace, "analyst")
    browser.get(workspace.base + "/review")
    wait_idle(browser)
    cards = browser.find_elements(By.CSS_SELECTOR, "article.pair")
    assert cards, "no pair shown"
    first = cards[0]
    pair_id = first.get_attribute("data-pair-id")
    assert pair_id == before[0]["id"]  # best score first
    sides = first.find_elements(By.CSS_SELECTOR, ".side")
    assert len(sides) == 2 and before[0]["a"]["name"] in sides[0].text and before[0]["b"]["name"] in sides[1].text
    assert first.find_elements(By.CSS_SELECTOR, ".evidence li q, .side dl"), "the records show their evidence"
    check_page(browser, "review")

    first.find_element(By.CSS_SELECTOR, "textarea.reason").send_keys("same phone and same employer in both accounts")
    first.find_element(By.CSS_SELECTOR, "button.confirm").click()
    wait_until(browser, lambda d: "left the queue" in d.find_element(By.ID, "status").text, "the decision to be announced")
    wait_idle(browser)
    shown = {c.get_attribute("data-pair-id") for c in browser.find_elements(By.CSS_SELECTOR, "article.pair")}
    assert pair_id not in shown
    with workspace.server.as_role("analyst") as analyst:
        assert pair_id not in {p["id"] for p in analyst.get("/v1/review/pairs", params={"limit": 500}).json()}
        merged = analyst.get(f"/v1/entities/{before[0]['b']['id']}").json()
        assert merged["node"]["id"] == before[0]["a"]["id"]  # confirmed: the second record is now the first
    Select(browser.find_element(By.ID, "status-filter")).select_by_value("rejected")
    browser.find_element(By.CSS_SELECTOR, "#queue-filter button").click()
    wait_until(browser, lambda d: "rejected pair" in d.find_element(By.ID, "queue-count").text.lower()
               or "no rejected pairs" in d.find_element(By.ID, "pairs").text.lower(), "the rejected pairs")


def test_review_queue_on_a_phone_sized_screen(workspace: Workspace) -> None:
    driver = new_browser(375, 800)
    phone_width(driver)
    try:
        sign_in(driver, workspace, "analyst")
        driver.get(workspace.base + "/review")
        wait_idle(driver)
        assert driver.find_elements(By.CSS_SELECTOR, "article.pair")
        assert driver.execute_script("return document.documentElement.clientWidth") == 375
        assert _no_horizontal_scroll(driver), "the review page scrolls sideways at 375 px"
        check_page(driver, "review-375")
    finally:
        driver.quit()


def test_add_and_remove_a_watchlist_entry(workspace: Workspace, browser) -> None:
    with workspace.server.as_role("analyst") as analyst:
        person = analyst.get("/v1/entities", params={"q": "Andrei Munteanu", "label": "Person"}).json()["results"][0]
    sign_in(browser, workspace, "analyst")
    browser.get(workspace.base + "/watchlist")
    wait_idle(browser)
    assert not browser.find_element(By.ID, "add-form").is_displayed()  # nothing chosen yet
    browser.get(workspace.base + "/watchlist?add=" + person["id"])  # the entity page's link
    wait_until(browser, lambda d: d.find_element(By.ID, "add-form").is_displayed(), "the add form")
    assert "Andrei Munteanu" in browser.find_element(By.ID, "chosen").text
    Select(browser.find_element(By.ID, "add-category")).select_by_value("control")
    browser.find_element(By.ID, "add-reason").send_keys("holds the workers' passports")
    browser.find_element(By.CSS_SELECTOR, "#add-form button[type=submit]").click()
    wait_until(browser, lambda d: "is on the watchlist" in d.find_element(By.ID, "status").text, "the entry to be added")
    wait_idle(browser)
    with workspace.server.as_role("analyst") as analyst:
        entry = next(e for e in analyst.get("/v1/watchlist").json()
                     if e["entity"]["id"] == person["id"] and e["category"] == "control")
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-watch-id='{entry['id']}']")
    assert "holds the workers' passports" in row.text
    assert "?add=" not in browser.current_url  # a reload does not offer to add it again

    # the search path: find an identifier and choose it
    browser.find_element(By.ID, "find-q").send_keys("Munteanu")
    browser.find_element(By.CSS_SELECTOR, "#find-form button").click()
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#found button.choose"), "search results")
    check_page(browser, "watchlist")

    row.find_element(By.CSS_SELECTOR, "button.remove").click()
    field = wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, f"tr[data-watch-id='{entry['id']}'] input.remove-reason"),
                       "the removal form")
    field.send_keys("confused with his brother")
    field.submit()
    wait_until(browser, lambda d: "is off the watchlist" in d.find_element(By.ID, "status").text, "the removal")
    wait_idle(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, f"tr[data-watch-id='{entry['id']}']")
    browser.find_element(By.ID, "show-removed").click()
    wait_until(browser, lambda d: "confused with his brother" in
               d.find_element(By.CSS_SELECTOR, f"tr[data-watch-id='{entry['id']}']").text, "the removed entry and its reason")
    with workspace.server.as_role("analyst") as analyst:
        kept = {e["id"]: e for e in analyst.get("/v1/watchlist", params={"include_removed": True}).json()}
    assert kept[entry["id"]]["removed_reason"] == "confused with his brother" and kept[entry["id"]]["removed_at"]


def test_order_a_report_watch_it_finish_and_read_it(workspace: Workspace, browser) -> None:
    sign_in(browser, workspace, "analyst")
    browser.get(workspace.base + "/reports")
    wait_idle(browser)
    assert not browser.find_element(By.ID, "progress-box").is_displayed()  # nothing ordered yet
    check_page(browser, "reports")
    browser.find_element(By.ID, "order-title").send_keys(HOSTILE_TITLE)
    browser.find_element(By.ID, "fmt-md").click()  # html and pdf only
    browser.find_element(By.ID, "order-button").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "progress-box").is_displayed(), "the progress bar")
    link = wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#progress-box a.read-link"),
                      "the report to finish", timeout=400)
    assert browser.find_element(By.ID, "order-progress").get_attribute("value") == "3"
    wait_idle(browser)
    listed = browser.find_element(By.ID, "report-list").text
    assert HOSTILE_TITLE in listed and not browser.find_elements(By.CSS_SELECTOR, "#report-list img")
    link.click()

    wait_until(browser, lambda d: "/reports/job_" in d.current_url, "the report page")
    wait_idle(browser)
    assert browser.find_element(By.ID, "report-title").text == HOSTILE_TITLE
    assert not browser.find_element(By.ID, "report-progress").is_displayed()  # finished: no progress bar
    frame = browser.find_element(By.CSS_SELECTOR, "iframe.report-frame")
    assert frame.get_attribute("sandbox") == ""  # no scripts, no same-origin access
    browser.switch_to.frame(frame)
    try:
        wait_until(browser, lambda d: "Key Judgements" in d.find_element(By.TAG_NAME, "body").text, "the report text")
        assert not browser.find_elements(By.CSS_SELECTOR, "img[src=x]")
    finally:
        browser.switch_to.default_content()
    assert browser.title != "1"
    check_page(browser, "report")

    pdf = browser.find_element(By.CSS_SELECTOR, "a.download-pdf").get_attribute("href")
    assert not browser.find_elements(By.CSS_SELECTOR, "a.download-md")  # not ordered
    with _session_client(workspace, browser) as client:
        answer = client.get(pdf)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_a_report_page_opened_early_follows_the_job_then_shows_it(workspace: Workspace, browser) -> None:
    with workspace.server.as_role("analyst") as analyst:
        job_id = analyst.post("/v1/reports", json={"formats": ["md"]}).json()["job_id"]
    sign_in(browser, workspace, "analyst")
    browser.get(f"{workspace.base}/reports/{job_id}")
    frame = wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, "iframe.report-frame"), "the report", timeout=400)
    wait_idle(browser)
    assert "Markdown only" in browser.find_element(By.ID, "report-reader").text
    browser.switch_to.frame(frame)
    try:  # Markdown comes through as plain text: its markup shows as characters
        wait_until(browser, lambda d: "# " in d.find_element(By.TAG_NAME, "body").text, "the Markdown text")
    finally:
        browser.switch_to.default_content()
    assert not browser.find_elements(By.CSS_SELECTOR, "a.download-pdf")
    browser.get(f"{workspace.base}/reports/job_nothing")
    wait_idle(browser)
    assert "No such report" in browser.find_element(By.ID, "report-title").text
    assert "no such job" in browser.find_element(By.ID, "status").text.lower()
