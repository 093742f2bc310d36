"""Debian's chromium under Playwright, a warm profile for many pages, and a run's end."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    ViewportSize,
    expect,
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1400, "height": 1000}
# What a page can leave behind in a profile, by the names of Chrome's Storage domain; the HTTP
# and compiled-script caches are not among them.
STORED_DATA = "cookies,local_storage,indexeddb,cache_storage,service_workers,file_systems"


def _executable() -> str:
    """Debian's chromium: `playwright install` cannot download browsers on these machines."""
    return shutil.which("chromium") or "/usr/bin/chromium"


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's chromium, for contexts of their own."""
    return playwright.chromium.launch(executable_path=_executable(), args=CHROMIUM_ARGS)


def wait_for_app(page: Page, timeout_ms: float = 60_000) -> None:
    """Wait for Streamlit's "script finished" state, as Streamlit's own e2e tests do."""
    app = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(app).to_be_attached(timeout=timeout_ms)


def launch_warm_profile(playwright: Playwright, folder: Path) -> BrowserContext:
    """Debian's chromium on a profile kept in `folder`, so its pages share the disk caches."""
    return playwright.chromium.launch_persistent_context(
        folder, executable_path=_executable(), args=CHROMIUM_ARGS, viewport=DESKTOP
    )


class WarmPages:
    """Pages in one chromium profile whose HTTP and compiled-script caches outlive each test.

    Streamlit's frontend is megabytes of JavaScript: in a fresh context every page load parses
    and compiles all of it again (3.2-3.7 s of CPU here), from a warm profile's caches 0.6-1.3 s.
    The pages share one cookie jar, so they are one browser to the dashboard (its history and
    snapshots on the demo are kept per browser): tests that need two browsers open fresh
    contexts. What pages stored (cookies, local storage, IndexedDB) is cleared once none is open.
    """

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self._users = 0
        self._origins: set[str] = set()
        # The profile's first page stays open: clearing an origin's data goes through it.
        self._keeper = context.pages[0] if context.pages else context.new_page()
        self._cdp = context.new_cdp_session(self._keeper)
        context.on("request", self._seen)

    def _seen(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https"):
            self._origins.add(f"{parts.scheme}://{parts.netloc}")

    @contextmanager
    def pages(self) -> Iterator[Callable[..., Page]]:
        """Make pages (`make(width, height, scheme)`); they close when the block ends."""
        opened: list[Page] = []

        def make(
            width: int = DESKTOP["width"], height: int = DESKTOP["height"], scheme: str = "light"
        ) -> Page:
            page = self.context.new_page()
            page.set_viewport_size({"width": width, "height": height})
            page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
            opened.append(page)
            return page

        self._users += 1
        try:
            yield make
        finally:
            self._users -= 1
            for page in opened:
                page.close()
            if not self._users:
                self._forget()

    def _forget(self) -> None:
        """Close any page left (popups) and clear what pages stored; the caches stay."""
        for page in self.context.pages:
            if page is not self._keeper:
                page.close()
        self.context.clear_cookies()
        for origin in sorted(self._origins):
            self._cdp.send(
                "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORED_DATA}
            )
        self._origins.clear()
