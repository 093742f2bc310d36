"""A recorder on another loopback address: every request it receives is a leak the tests catch."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Another loopback address, so the beacon is another origin than the API and the dashboard.
BEACON_HOST = "127.0.0.2"


@dataclass(frozen=True)
class Hit:
    """One request the beacon received."""

    method: str
    path: str
    headers: dict[str, str]


class _Recorder(BaseHTTPRequestHandler):
    server: _BeaconServer

    def _record(self) -> None:
        hit = Hit(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        with self.server.lock:
            self.server.hits.append(hit)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = _record

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the hits are the record."""


class _BeaconServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__((BEACON_HOST, 0), _Recorder)
        self.hits: list[Hit] = []
        self.lock = threading.Lock()


class Beacon:
    """A running recorder; `url` is "http://127.0.0.2:PORT", `hits()` what reached it so far."""

    def __init__(self) -> None:
        self._server = _BeaconServer()
        self.port = int(self._server.server_address[1])
        self.url = f"http://{BEACON_HOST}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"beacon-{self.port}", daemon=True
        )
        self._thread.start()

    def hits(self) -> list[Hit]:
        with self._server.lock:
            return list(self._server.hits)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
