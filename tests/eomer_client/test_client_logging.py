"""What httpx, httpcore and the client log over real loopback sockets never contains the token."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eomer_client.client import EomerClient
from eomer_client.errors import ConnectError, NotFoundError, ServerError
from eomer_client.retry import RetryPolicy
from tests.eomer_client.conftest import TOKEN

ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/jobs/ok": (200, {}, json.dumps({"job_id": "ok", "status": "running"}).encode()),
    "/jobs/gone": (404, {}, b'{"detail": "Job not found", "error_code": "job_not_found"}'),
    "/jobs/broken": (500, {}, b"<h1>boom</h1>"),
    "/jobs/moved": (302, {"Location": "/elsewhere/moved"}, b""),
    "/elsewhere/moved": (200, {}, json.dumps({"job_id": "moved", "status": "failed"}).encode()),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        status, headers, body = ROUTES.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the client's logs, not the server's."""


@pytest.fixture
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_no_log_line_contains_the_token_on_success_or_failure(
    base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    policy = RetryPolicy(attempts=2, sleep=lambda seconds: None)
    with EomerClient(base_url, TOKEN, retry=policy) as client:
        assert client.get_job("ok").job_id == "ok"
        assert client.get_job("moved").job_id == "moved"
        assert client.fetch("/jobs/ok", max_bytes=1000).content_type == ""
        with pytest.raises(NotFoundError):
            client.get_job("gone")
        with pytest.raises(ServerError):
            client.get_job("broken")
    with (
        EomerClient(f"http://127.0.0.1:{closed_port()}", TOKEN, retry=policy) as client,
        pytest.raises(ConnectError),
    ):
        client.get_job("ok")
    # The capture saw httpx's INFO lines and httpcore's DEBUG lines, so the check means something.
    assert "HTTP Request: GET" in caplog.text
    assert "send_request_headers" in caplog.text
    assert TOKEN not in caplog.text
    assert "Bearer" not in caplog.text
