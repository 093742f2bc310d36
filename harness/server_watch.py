"""Watching a running dashboard from outside: its health latency, and the memory of its process
tree (the server and its file-reading workers), each sampled in a thread."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import httpx
import psutil

HEALTH_INTERVAL_SECONDS = 0.1
HEALTH_TIMEOUT_SECONDS = 10.0
MEMORY_INTERVAL_SECONDS = 0.2


class HealthProbe:
    """GETs the health endpoint every HEALTH_INTERVAL_SECONDS in a thread, keeping latencies."""

    def __init__(self, url: str) -> None:
        self.url, self.latencies, self.failures = url, list[float](), 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health-probe", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=HEALTH_TIMEOUT_SECONDS) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    ok = client.get(self.url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.latencies.append(time.monotonic() - started)
                self.failures += not ok
                self._stop.wait(max(0.0, HEALTH_INTERVAL_SECONDS - (time.monotonic() - started)))

    def stop(self) -> tuple[list[float], int]:
        self._stop.set()
        self._thread.join(timeout=HEALTH_TIMEOUT_SECONDS + 1)
        return self.latencies, self.failures

    def __enter__(self) -> HealthProbe:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def family_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 once it is gone)."""
    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for member in family:
        try:
            total += int(member.memory_info().rss)
        except psutil.NoSuchProcess:
            continue  # a worker replaced meanwhile
    return total


class MemoryWatch:
    """The peak of `family_rss(pid)`, sampled every MEMORY_INTERVAL_SECONDS in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.first = self.peak = family_rss(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(MEMORY_INTERVAL_SECONDS):
            self.peak = max(self.peak, family_rss(self.pid))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join(timeout=5)
        self.peak = max(self.peak, family_rss(self.pid))
        return self.peak

    def __enter__(self) -> MemoryWatch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
