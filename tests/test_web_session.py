"""Signing in to the workspace, in a real browser and over plain HTTP: cookie flags, CSRF, roles, sign-out."""

from __future__ import annotations

import re

import httpx
import pytest
from selenium.webdriver.common.by import By

from tests.browser import Workspace, check_page, console_errors, sign_in, wait_until
from web.catalogue import HOME, PAGES


def _signed_in(ws: Workspace, who: str) -> httpx.Client:
    client = httpx.Client(base_url=ws.base, timeout=30)
    form = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    answer = client.post("/sign-in", data={"key": ws.keys[who], "csrf_token": token})
    assert answer.status_code == 303, answer.text
    return client

def test_sign_in_page_and_every_role_lands_on_its_start_page(workspace: Workspace, browser) -> None:
    browser.get(workspace.base + "/")
    wait_until(browser, lambda d: d.find_element(By.ID, "key"), "the sign-in form")
    check_page(browser, "sign-in")
    for who in ("analyst", "ngo", "partner", "admin"):
        sign_in(browser, workspace, who)
        assert browser.current_url.endswith(HOME[who]), browser.current_url
        links = {a.get_attribute("pathname") for a in browser.find_elements(By.CSS_SELECTOR, "nav.menu a")}
        allowed = {p.path for p in PAGES if p.in_menu and who in p.roles}
        assert links == allowed, (who, links)
        browser.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()
        wait_until(browser, lambda d: "/sign-in" in d.current_url, "sign-out")
        assert console_errors(browser) == []

def test_a_wrong_key_is_refused_on_the_page_without_echoing_it(workspace: Workspace, browser) -> None:
    browser.delete_all_cookies()
    browser.get(workspace.base + "/sign-in")
    browser.find_element(By.ID, "key").send_keys("sl_000000000000_not-a-key<b>x</b>")
    browser.find_element(By.ID, "key").submit()
    alert = wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[role=alert]"), "the refusal")
    assert "not valid" in alert.text
    assert "not-a-key" not in browser.page_source

def test_session_cookie_flags(workspace: Workspace) -> None:
    client = httpx.Client(base_url=workspace.base, timeout=30)
    form = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    answer = client.post("/sign-in", data={"key": workspace.keys["analyst"], "csrf_token": token})
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and "sightline_session=" in v)
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
    assert "secure" not in flags  # served over plain HTTP on loopback; Secure whenever the scheme is https
    assert "content-security-policy" in answer.headers or client.get("/dashboard").headers["content-security-policy"]

def test_forms_and_api_calls_without_the_csrf_token_are_refused(workspace: Workspace) -> None:
    client = _signed_in(workspace, "analyst")
    assert client.get("/v1/me").json()["role"] == "analyst"
    refused = client.post("/v1/watchlist", json={"entity_id": "x", "category": "suspect", "reason": "r"})
    assert refused.status_code == 403 and refused.json()["error"]["details"]["reason"] == "csrf"
    assert client.post("/sign-out", data={}).status_code == 403  # sign-out is a form too
    assert client.get("/v1/me").status_code == 200  # still signed in
    # A sign-in form posted from elsewhere (no matching sign-in cookie) is refused.
    stranger = httpx.Client(base_url=workspace.base, timeout=30)
    assert stranger.post("/sign-in", data={"key": workspace.keys["analyst"], "csrf_token": "guess"}).status_code == 403

def test_every_role_gets_403_on_pages_not_for_it(workspace: Workspace) -> None:
    for who in ("analyst", "ngo", "partner", "admin"):
        client = _signed_in(workspace, who)
        for page in PAGES:
            path = re.sub(r"\{[^}]+\}", "x", page.path)
            status = client.get(path).status_code
            assert status == (200 if who in page.roles else 403), (who, path, status)

def test_signed_out_visitors_are_sent_to_sign_in_and_back(workspace: Workspace) -> None:
    client = httpx.Client(base_url=workspace.base, timeout=30)
    answer = client.get("/watchlist")
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in?next=%2Fwatchlist"
    assert client.get("/v1/me").status_code == 401
    signed = _signed_in(workspace, "analyst")
    token = re.search(r'name="csrf-token" content="([^"]+)"', signed.get("/dashboard").text).group(1)
    assert signed.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert signed.get("/v1/me").status_code == 401
    assert signed.get("/dashboard").status_code == 303


def test_sessions_end_when_idle_when_too_old_and_on_sign_out(tmp_path) -> None:
    from state.db import ApiDatabase
    from state.keys import KeyStore
    from state.sessions import SessionStore

    db = ApiDatabase(tmp_path / "api.sqlite")
    key, _ = KeyStore(db).create("analyst", "Org A")
    now = [1000.0]
    store = SessionStore(db, idle_seconds=60, max_age_seconds=300, clock=lambda: now[0])
    token, session = store.create(key.id)
    assert token not in str(db.query("SELECT * FROM web_sessions")[0].keys()) and \
        all(token not in str(v) for v in tuple(db.query("SELECT * FROM web_sessions")[0]))  # only its hash is kept
    now[0] += 59
    assert store.resolve(token) is not None  # used within the idle time: the idle clock restarts
    now[0] += 59
    assert store.resolve(token).csrf == session.csrf
    now[0] += 61
    assert store.resolve(token) is None  # idle too long
    token, _ = store.create(key.id)
    for _ in range(6):
        now[0] += 55
        found = store.resolve(token)
    assert found is None  # used all along, but older than its lifetime
    token, _ = store.create(key.id)
    store.end(token)
    assert store.resolve(token) is None
    assert store.resolve("") is None and store.resolve("x" * 1000) is None
    db.close()


def test_revoking_a_key_ends_its_sessions(workspace: Workspace) -> None:
    from tests.api_server import make_key

    secret = make_key(workspace.server.home, "analyst", "Org A")
    workspace.keys["short-lived"] = secret
    client = _signed_in(workspace, "short-lived")
    assert client.get("/v1/me").status_code == 200
    key_id = client.get("/v1/me").json()["key_id"]
    with workspace.server.as_role("admin") as admin:
        assert admin.delete(f"/v1/keys/{key_id}").status_code == 200
    assert client.get("/v1/me").status_code == 401
    assert client.get("/dashboard").status_code == 303
