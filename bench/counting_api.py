"""A stand-in Eomer API for bench.load's shared-cache figures: two jobs, each asked counted."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A stand-in Eomer API for the shared-cache figures: one running job that never finishes, one
# completed job whose forecast file has 1,000,000 rows, and a count of GET /jobs/{id} per job.
RUNNING_JOB = "11111111-1111-4111-8111-111111111111"


BIG_JOB = "22222222-2222-4222-8222-222222222222"


class CountingApi:
    """A loopback API answering the two jobs above; `asked[job_id]` counts GET /jobs/{job_id}."""

    def __init__(self, forecast_csv: bytes) -> None:
        self.forecast_csv = forecast_csv
        self.asked: dict[str, int] = {RUNNING_JOB: 0, BIG_JOB: 0}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def count(self, job_id: str) -> int:
        with self._lock:
            return self.asked[job_id]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, path: str) -> tuple[int, str, bytes]:
        if path == f"/jobs/{BIG_JOB}/download":
            return 200, "text/csv", self.forecast_csv
        job_id = path.removeprefix("/jobs/")
        if job_id not in self.asked:
            return 404, "application/json", b'{"error": "job_not_found"}'
        with self._lock:
            self.asked[job_id] += 1
        status = "running" if job_id == RUNNING_JOB else "completed"
        body: dict[str, object] = {"job_id": job_id, "status": status}
        body["created_at"] = "2026-11-30T00:00:00Z"
        if status == "completed":
            body |= {"completed_at": "2026-11-30T00:02:00Z", "elapsed_seconds": 120.0}
        return 200, "application/json", json.dumps(body).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                code, kind, body = api._answer(self.path.split("?")[0])
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the benchmark prints its figures only

        return Handler
