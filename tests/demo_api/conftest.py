"""Shared fixtures: one demo server per session, and an httpx client for it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from demo_api.server import start_background_server

DEMO_TOKEN = "demo-token"
OTHER_TOKEN = "other-token"
TOKENS = {DEMO_TOKEN: "demo", OTHER_TOKEN: "other"}


@pytest.fixture(scope="session")
def demo_url() -> str:
    """A demo API without faults, with a second tenant."""
    return start_background_server(tokens=TOKENS, upload_step_seconds=0.2)


@pytest.fixture
def api(demo_url: str) -> Iterator[httpx.Client]:
    """A client for the demo API authenticated as the demo tenant."""
    with httpx.Client(
        base_url=demo_url, headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, timeout=60
    ) as client:
        yield client


@pytest.fixture
def anonymous(demo_url: str) -> Iterator[httpx.Client]:
    """A client for the demo API that sends no token."""
    with httpx.Client(base_url=demo_url, timeout=60) as client:
        yield client
