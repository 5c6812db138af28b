"""The insight pages in a real browser: the offline map, the timeline and the dashboards (analyst and NGO).

The workspace holds the 64 sample narratives ingested with the command line (no NGO owns them), so an
analyst's dashboard counts 64 and an NGO of another organisation counts only its own submissions.
"""

from __future__ import annotations

from typing import Any

import httpx
from selenium.webdriver.common.by import By

from tests.api_server import make_key
from tests.browser import Workspace, phone_width, check_page, new_browser, sign_in, wait_idle


def _no_horizontal_scroll(driver: Any) -> None:
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def _total(driver: Any, label: str) -> int:
    return int(driver.find_element(By.CSS_SELECTOR, f"dd[data-total='{label}']").text.replace(",", ""))


def _open(driver: Any, workspace: Workspace, path: str) -> None:
    driver.get(workspace.base + path)
    wait_idle(driver)
    status = driver.find_element(By.ID, "status")
    assert "is-error" not in (status.get_attribute("class") or ""), status.text


def test_map_draws_outlines_corridors_and_hotspots_offline(workspace: Workspace, browser) -> None:
    sign_in(browser, workspace, "analyst")
    _open(browser, workspace, "/map")
    outlines = browser.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane svg path.country")
    assert len(outlines) > 100, len(outlines)
    assert browser.find_elements(By.CSS_SELECTOR, ".leaflet-tile-pane img") == []  # no tiles at all
    markers = browser.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane svg path.hotspot-marker")
    lines = browser.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane svg path.corridor-line")
    assert markers and lines
    hotspot_rows = browser.find_elements(By.CSS_SELECTOR, "#hotspots tbody tr")
    assert len(hotspot_rows) >= len(markers)
    listed = {row.find_element(By.CSS_SELECTOR, "td").text for row in hotspot_rows}
    assert {"London", "Calais"} <= listed, sorted(listed)[:20]
    assert browser.find_elements(By.CSS_SELECTOR, "#corridors tbody tr")
    # Toggling a layer is a labelled checkbox, and it takes the circles off the map.
    browser.find_element(By.CSS_SELECTOR, "label[for='show-hotspots']").click()
    assert browser.find_elements(By.CSS_SELECTOR, "path.hotspot-marker") == []
    browser.find_element(By.CSS_SELECTOR, "label[for='show-hotspots']").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "path.hotspot-marker")) == len(markers)
    check_page(browser, "map")


def test_timeline_draws_events_and_filters_them(workspace: Workspace, browser) -> None:
    sign_in(browser, workspace, "analyst")
    _open(browser, workspace, "/timeline")
    dots = browser.find_elements(By.CSS_SELECTOR, "#chart svg circle.event-dot")
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert dots and len(rows) >= 64  # every narrative has a date, plus travel and other dated facts
    kinds = {d.get_attribute("data-kind") for d in dots}
    assert {"narrative", "travel"} <= kinds, kinds
    browser.find_element(By.CSS_SELECTOR, "label[for='kind-narrative']").click()
    assert "narrative" not in {d.get_attribute("data-kind") for d in browser.find_elements(By.CSS_SELECTOR, "circle.event-dot")}
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == len(rows) - 64
    check_page(browser, "timeline")


def test_analyst_dashboard_counts_the_whole_graph(workspace: Workspace, browser) -> None:
    sign_in(browser, workspace, "analyst")
    _open(browser, workspace, "/dashboard")
    with httpx.Client(base_url=workspace.base, headers={"Authorization": f"Bearer {workspace.keys['analyst']}"}) as api:
        graph = api.get("/v1/insight/dashboard").json()
    # The 64 samples, and whatever narratives other tests of this session shared (the page shows the API's figure).
    assert _total(browser, "Narratives") == graph["narratives"] >= 64
    assert _total(browser, "Countries") > 5 and _total(browser, "Methods of control") > 3
    assert browser.find_elements(By.CSS_SELECTOR, "#by-time svg rect.bar")
    country_rows = browser.find_elements(By.CSS_SELECTOR, "#by-country tbody tr")
    assert country_rows and country_rows[0].find_elements(By.TAG_NAME, "td")[0].text == "United Kingdom"
    assert "every narrative in the shared graph" in browser.find_element(By.ID, "scope").text
    check_page(browser, "dashboard")


def test_an_ngo_sees_only_its_own_organisation(workspace: Workspace, browser) -> None:
    # A fresh organisation's NGO has submitted nothing: zeros and a sentence, none of the graph's 64.
    workspace.keys["ngo-insight"] = make_key(workspace.server.home, "ngo", "Org Insight")
    sign_in(browser, workspace, "ngo-insight")
    _open(browser, workspace, "/dashboard")
    assert _total(browser, "Narratives") == 0 and _total(browser, "Countries") == 0
    scope = browser.find_element(By.ID, "scope").text
    assert "Org Insight" in scope and "not submitted any narrative" in scope
    assert browser.find_elements(By.CSS_SELECTOR, "#by-country tbody tr") == []
    check_page(browser, "dashboard-ngo")
    # Org B's NGO sees exactly what its own submissions give (none, unless another test submitted some).
    with httpx.Client(base_url=workspace.base, headers={"Authorization": f"Bearer {workspace.keys['ngo-b']}"}) as api:
        own = api.get("/v1/insight/dashboard").json()
        assert api.get("/v1/insight/map").status_code == 403
    assert own["scope"] == "organisation" and own["organisation"] == "Org B" and own["narratives"] < 64
    sign_in(browser, workspace, "ngo-b")
    _open(browser, workspace, "/dashboard")
    assert _total(browser, "Narratives") == own["narratives"]
    assert "(Org B)" in browser.find_element(By.ID, "scope").text


def test_dashboard_and_map_at_phone_width(workspace: Workspace) -> None:
    driver = new_browser(375, 800)
    phone_width(driver)
    try:
        sign_in(driver, workspace, "analyst")
        for page in ("dashboard", "map"):
            _open(driver, workspace, f"/{page}")
            assert driver.execute_script("return window.innerWidth") == 375
            _no_horizontal_scroll(driver)
            check_page(driver, f"{page}-375")
        assert len(driver.find_elements(By.CSS_SELECTOR, "path.country")) > 100
    finally:
        driver.quit()
