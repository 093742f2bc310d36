"""Debian's chromium under Playwright, and waiting for Streamlit's "script finished" state."""

from __future__ import annotations

import shutil

from playwright.sync_api import Browser, Page, Playwright, expect

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's chromium: `playwright install` cannot download browsers on these machines."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def wait_for_app(page: Page, timeout_ms: float = 60_000) -> None:
    """Wait for Streamlit's "script finished" state, as Streamlit's own e2e tests do."""
    app = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(app).to_be_attached(timeout=timeout_ms)
