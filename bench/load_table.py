"""The load benchmark's table: what one step measures, its row, and the targets it is held to.

Both runs of `python3 -m bench.load` (one dashboard process, and replicas behind HAProxy) fill
the same StepResult and print it under the same HEADER.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bench.load_sessions import MB
from demo_api.seeded.scenarios import SCENARIO_IDS

# The two progressing jobs (pending, running) keep run_every on; the other 18 are terminal.
JOB_IDS = [
    SCENARIO_IDS[name]
    for name in sorted(SCENARIO_IDS, key=lambda n: (not n.endswith("_progressing"), n))[:20]
]
PROGRESS_SECONDS = 3600  # the progressing jobs finish at 2/3 and 3/3 of it: never during a run
TARGET_SESSIONS = 20
TARGET_P95_RERUN_SECONDS = 1.0
TARGET_MB_PER_SESSION = 30.0
# "Back near the start": at most 50 MB or 20 % above the step's start, whichever is larger.
AFTER_SLACK_MB = 50.0
AFTER_SLACK_RATIO = 0.2


def watchlist_url(base: str) -> str:
    """The watch list of JOB_IDS on the dashboard (or HAProxy) at `base`."""
    return f"{base}/watchlist?" + "&".join(f"job={job_id}" for job_id in JOB_IDS)


@dataclass
class StepResult:
    """The figures for one N; memory in bytes, CPU in seconds."""

    sessions: int
    load_seconds: list[float]
    rerun_seconds: list[float]
    errors: list[str]
    rss_start: int
    rss_peak: int
    rss_after: int
    cpu_seconds: float = 0.0
    opened: int = 0

    @property
    def mb_per_session(self) -> float:
        return (self.rss_peak - self.rss_start) / MB / max(1, self.opened)

    @property
    def cpu_ms_per_run(self) -> float:
        runs = len(self.load_seconds) + len(self.rerun_seconds)
        return 1000 * self.cpu_seconds / runs if runs else math.nan


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else math.nan


def misses(r: StepResult) -> list[str]:
    """The targets this step missed (no errors is asked up to TARGET_SESSIONS sessions)."""
    missed = []
    if r.errors and r.sessions <= TARGET_SESSIONS:
        missed.append(f"N={r.sessions}: {len(r.errors)} error(s)")
    if not percentile(r.rerun_seconds, 0.95) < TARGET_P95_RERUN_SECONDS:
        missed.append(f"N={r.sessions}: p95 rerun not under {TARGET_P95_RERUN_SECONDS} s")
    if not r.mb_per_session < TARGET_MB_PER_SESSION:
        missed.append(f"N={r.sessions}: memory per session not under {TARGET_MB_PER_SESSION} MB")
    if not r.rss_after <= r.rss_start + max(AFTER_SLACK_MB * MB, AFTER_SLACK_RATIO * r.rss_start):
        missed.append(f"N={r.sessions}: RSS after close not back near the start")
    return missed


HEADER = (
    f"{'N':>3} {'load p50':>8} {'load p95':>8} {'reruns':>6} {'rerun p50':>9} {'rerun p95':>9} "
    f"{'errors':>6} {'RSS start':>9} {'peak':>6} {'after':>6} {'after/start':>11} "
    f"{'MB/session':>10} {'CPU ms/run':>10}"
)


def row(r: StepResult) -> str:
    """One N's figures under HEADER: times in seconds, memory in MB."""
    load = r.load_seconds or [math.nan]
    return (
        f"{r.sessions:>3} {statistics.median(load):>8.2f} {percentile(load, 0.95):>8.2f} "
        f"{len(r.rerun_seconds):>6} {percentile(r.rerun_seconds, 0.5):>9.3f} "
        f"{percentile(r.rerun_seconds, 0.95):>9.3f} {len(r.errors):>6} "
        f"{r.rss_start / MB:>9.0f} {r.rss_peak / MB:>6.0f} {r.rss_after / MB:>6.0f} "
        f"{r.rss_after / max(r.rss_start, 1):>11.2f} {r.mb_per_session:>10.1f} "
        f"{r.cpu_ms_per_run:>10.0f}"
    )
