"""Browser-test fixtures: `streamlit run app.py` as a subprocess and Debian's chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import ROOT

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
START_TIMEOUT_SECONDS = 60.0
SCREENSHOTS = ROOT / "docs" / "screenshots"
# Environment variables a clean dashboard process keeps: nothing that configures the app.
_KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dashboard:
    """A running `streamlit run app.py`; `output()` is its log so far, for failure reports."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def _wait_healthy(dashboard: Dashboard) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if dashboard.process.poll() is not None:
            break
        try:
            if httpx.get(f"{dashboard.url}/_stcore/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling the health condition above with a deadline
    raise RuntimeError(f"streamlit did not start; its output:\n{dashboard.output()}")


def start_dashboard(extra_env: Mapping[str, str] | None = None) -> Dashboard:
    """Start the dashboard on a free loopback port with a clean environment plus `extra_env`."""
    port = free_port()
    env = {key: os.environ[key] for key in _KEPT_ENV if key in os.environ}
    env.update(extra_env or {})
    log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    dashboard = Dashboard(f"http://127.0.0.1:{port}", process, log)
    _wait_healthy(dashboard)
    return dashboard


def stop_dashboard(dashboard: Dashboard) -> None:
    dashboard.process.terminate()
    try:
        dashboard.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        dashboard.process.kill()
        dashboard.process.wait()


@pytest.fixture(scope="module")
def dashboard(request: pytest.FixtureRequest) -> Iterator[Dashboard]:
    """The dashboard with nothing configured, so it runs on its built-in demo API."""
    running = start_dashboard()
    yield running
    failed = getattr(request.node, "failed_tests", 0)
    stop_dashboard(running)
    if failed:
        print(running.output())  # noqa: T201 - the server log explains browser failures


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Pages in fresh browser contexts (no shared cookies or storage), closed after the test."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def wait_for_app(page: Page, timeout_ms: float = 60_000) -> None:
    """Wait for Streamlit's "script finished" state, as Streamlit's own e2e tests do."""
    app = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(app).to_be_attached(timeout=timeout_ms)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """Count failures on the module so the dashboard fixture prints the server log."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.failed:
        module = item.parent
        if module is not None:
            module.failed_tests = getattr(module, "failed_tests", 0) + 1  # type: ignore[attr-defined]
