"""p50/p95 latency of the demo API's GET /jobs/{id} on loopback over one keep-alive client."""

from __future__ import annotations

import argparse
import statistics
import time

import httpx

from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server


def measure(base: str, job_id: str, requests: int) -> list[float]:
    """Milliseconds per request, after a warm-up request that fills the server's caches."""
    with httpx.Client(base_url=base, headers={"Authorization": "Bearer demo-token"}) as client:
        client.get(f"/jobs/{job_id}").raise_for_status()
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(f"/jobs/{job_id}").raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--scenario", action="append", default=None)
    args = parser.parse_args()
    base = start_background_server()
    for name in args.scenario or ["completed_full", "failed_timeout", "many_artifacts"]:
        timings = measure(base, SCENARIO_IDS[name], args.requests)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"GET /jobs/{{id}} {name}: n={len(timings)} p50={p50:.2f} ms p95={p95:.2f} ms")


if __name__ == "__main__":
    main()
