"""A hostile Eomer API for the isolation bench: the job ID's prefix picks the attack, hits counted.

| job ID        | GET /jobs/{id} answers                                                         |
| ------------- | ------------------------------------------------------------------------------ |
| errbody-*     | 500 with 64 KiB of `<script` (a regex tag stripper once took seconds per body) |
| drip-*        | 200 headers, then one byte every 2 s: never done within the client's deadline  |
| visuals-*     | completed, 100 primary-visual PNG artifacts of 5 MB each (/blobs/{n}.png)      |
| brokenlinks-* | completed, 30 artifacts, plot, report and forecast whose links answer 500 in 1 s |
| manyartifacts-* | completed, 10,000 non-primary artifacts, each with a download_url             |
"""

from __future__ import annotations

import json
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness.serving import serving

ERROR_BODY = (b"<script" * (64 * 1024 // 7 + 1))[: 64 * 1024]
BLOB_BYTES = 5 * 1024 * 1024
VISUALS = 100
BROKEN_ARTIFACTS = 30
MANY_ARTIFACTS = 10_000
DRIP_SECONDS = 2.0
BROKEN_DELAY_SECONDS = 1.0
SMALL_CSV = b"item_id,timestamp,mean\na,2026-01-01,1.0\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def padded_png(size: int) -> bytes:
    """A valid 1x1 PNG of `size` bytes: the padding is a private ancillary chunk decoders skip."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    end = _chunk(b"IEND", b"")
    fixed = 8 + len(header) + len(pixels) + len(end) + 12
    padding = _chunk(b"paDd", b"\x00" * max(0, size - fixed))
    return b"\x89PNG\r\n\x1a\n" + header + padding + pixels + end


def _artifact(n: int, url: str, fmt: str, primary: bool) -> dict[str, object]:
    return {
        "artifact_id": f"artifact-{n}",
        "analysis": "forecast",
        "label": f"Artifact {n}",
        "format": fmt,
        "output_path": f"artifacts/{n}.{fmt}",
        "download_url": url,
        "embed_url": url if primary else None,
        "description": "",
        "render_inline": primary,
        "preview_markdown": "",
        "highlights": [],
        "display_order": n,
        "is_primary_visual": primary,
        "is_thumbnail": False,
    }


def _completed(job_id: str, artifacts: list[dict[str, object]], **links: str) -> bytes:
    explainability = {
        "enabled": True,
        "overview_markdown": "Hostile job.",
        "selected_analyses": ["forecast"],
        "completed_analyses": ["forecast"],
        "skipped_analyses": {},
        "warnings": [],
        "artifacts": artifacts,
    }
    job = {
        "job_id": job_id,
        "status": "completed",
        "created_at": "2026-01-01T00:00:00Z",
        "completed_at": "2026-01-01T00:01:00Z",
        "elapsed_seconds": 60.0,
        "num_items": 1,
        "prediction_length": 24,
        "explainability": explainability,
        **links,
    }
    return json.dumps(job).encode()


@lru_cache(maxsize=32)
def completed_job(base_url: str, job_id: str) -> bytes | None:
    """The JSON of a completed hostile job, or None when the ID names no such attack."""
    if job_id.startswith("visuals-"):
        visuals = [_artifact(n, f"{base_url}/blobs/{n}.png", "png", True) for n in range(VISUALS)]
        return _completed(job_id, visuals)
    if job_id.startswith("brokenlinks-"):
        broken = f"{base_url}/broken/{job_id}"
        artifacts = [
            _artifact(n, f"{broken}/{n}.png", "png", True) for n in range(BROKEN_ARTIFACTS)
        ]
        links = ("forecast_plot_url", "report_url", "explainability_url", "download_url")
        return _completed(job_id, artifacts, **{name: f"{broken}/{name}" for name in links})
    if job_id.startswith("manyartifacts-"):
        files = [
            _artifact(n, f"{base_url}/files/{n}.csv", "csv", False) for n in range(MANY_ARTIFACTS)
        ]
        return _completed(job_id, files)
    return None


class HostileServer(ThreadingHTTPServer):
    """The hostile API on a free loopback port; `hits` counts requests per path."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Hostile)
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.closing = threading.Event()  # ends every drip at once on shutdown
        self.blob = padded_png(BLOB_BYTES)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def hits_by_kind(self) -> Counter[str]:
        """Hits summed by what was asked: `/jobs/errbody`, `/blobs`, `/broken`, `/files`..."""
        with self.lock:
            counted = Counter[str]()
            for path, count in self.hits.items():
                parts = path.split("/")
                kind = "/".join(parts[:2])
                if parts[1:2] == ["jobs"] and len(parts) > 2:
                    kind += "/" + parts[2].split("-", 1)[0]
                counted[kind] += count
            return counted


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: HostileServer

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            self.server.hits[path] += 1
        try:
            self._answer(path)
        except OSError:
            self.close_connection = True  # the dashboard gave up and hung up: nothing to do

    def _answer(self, path: str) -> None:
        job_id = path.removeprefix("/jobs/") if path.startswith("/jobs/") else ""
        if job_id.startswith("errbody-"):
            self._send(500, "text/html; charset=utf-8", ERROR_BODY)
        elif job_id.startswith("drip-"):
            self._drip()
        elif (body := completed_job(self.server.base_url, job_id)) is not None:
            self._send(200, "application/json", body)
        elif path.startswith("/blobs/"):
            self._send(200, "image/png", self.server.blob)
        elif path.startswith("/files/"):
            self._send(200, "text/csv; charset=utf-8", SMALL_CSV)
        elif path.startswith("/broken/"):
            time.sleep(BROKEN_DELAY_SECONDS)  # the slowness is the attack
            self._send(500, "application/json", b'{"detail": "broken link"}')
        else:
            detail = {"detail": "Job not found", "error_code": "job_not_found"}
            self._send(404, "application/json", json.dumps(detail).encode())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while not self.server.closing.wait(DRIP_SECONDS):
            self.wfile.write(b"1\r\n \r\n")  # one byte of JSON whitespace
            self.wfile.flush()
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the bench reads the counters."""


@contextmanager
def hostile_api() -> Iterator[HostileServer]:
    """The server on a free loopback port for the duration of the block."""
    server = HostileServer()
    with serving(server, server.closing):
        yield server
