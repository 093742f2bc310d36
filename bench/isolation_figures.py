"""A phase of bench.isolation: its figures, the CPU it took, and the table that compares them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import psutil

from bench.load import percentile
from bench.load_sessions import (
    MB,
)

TARGET_RERUN_P95_MS = 1000.0
TARGET_HEALTH_P95_MS = 200.0


@dataclass
class Phase:
    """One phase's figures: times in seconds, memory in bytes."""

    name: str
    waits: list[float] = field(default_factory=list)  # click to the run's end
    reruns: list[float] = field(default_factory=list)  # the script run ("running" to "notRunning")
    stuck: int = 0  # still running at RERUN_TIMEOUT_MS: in `waits` at that length
    lost: int = 0  # no run seen, page idle: not counted, pressed again
    health: list[float] = field(default_factory=list)
    health_failures: int = 0
    rss_before: int = 0
    rss_peak: int = 0
    rss_after: int = 0
    cpu_seconds: float = 0.0  # the dashboard's
    other_cpu: dict[str, float] = field(default_factory=dict)  # chromium's, this process's
    attackers: int = 0
    presses: int = 0
    seconds: float = 0.0
    hits: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def other_cpu(dashboard_pid: int) -> dict[tuple[str, int], float]:
    """CPU seconds so far of each chromium process (every attacker's page and the victim's) and
    of this one (the hostile API, the health probe, Playwright's client): the same two cores."""
    used = {}
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        try:
            kind = "bench" if process.pid == me.pid else process.name()
            if process.pid != dashboard_pid and kind in ("bench", "chromium"):
                times = process.cpu_times()
                used[kind, process.pid] = times.user + times.system
        except psutil.Error:
            continue  # a renderer that ended meanwhile
    return used


def cpu_since(
    before: dict[tuple[str, int], float], after: dict[tuple[str, int], float]
) -> dict[str, float]:
    """CPU seconds by kind between two readings, counting processes started meanwhile."""
    used: dict[str, float] = {}
    for (kind, pid), seconds in after.items():
        used[kind] = used.get(kind, 0.0) + seconds - before.get((kind, pid), 0.0)
    return used


def ms(values: Sequence[float], share: float) -> float:
    return 1000 * percentile(values, share)


def target_met(phase: Phase) -> bool:
    """Issue 13's target, on the rerun as a person waits for it (click to the run's end)."""
    wait_ok = ms(phase.waits, 0.95) < TARGET_RERUN_P95_MS
    return wait_ok and ms(phase.health, 0.95) < TARGET_HEALTH_P95_MS


HEADER = (
    f"{'phase':<14} {'att':>3} {'press':>5} {'n':>3} {'stuck':>5} {'lost':>4} "
    f"{'rerun p50':>9} {'p95':>5} {'/base':>5} {'run p50':>7} {'p95':>5} "
    f"{'health p50':>10} {'p95':>5} {'max':>5} {'/base':>5} {'fail':>4} "
    f"{'RSS MB':>6} {'peak':>5} {'after':>5} {'CPU s':>5}  target"
)


def row(phase: Phase, base: Phase) -> str:
    """One phase under HEADER: times in ms, ratios of p95 to the first baseline's p95."""
    wait_ratio = ms(phase.waits, 0.95) / ms(base.waits, 0.95)
    health_ratio = ms(phase.health, 0.95) / ms(base.health, 0.95)
    health_max = 1000 * max(phase.health, default=float("nan"))
    return (
        f"{phase.name:<14} {phase.attackers:>3} {phase.presses:>5} {len(phase.waits):>3} "
        f"{phase.stuck:>5} {phase.lost:>4} "
        f"{ms(phase.waits, 0.5):>9.0f} {ms(phase.waits, 0.95):>5.0f} {wait_ratio:>5.1f} "
        f"{ms(phase.reruns, 0.5):>7.0f} {ms(phase.reruns, 0.95):>5.0f} "
        f"{ms(phase.health, 0.5):>10.0f} {ms(phase.health, 0.95):>5.0f} {health_max:>5.0f} "
        f"{health_ratio:>5.1f} {phase.health_failures:>4} {phase.rss_before / MB:>6.0f} "
        f"{phase.rss_peak / MB:>5.0f} {phase.rss_after / MB:>5.0f} {phase.cpu_seconds:>5.1f}  "
        f"{'met' if target_met(phase) else 'not met'}"
    )


def report(phases: Sequence[Phase]) -> None:
    print(
        f"target: rerun p95 < {TARGET_RERUN_P95_MS:.0f} ms and health p95 < "
        f"{TARGET_HEALTH_P95_MS:.0f} ms. Times in ms. rerun: victim's click on Show job to the "
        "end of the run; run: the script run alone (running -> notRunning); /base: p95 over the "
        "first baseline's p95; att: attacker sessions; press: presses again on an idle attacker "
        "page; n: reruns timed; CPU s: the dashboard's"
    )
    print("\n".join([HEADER, *(row(p, phases[0]) for p in phases)]))
    for phase in phases:
        hits = ", ".join(f"{kind} {count}" for kind, count in sorted(phase.hits.items()))
        cpu = ", ".join(
            f"{kind} {phase.other_cpu.get(kind, 0.0):.1f}" for kind in ("chromium", "bench")
        )
        print(f"  {phase.name}: {phase.seconds:.0f} s; other CPU s: {cpu}")
        if hits:
            print(f"  {phase.name}: hostile API hits: {hits}")
        for error in phase.errors[:10]:
            print(f"  {phase.name}: {error}")
