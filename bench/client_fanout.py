"""Benchmark get_jobs against a loopback server that answers each job after 100 ms.

Run from the repository root: python3 -m bench.client_fanout [--concurrency 16]

Prints the median wall time (of --runs runs) of get_jobs and of a sequential get_job loop,
their ratio, and get_jobs against the bound ceil(ids / concurrency) x delay. Exits 1 when
either target of issue 2 is missed: ratio <= 0.1, and get_jobs <= 1.5 x the bound.
The default concurrency is 16 because at 8 the ideal ratio is already 1/8 = 0.125 > 0.1.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import uuid
from collections.abc import Callable

from eomer_client.client import EomerClient
from eomer_client.models import Job
from harness.slow_api import slow_jobs_api


def running_job(job_id: str) -> dict[str, object]:
    return {"job_id": job_id, "status": "running"}


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def fan_out(client: EomerClient, ids: list[str], concurrency: int) -> None:
    results = client.get_jobs(ids, max_concurrency=concurrency)
    failures = [job_id for job_id, result in results.items() if not isinstance(result, Job)]
    if failures:
        raise SystemExit(f"get_jobs failed for {len(failures)} IDs, e.g. {results[failures[0]]}")


def sequential(client: EomerClient, ids: list[str]) -> None:
    for job_id in ids:
        client.get_job(job_id)


def medians(args: argparse.Namespace, base_url: str) -> tuple[list[float], list[float]]:
    ids = [str(uuid.uuid4()) for _ in range(args.ids)]
    parallel_runs: list[float] = []
    sequential_runs: list[float] = []
    with EomerClient(base_url, "bench-token") as client:
        fan_out(client, ids[:1], 1)  # warm-up: imports and the first connection
        for _ in range(args.runs):
            parallel_runs.append(timed(lambda: fan_out(client, ids, args.concurrency)))
            sequential_runs.append(timed(lambda: sequential(client, ids)))
    return parallel_runs, sequential_runs


def _runs(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def report(args: argparse.Namespace, parallel_runs: list[float], serial_runs: list[float]) -> bool:
    parallel, serial = statistics.median(parallel_runs), statistics.median(serial_runs)
    batches = math.ceil(args.ids / args.concurrency)
    bound = batches * args.delay
    ratio, over_bound = parallel / serial, parallel / bound
    passed = ratio <= 0.1 and over_bound <= 1.5
    print(
        f"client fan-out: {args.ids} job IDs, {args.delay * 1000:.0f} ms per answer, "
        f"max_concurrency={args.concurrency}, median of {args.runs} runs"
    )
    print(f"get_jobs   : {parallel:6.2f} s  (runs {_runs(parallel_runs)})")
    print(f"sequential : {serial:6.2f} s  (runs {_runs(serial_runs)})")
    print(f"ratio      : {ratio:6.3f}    (target <= 0.100)")
    print(
        f"bound      : ceil({args.ids}/{args.concurrency}) x {args.delay * 1000:.0f} ms = "
        f"{bound:.2f} s; get_jobs / bound = {over_bound:.2f} (target <= 1.50)"
    )
    print(f"result     : {'PASS' if passed else 'FAIL'}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ids", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with slow_jobs_api(args.delay, running_job) as server:
        parallel_runs, serial_runs = medians(args, server.base_url)
    return 0 if report(args, parallel_runs, serial_runs) else 1


if __name__ == "__main__":
    sys.exit(main())
