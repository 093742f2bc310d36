"""A loopback API that holds every request open, dripping a byte at a time: tests and benches."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness.serving import serving


class DripServer(ThreadingHTTPServer):
    """Answers /jobs/{id} with a JSON job, but only after `release` is set; drips until then."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, drip_seconds: float) -> None:
        super().__init__(("127.0.0.1", 0), _Drip)
        self.drip_seconds = drip_seconds
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.open_now = 0
        self.most_open = 0
        self.gone_early = 0  # requests whose client hung up before the end

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def opened(self, change: int) -> None:
        with self.lock:
            self.open_now += change
            self.most_open = max(self.most_open, self.open_now)


class _Drip(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: DripServer

    def do_GET(self) -> None:
        self.server.opened(+1)
        try:
            self._answer()
        except OSError:
            with self.server.lock:
                self.server.gone_early += 1
        finally:
            self.server.opened(-1)

    def _answer(self) -> None:
        job_id = self.path.rsplit("/", 1)[-1]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while not self.server.release.wait(self.server.drip_seconds):
            self.wfile.write(b"1\r\n \r\n")  # one byte of JSON whitespace
            self.wfile.flush()
        body = json.dumps({"job_id": job_id, "status": "running"}).encode()
        self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read the counters."""


@contextmanager
def drip_server(drip_seconds: float = 0.05) -> Iterator[DripServer]:
    """The server on a free loopback port; released and closed after the block."""
    server = DripServer(drip_seconds)
    with serving(server, server.release):
        yield server
