"""The Statistics page in a real browser: the published k-anonymous tables for the roles that see only
aggregates (partner, NGO), suppressed cells shown as "<11", tables with captions, no axe violation."""

from __future__ import annotations

import httpx
from selenium.webdriver.common.by import By

from tests.browser import Workspace, check_page, sign_in, wait_idle


def test_partner_and_ngo_read_the_published_tables(workspace: Workspace, browser) -> None:
    api = httpx.Client(base_url=workspace.base, headers={"Authorization": f"Bearer {workspace.keys['partner']}"},
                       timeout=120)
    expected = api.get("/v1/aggregates", params={"by": "year"}).json()
    for who in ("partner", "ngo"):
        sign_in(browser, workspace, who)
        assert "/statistics" in {a.get_attribute("pathname") for a in browser.find_elements(By.CSS_SELECTOR, "nav.menu a")}
        browser.get(workspace.base + "/statistics")
        wait_idle(browser, timeout=120)
        status = browser.find_element(By.ID, "status")
        assert "is-error" not in (status.get_attribute("class") or ""), status.text
        tables = browser.find_elements(By.CSS_SELECTOR, "#tables table")
        assert len(tables) == 8
        assert all(t.find_element(By.CSS_SELECTOR, "caption").text.startswith("Victims and cases") for t in tables)
        year = browser.find_element(By.CSS_SELECTOR, "section[data-by='year'] table")
        rows = year.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == len(expected["cells"])
        shown = {r.find_elements(By.TAG_NAME, "td")[0].text: r.find_elements(By.TAG_NAME, "td")[1].text for r in rows}
        for cell in expected["cells"]:
            want = "<11" if cell["suppressed"] else f"{cell['victims']:,}"
            assert shown[cell["values"]["year"]] == want, (cell, shown)
        assert "<11" in shown.values() and shown["Total"] != "<11"
        assert browser.find_elements(By.CSS_SELECTOR, "td .suppressed[title]")
        check_page(browser, f"statistics-{who}")
