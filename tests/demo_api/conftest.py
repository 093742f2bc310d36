"""Shared fixtures: one demo server per session on a manual clock, and httpx clients for it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from demo_api.server import DemoServer, start_demo_server
from demo_api.testing.clock import ManualClock
from tests.conftest import tls

DEMO_TOKEN = "demo-token"
OTHER_TOKEN = "other-token"
TOKENS = {DEMO_TOKEN: "demo", OTHER_TOKEN: "other"}
UPLOAD_STEP_SECONDS = 0.2


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    """A demo API without faults, with a second tenant; its jobs move only when tests say so."""
    # Every test of a worker uploads to this one server, and a busy machine fits slowly: the
    # default queue of four waiting fits turned a test's fifth quick upload into a 503 (the
    # queue's limit is proven by tests/demo_api/test_fits.py on a queue of its own).
    with start_demo_server(
        tokens=TOKENS,
        upload_step_seconds=UPLOAD_STEP_SECONDS,
        clock=ManualClock(),
        fit_waiting=64,
    ) as server:
        yield server


@pytest.fixture(scope="session")
def demo_url(demo_server: DemoServer) -> str:
    return demo_server.url


@pytest.fixture(scope="session")
def demo_clock(demo_server: DemoServer) -> ManualClock:
    """The session server's clock: advancing it moves every job of that server."""
    assert isinstance(demo_server.clock, ManualClock)
    return demo_server.clock


@pytest.fixture
def api(demo_url: str) -> Iterator[httpx.Client]:
    """A client for the demo API authenticated as the demo tenant."""
    with httpx.Client(
        base_url=demo_url,
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        timeout=60,
        verify=tls(),
    ) as client:
        yield client


@pytest.fixture
def anonymous(demo_url: str) -> Iterator[httpx.Client]:
    """A client for the demo API that sends no token."""
    with httpx.Client(base_url=demo_url, timeout=60, verify=tls()) as client:
        yield client
