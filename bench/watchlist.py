"""Watch list benchmark: 200 jobs behind 100 ms of API latency; refresh, rerun and request rate."""

from __future__ import annotations

import math
import statistics
import time
import uuid
from collections import Counter
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.jobs.watched_jobs import POLL_SECONDS, Watchlist
from eomer_client.client import EomerClient
from harness.slow_api import SlowJobsServer, slow_jobs_api

JOBS = 200
RUNNING = 5
LATENCY = 0.1
CONCURRENCY = 8
RERUNS = 15
TOKEN = "bench-token"
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def job_body(job_id: str, running: bool) -> dict[str, object]:
    created = datetime.now(UTC) - timedelta(minutes=30)
    size = 1 + int(job_id[:4], 16) % 400
    done = None if running else created + timedelta(seconds=size * 0.5)
    return {
        "job_id": job_id,
        "status": "running" if running else "completed",
        "created_at": created.isoformat(),
        "completed_at": done.isoformat() if done else None,
        "elapsed_seconds": None if running else size * 0.5,
        "num_items": size,
        "prediction_length": 24,
        "model_version": "bench",
        "config_hash": f"c{size % 7}",
        "dataset_hash": f"d{size % 5}",
    }


def serving(running: set[str]) -> AbstractContextManager[SlowJobsServer]:
    """The fake API: running jobs for `running`, completed ones for every other ID."""
    return slow_jobs_api(LATENCY, lambda job_id: job_body(job_id, job_id in running))


def full_refresh(client: EomerClient, ids: list[str]) -> float:
    started = time.perf_counter()
    results = client.get_jobs(ids, max_concurrency=CONCURRENCY)
    elapsed = time.perf_counter() - started
    failures = [job_id for job_id, r in results.items() if not hasattr(r, "status")]
    if failures:
        raise SystemExit(f"{len(failures)} jobs failed to load, e.g. {results[failures[0]]!r}")
    return elapsed


def requests_per_minute(
    server: SlowJobsServer, client: EomerClient, watchlist: Watchlist
) -> Counter[str]:
    """Drive the page's polling rule over one minute of fragment ticks; count hits server-side."""
    server.hits.clear()
    start = datetime.now(UTC)
    tick = 0.0
    while tick < 60:
        now = start + timedelta(seconds=tick)
        due = watchlist.due(now)
        if due:
            watchlist.record(client.get_jobs(due, max_concurrency=CONCURRENCY), now)
        tick += POLL_SECONDS
    return Counter(server.hits)


def median_rerun(ids: list[str], base_url: str) -> float:
    """Median AppTest run time of the whole app on the watch list, once every job has loaded."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["EOMER_API_URL"] = base_url
    at.secrets["EOMER_API_TOKEN"] = TOKEN
    at.run()
    at.query_params["job"] = ids
    at.switch_page("pages/watchlist.py").run()  # the first load fetches all 200
    timings = []
    for _ in range(RERUNS):
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception[0].message}")
    return statistics.median(timings)


def main() -> None:
    ids = [str(uuid.uuid4()) for _ in range(JOBS)]
    with serving(set(ids[:RUNNING])) as server, EomerClient(server.base_url, TOKEN) as client:
        target = 1.5 * math.ceil(JOBS / CONCURRENCY) * LATENCY
        took = full_refresh(client, ids)
        print(
            f"full refresh of {JOBS} jobs ({CONCURRENCY} concurrent, {LATENCY * 1000:.0f} ms "
            f"latency): {took:.2f} s (target <= {target:.2f} s): "
            f"{'OK' if took <= target else 'SLOW'}"
        )
        watchlist = Watchlist()
        watchlist.add(ids)
        watchlist.record(client.get_jobs(ids, max_concurrency=CONCURRENCY), datetime.now(UTC))
        hits = requests_per_minute(server, client, watchlist)
        polled = sorted(hits)
        only_running = set(polled) == set(ids[:RUNNING])
        print(
            f"API requests in one minute with {RUNNING} of {JOBS} running (poll every "
            f"{POLL_SECONDS:.0f} s): {sum(hits.values())} to {len(polled)} distinct jobs; "
            f"only the running ones polled: {only_running}"
        )
        rerun = median_rerun(ids, server.base_url)
        print(
            f"page median rerun with warm data ({JOBS} jobs, {RERUNS} AppTest runs): "
            f"{rerun * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
