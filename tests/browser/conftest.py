"""The widget in Debian's Chromium, driven by Playwright, against the real servers.

The Python `playwright` package is only the driver here: no browser is downloaded; it launches
/usr/bin/chromium (scripts/install_browser.sh, run by `make test`). The widget must be built
(`make widget`) since the FastAPI app serves widget/dist at /.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from assistant.processes import ROOT, LocalStack
from tests.browser.widget_page import REPLY_TIMEOUT_MS, Widget

CHROMIUM = Path("/usr/bin/chromium")
WIDGET_INDEX = ROOT / "widget" / "dist" / "index.html"
# The flags this machine's closed network needs (docs/widget.md); Playwright adds --headless and a
# fresh temporary --user-data-dir to every launch.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@dataclass(frozen=True)
class WidgetServers:
    url: str
    feedback_db: Path

    def feedback_rows(self) -> list[dict]:
        if not self.feedback_db.exists():
            return []
        with sqlite3.connect(self.feedback_db) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("select * from feedback order by id")]


# The servers are the e2e tests' (tests/conftest.py: local_servers). Package scope for the
# browser: Playwright's sync API gives up the event loop it keeps running in this thread once the
# browser tests are done (later tests call asyncio.run()).
@pytest.fixture(scope="package")
def widget_servers(local_servers: LocalStack) -> WidgetServers:
    for needed, how in ((WIDGET_INDEX, "make widget"), (CHROMIUM, "scripts/install_browser.sh")):
        if not needed.exists():
            pytest.fail(f"{needed} saknas; `{how}` (eller `make test`) skapar det.")
    feedback_url = next(s for s in local_servers.supervisor.services if s.name == "api").env["INSATSLOTSEN_FEEDBACK_DB"]
    return WidgetServers(local_servers.api_url, Path(feedback_url.removeprefix("sqlite:///")))


@pytest.fixture(scope="package")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile per test: its own sessionStorage, so its own conversation."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    # The same patience for actions and for `expect` (whose own default is 5 s): on two busy cores
    # the passage list behind a 👎 took longer than that to arrive.
    context.set_default_timeout(REPLY_TIMEOUT_MS)
    expect.set_options(timeout=REPLY_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def widget(context, widget_servers) -> Widget:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    widget = Widget(page, widget_servers.url)
    widget.open()
    yield widget
    assert not errors, f"JavaScript errors on the page: {errors}"
