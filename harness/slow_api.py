"""A fake Eomer API for benchmarks: GET /jobs/{id} answered after a set latency, hits counted."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness.serving import serving

# The job body to answer for a job ID.
JobBody = Callable[[str], dict[str, object]]


class SlowJobsServer(ThreadingHTTPServer):
    """Answers every GET /jobs/{id} with `body(id)` after `delay` seconds."""

    daemon_threads = True
    # The default backlog of 5 makes concurrent connects wait for SYN retries.
    request_queue_size = 128

    def __init__(self, delay: float, body: JobBody) -> None:
        super().__init__(("127.0.0.1", 0), _SlowJobs)
        self.delay, self.body = delay, body
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _SlowJobs(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, delayed ACKs add ~40 ms to each.
    disable_nagle_algorithm = True
    server: SlowJobsServer

    def do_GET(self) -> None:
        job_id = self.path.rsplit("/", 1)[-1]
        with self.server.lock:
            self.server.hits[job_id] += 1
        time.sleep(self.server.delay)  # the simulated service latency being measured against
        body = json.dumps(self.server.body(job_id)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: 1,000+ requests per run would drown the figures."""


@contextmanager
def slow_jobs_api(delay: float, body: JobBody) -> Iterator[SlowJobsServer]:
    """The server on a free loopback port for the duration of the block."""
    with serving(SlowJobsServer(delay, body)) as server:
        yield server
