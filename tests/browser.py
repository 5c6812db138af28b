"""The workspace in a real browser: Debian's Chromium driven through its chromedriver with Selenium.

``workspace`` (a session fixture in tests/conftest.py) is one real server (``sightline serve`` on loopback)
whose graph holds the 64 sample narratives, ingested with ``sightline ingest`` as ``make run`` does, with a
key per role for "Org A" and an NGO key for "Org B". ``browser`` is one headless Chromium per test module.
The helpers sign in through the page's own form, collect the browser console's errors, run axe-core (shipped
in tests/vendor) and keep a screenshot of every page under out/workspace/ as a test artefact.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.api_server import ROOT, Server, make_key, start

SCREENSHOTS = ROOT / "out" / "workspace"
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SERIOUS = ("serious", "critical")


@dataclass
class Workspace:
    server: Server
    keys: dict[str, str] = field(default_factory=dict)  # "analyst", "ngo", "partner", "admin", "ngo-b"

    @property
    def base(self) -> str:
        return self.server.base


@contextmanager
def running_workspace(home: Path) -> Iterator[Workspace]:
    """The sample graph ingested with the CLI, then the server started with keys for every role."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SIGHTLINE_HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "cli.main", "ingest", str(ROOT / "data" / "samples")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    keys = {role: make_key(home, role, "Org A") for role in ("analyst", "ngo", "partner", "admin")}
    keys["ngo-b"] = make_key(home, "ngo", "Org B")
    server = start(home, {"SIGHTLINE_API_AUTH_FAILURES_PER_MINUTE": "0"})
    server.keys = {k: v for k, v in keys.items() if k != "ngo-b"}
    try:
        yield Workspace(server, keys)
    finally:
        server.stop()


def new_browser(width: int = 1280, height: int = 900) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        pytest.fail("Chromium and chromedriver are needed (Debian packages chromium and chromium-driver; "
                    "`make test` installs them)", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--disable-extensions", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


def phone_width(driver: Any, width: int = 375, height: int = 800) -> None:
    """Emulate a phone's viewport: headless Chromium keeps its window at least ~500 px wide otherwise."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})


def desktop_width(driver: Any) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def sign_in(driver: Any, workspace: Workspace, who: str) -> None:
    """Sign in through the form as one of the workspace's keys ("analyst", "ngo-b", ...)."""
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(workspace.base + "/sign-in")
    if "/sign-in" not in driver.current_url:  # still signed in from before: sign out first
        driver.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()
        driver.get(workspace.base + "/sign-in")
    field_ = driver.find_element(By.ID, "key")
    field_.send_keys(workspace.keys[who])
    field_.submit()
    wait_until(driver, lambda d: "/sign-in" not in d.current_url, f"sign-in as {who}")
    console_errors(driver)  # start each signed-in page with an empty console log


def wait_until(driver: Any, condition: Callable[[Any], Any], what: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = condition(driver)
            if result:
                return result
        except Exception as error:  # noqa: BLE001 - an element not there yet; try again
            last = error
        time.sleep(0.1)
    shot(driver, "timeout-" + "".join(c if c.isalnum() else "-" for c in what)[:60])
    raise AssertionError(f"timed out waiting for {what}" + (f" (last error: {last})" if last else ""))


def wait_idle(driver: Any, timeout: float = 30.0) -> None:
    """Until the page's script says it has drawn what it fetched (``main[data-ready]``)."""
    wait_until(driver, lambda d: d.execute_script("return document.getElementById('main')?.dataset.ready === '1'"),
               "the page to finish loading", timeout)


def console_errors(driver: Any) -> list[str]:
    """The console's errors since the last call (the log is drained by reading it)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the current page."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));")
    violations = json.loads(result)
    return [{"id": v["id"], "impact": v.get("impact"), "help": v.get("help"),
             "targets": [n.get("target") for n in v.get("nodes", [])][:5]}
            for v in violations if v.get("impact") in SERIOUS]


def shot(driver: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def check_page(driver: Any, name: str) -> None:
    """What every page must pass once drawn: no console errors, no serious axe violation; a screenshot kept."""
    shot(driver, name)
    errors = console_errors(driver)
    assert errors == [], f"console errors on {name}: {errors}"
    violations = axe_violations(driver)
    assert violations == [], f"accessibility violations on {name}: {json.dumps(violations, indent=1)}"
