"""A loopback HTTP server that records every request it gets, for tests that hunt leaked tokens.

It stands for an API a viewer types as Custom URL (answering 404 to everything), or for the
internet behind a proxy (`HTTPS_PROXY` pointing at it: every CONNECT tunnel is refused, so a
request to a public API never leaves the machine and carries nothing but its host name).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

# Another loopback address than the dashboard's, so the recorder is another origin.
RECORDER_HOST = "127.0.0.2"
# Bodies beyond this are cut: the recorder only needs to see what was sent, not keep uploads.
MAX_BODY_BYTES = 1024 * 1024
_NOT_FOUND = b'{"detail": "Not found"}'


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived: request line, headers and body."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def raw(self) -> bytes:
        """Everything the request carried, to search for a secret in any spelling of it."""
        lines = [f"{self.method} {self.target}", *(f"{k}: {v}" for k, v in self.headers)]
        return "\n".join(lines).encode("utf-8", "replace") + b"\n\n" + self.body


class _Handler(BaseHTTPRequestHandler):
    server: _RecordingServer

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MAX_BODY_BYTES)) if length > 0 else b""
        recorded = Recorded(self.command, self.path, tuple(self.headers.items()), body)
        with self.server.lock:
            self.server.requests.append(recorded)
        if self.command == "CONNECT":
            self.send_response(403, "Tunnels refused by the test recorder")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(_NOT_FOUND)))
        self.end_headers()
        self.wfile.write(_NOT_FOUND)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_CONNECT = _record

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the recorded requests are the record."""


class _RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str) -> None:
        super().__init__((host, 0), _Handler)
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()


class Recorder:
    """A running recorder at `url` (`http://127.0.0.2:PORT`); a context manager closes it."""

    def __init__(self, host: str = RECORDER_HOST) -> None:
        self._server = _RecordingServer(host)
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"recorder-{self.url}", daemon=True
        )
        self._thread.start()

    def requests(self) -> list[Recorded]:
        with self._server.lock:
            return list(self._server.requests)

    def holding(self, secret: str) -> list[Recorded]:
        """The requests that carried `secret` anywhere (line, headers or body)."""
        return [request for request in self.requests() if secret.encode() in request.raw()]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
