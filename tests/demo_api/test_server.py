"""A started server answers until closed; closing stops it and frees its port."""

from __future__ import annotations

import socket

import httpx
import pytest
from starlette.routing import Route

from demo_api.app import create_app
from demo_api.server import start_background_server, start_demo_server
from demo_api.settings import Settings
from demo_api.testing.clock import ManualClock


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_a_closed_server_refuses_connections_and_frees_its_port() -> None:
    server = start_demo_server()
    assert httpx.get(f"{server.url}/health", timeout=60).status_code == 200
    assert not _bindable(_port(server.url))
    server.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/health", timeout=5)
    assert _bindable(_port(server.url))
    server.close()  # a second close is harmless


def test_the_with_block_closes_the_server() -> None:
    with start_demo_server() as server:
        url = server.url
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/health", timeout=5)


def test_the_server_keeps_the_clock_it_was_given() -> None:
    clock = ManualClock()
    with start_demo_server(clock=clock) as server:
        assert server.clock is clock


def test_start_background_server_still_returns_a_url() -> None:
    # The one server of this suite that is never closed: living until exit is its contract.
    url = start_background_server()
    assert url.startswith("http://127.0.0.1:")
    assert httpx.get(f"{url}/health", timeout=60).status_code == 200


def test_every_route_is_built_before_the_app_serves() -> None:
    # A route built at a server's first request, in its thread, could meet a forecast fit
    # swapping the process-wide warning filters (demo_api.models.warning_filters); an included
    # router is such a route (FastAPI builds its routes at its first request).
    app = create_app(Settings(faults=True, hostile=True, warm_up=False))
    assert len(app.router.routes) > 30
    assert all(isinstance(route, Route) for route in app.router.routes)
