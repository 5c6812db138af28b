"""The analyst's graph pages in a real browser: search, entity page, graph explorer, networks and exposure.

Each test drives Debian's Chromium against the workspace server holding the 64 sample narratives, through
the pages' own forms, links and buttons, and checks what an analyst would see: the entity's facts with their
evidence sentences, nodes added by an expansion, a path highlighted, networks with key actors, exposure with
its paths. ``check_page`` runs on every page (no console error, no serious axe violation, a screenshot).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import Workspace, desktop_width, phone_width, check_page, shot, sign_in, wait_idle, wait_until


@pytest.fixture(scope="module")
def analyst(workspace: Workspace, browser):  # type: ignore[no-untyped-def]
    sign_in(browser, workspace, "analyst")
    return browser


def _api(ws: Workspace) -> httpx.Client:
    return httpx.Client(base_url=ws.base, headers={"Authorization": f"Bearer {ws.keys['analyst']}"}, timeout=120)


def _person(ws: Workspace, name: str) -> str:
    with _api(ws) as client:
        return client.get("/v1/entities", params={"q": name, "label": "Person"}).json()["results"][0]["id"]


def _main(driver, key: str) -> str:  # type: ignore[no-untyped-def]
    return driver.execute_script(f"return document.getElementById('main').dataset.{key} || ''")


def _no_sideways_scroll(driver) -> bool:  # type: ignore[no-untyped-def]
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_search_leads_to_the_entity_page_with_facts_evidence_and_graded_sources(workspace: Workspace, analyst) -> None:
    analyst.get(workspace.base + "/search")
    wait_idle(analyst)
    analyst.find_element(By.ID, "q").send_keys("Andrei Munteanu")
    analyst.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    link = wait_until(analyst, lambda d: d.find_element(By.LINK_TEXT, "Andrei Munteanu"), "a search result")
    wait_idle(analyst)
    assert "q=Andrei+Munteanu" in analyst.current_url  # the search is in the address: bookmarkable
    check_page(analyst, "search")
    link.click()
    wait_until(analyst, lambda d: "/entities/person:" in d.current_url, "the entity page")
    wait_idle(analyst)
    assert analyst.find_element(By.ID, "entity-name").text == "Andrei Munteanu"
    facts = analyst.find_elements(By.CSS_SELECTOR, ".facts tbody tr")
    assert len(facts) >= 5
    sentences = [q.text for q in analyst.find_elements(By.CSS_SELECTOR, ".facts .evidence q") if q.text]
    assert any("Munteanu" in s or "MUNTEANU" in s for s in sentences), sentences[:5]
    assert analyst.find_element(By.LINK_TEXT, "+40722415386")  # the other end of a fact, by name, linked
    sources = analyst.find_element(By.CSS_SELECTOR, "section[aria-labelledby=sources-h] table").text
    assert re.search(r"\bs0\d\d\b.*\b[A-F][1-6]\b", sources), sources
    assert "key actor" in analyst.find_element(By.CSS_SELECTOR, ".marks").text
    check_page(analyst, "entity")
    explore = analyst.find_element(By.LINK_TEXT, "Explore its neighbourhood").get_attribute("href")
    assert "/explore?id=person%3A" in explore


def test_search_and_entity_pages_fit_a_phone(workspace: Workspace, analyst) -> None:
    person = _person(workspace, "Andrei Munteanu")
    phone_width(analyst)
    try:
        analyst.get(workspace.base + "/search?q=Munteanu")
        wait_idle(analyst)
        assert analyst.find_elements(By.CSS_SELECTOR, "#results tbody tr")
        assert _no_sideways_scroll(analyst)
        check_page(analyst, "search-375")
        analyst.get(workspace.base + "/entities/" + quote(person))
        wait_idle(analyst)
        assert analyst.find_element(By.ID, "entity-name").text == "Andrei Munteanu"
        assert _no_sideways_scroll(analyst)
        check_page(analyst, "entity-375")
        analyst.get(workspace.base + "/explore?id=" + quote(person, safe=""))
        wait_idle(analyst)
        assert _no_sideways_scroll(analyst)
        check_page(analyst, "explore-375")
    finally:
        desktop_width(analyst)


def test_a_victim_is_flagged_on_the_entity_page(workspace: Workspace, analyst) -> None:
    with _api(workspace) as client:
        ranking = client.get("/v1/analysis/exposure", params={"limit": 50}).json()
        victim = next(e["person"]["id"] for e in ranking
                      if "victim" in client.get(f"/v1/entities/{e['person']['id']}").json()["node"]["props"].get("roles", {}))
    analyst.get(workspace.base + "/entities/" + quote(victim))
    wait_idle(analyst)
    assert "recorded as a victim" in analyst.find_element(By.CSS_SELECTOR, ".marks").text
    assert "pseudonym" in analyst.find_element(By.CSS_SELECTOR, ".notice").text


def test_explorer_draws_expands_and_filters(workspace: Workspace, analyst) -> None:
    person = _person(workspace, "Andrei Munteanu")
    analyst.get(workspace.base + "/explore?id=" + quote(person, safe=""))
    wait_idle(analyst)
    before = int(_main(analyst, "nodes"))
    assert before >= 5 and int(_main(analyst, "drawMs")) >= 0
    assert "around Andrei Munteanu" in analyst.find_element(By.ID, "summary").text
    check_page(analyst, "explore")
    # Expand the shared phone with the node list's button: the people who also use it join the drawing.
    button = analyst.find_element(By.CSS_SELECTOR, "button.expand[data-id='phone:+40722415386']")
    button.click()
    wait_until(analyst, lambda d: int(_main(d, "nodes")) > before, "the expansion to add nodes")
    wait_idle(analyst)
    after = int(_main(analyst, "nodes"))
    assert analyst.find_element(By.CSS_SELECTOR, "button.expand[data-id='phone:+40722415386']").get_attribute("disabled")
    # The keyboard: focus the drawing, arrow to the first node of the list not yet expanded, Enter expands it.
    index, second = analyst.execute_script(
        "const rows = [...document.querySelectorAll('#nodes-table tbody tr')];"
        "const i = rows.findIndex(r => !r.querySelector('button').disabled);"
        "return [i, rows[i].querySelector('button').dataset.id];")
    graph = analyst.find_element(By.ID, "graph")
    analyst.execute_script("arguments[0].focus()", graph)
    graph.send_keys(*([Keys.ARROW_RIGHT] * (index + 1)), Keys.ENTER)
    wait_until(analyst, lambda d: d.execute_script(
        "return [...document.querySelectorAll('#nodes-table button.expand')].some("
        "b => b.dataset.id === arguments[0] && b.disabled)", second), "the keyboard expansion")
    wait_idle(analyst)
    shot(analyst, "explore-expanded")
    # Filters: one relation type off hides some of the drawing; a date range in the future hides all but
    # what was expanded.
    visible = int(_main(analyst, "visible"))
    analyst.find_element(By.ID, "type-associated_with").click()
    wait_until(analyst, lambda d: int(_main(d, "visible")) < visible, "the relation filter")
    analyst.execute_script("const f = document.getElementById('date-from'); f.value = '2099-01-01';"
                           "f.dispatchEvent(new Event('change'));")
    wait_until(analyst, lambda d: int(_main(d, "visible")) <= 3, "the date filter")
    analyst.execute_script("const f = document.getElementById('date-from'); f.value = '';"
                           "f.dispatchEvent(new Event('change'));")
    wait_until(analyst, lambda d: int(_main(d, "visible")) > 3, "the date filter lifted")
    assert int(_main(analyst, "nodes")) >= after  # filters hide, they never drop what was fetched


def test_path_between_two_entities_is_highlighted(workspace: Workspace, analyst) -> None:
    a, b = _person(workspace, "Andrei Munteanu"), _person(workspace, "Tomas Varga")
    with _api(workspace) as client:
        expected = client.get("/v1/paths", params={"source": a, "target": b}).json()["paths"]
    assert expected, "the samples tie Andrei Munteanu to Tomas Varga"
    analyst.get(workspace.base + "/explore?id=" + quote(a, safe=""))
    wait_idle(analyst)
    target = analyst.find_element(By.ID, "path-to")
    target.send_keys("Tomas Varga")
    analyst.find_element(By.CSS_SELECTOR, "#path-form button[type=submit]").click()
    wait_until(analyst, lambda d: _main(d, "pathLength") not in ("", "0"), "the path")
    wait_idle(analyst)
    assert int(_main(analyst, "pathLength")) == expected[0]["length"]
    assert int(_main(analyst, "pathNodes")) == expected[0]["length"] + 1  # every node of it drawn and marked
    result = analyst.find_element(By.ID, "path-result").text
    assert "Andrei Munteanu" in result and "Tomas Varga" in result
    analyst.execute_script("document.getElementById('graph').scrollIntoView()")
    check_page(analyst, "explore-path")


def test_networks_page_lists_communities_with_key_actors(workspace: Workspace, analyst) -> None:
    analyst.get(workspace.base + "/communities")
    wait_idle(analyst)
    networks = analyst.find_elements(By.CSS_SELECTOR, "section.community")
    assert len(networks) >= 3
    first = networks[0]
    assert re.match(r"Network 0: \d+ people", first.find_element(By.TAG_NAME, "h2").text)
    assert first.find_elements(By.CSS_SELECTOR, "table tbody tr"), "key actors listed"
    assert "Florin Dobre" in analyst.find_element(By.CSS_SELECTOR, "section[aria-labelledby=brokers-h]").text
    check_page(analyst, "communities")
    first.find_element(By.PARTIAL_LINK_TEXT, "in the explorer").click()
    wait_until(analyst, lambda d: "/explore?" in d.current_url and "community=0" in d.current_url, "the explorer")
    wait_idle(analyst)
    assert "network 0 highlighted" in analyst.find_element(By.ID, "summary").text


def test_exposure_page_shows_the_ranking_and_one_persons_paths(workspace: Workspace, analyst) -> None:
    analyst.get(workspace.base + "/exposure")
    wait_idle(analyst)
    rows = analyst.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
    assert len(rows) == 20
    check_page(analyst, "exposure")
    rows[0].find_element(By.PARTIAL_LINK_TEXT, "Show the paths").click()
    wait_until(analyst, lambda d: "/exposure?id=" in d.current_url, "one person's exposure")
    wait_idle(analyst)
    assert analyst.find_element(By.ID, "person-h").text.startswith("Exposure of ")
    contributions = analyst.find_elements(By.CSS_SELECTOR, "#person-exposure tbody tr")
    assert contributions
    assert len(contributions[0].find_elements(By.CSS_SELECTOR, ".chain a")) >= 2  # the path, person to target
    assert re.search(r"Score \d+\.\d%", analyst.find_element(By.CSS_SELECTOR, ".exposure-score").text)
    check_page(analyst, "exposure-person")
