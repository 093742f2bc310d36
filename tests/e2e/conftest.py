"""Browser-test fixtures: the dashboard as a subprocess, Debian's chromium, logs on failure."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from harness.browser import DESKTOP, WarmPages, launch_chromium, launch_warm_profile, wait_for_app
from harness.dashboard import RUNNING, Dashboard, start_dashboard, stop_dashboard
from localserve.ports import free_port

__all__ = ["Dashboard", "free_port", "start_dashboard", "stop_dashboard", "wait_for_app"]

# How much of a server log a failure report shows: the end, where the failure is.
LOG_TAIL_CHARS = 40_000

# Playwright's 5 s default is shorter than one rerun on a shared two-core machine with two
# workers and their browsers: a page still drawing its later sections failed there, not a bug.
# A missing element still fails, only later.
EXPECT_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests write screenshots: a temporary folder unless a command asks for one.

    `python3 -m scripts.screenshots` sets EOMER_SCREENSHOT_DIR to refresh docs/screenshots/.
    """
    chosen = os.environ.get("EOMER_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def dashboard() -> Iterator[Dashboard]:
    """The dashboard with nothing configured, so it runs on its built-in demo API.

    One for the whole run: tests open their own browser contexts, so they share no session.
    """
    running = start_dashboard()
    yield running
    stop_dashboard(running)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium for tests whose pages need cookie jars of their own (fresh contexts)."""
    launched = launch_chromium(playwright)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def warm_pages(
    playwright: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WarmPages]:
    """Chromium on one profile per worker: its pages load from warm caches (see WarmPages)."""
    context = launch_warm_profile(playwright, tmp_path_factory.mktemp("chromium-profile"))
    yield WarmPages(context)
    context.close()


@pytest.fixture
def new_page(warm_pages: WarmPages) -> Iterator[Callable[[], Page]]:
    """Desktop pages on the warm profile (one browser to the dashboard), closed after the test."""
    with warm_pages.pages() as make:
        yield make


@pytest.fixture
def fresh_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Desktop pages each in a fresh context: a cookie jar of its own (signed-in analysts,
    HAProxy's replica cookie), no caches, and going offline touches no other page.
    """
    contexts = []

    def make() -> Page:
        context = browser.new_context(viewport=DESKTOP)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def server_log_sections() -> list[tuple[str, str]]:
    """The end of every running dashboard's log (its built-in demo API logs there too)."""
    return [
        (f"dashboard log {running.url}", running.output()[-LOG_TAIL_CHARS:]) for running in RUNNING
    ]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that take screenshots are the ones `python3 -m scripts.screenshots` runs.

    A browser module's tests run on one worker (`--dist loadgroup`): its module-scoped servers
    and windows start once, not once on each worker that picks up one of its tests.
    """
    for item in items:
        if "screenshots" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pictures)
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """A failing browser test carries the server logs in its own report, not at teardown."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if report.failed:
        report.sections.extend(server_log_sections())
