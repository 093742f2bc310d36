"""Issue 20's figures: the server's health and memory while hostile files are uploaded.

For a quiet baseline (each page opened, nothing uploaded) and then each attack of
harness/upload_attacks.py (the 32 KB spreadsheet bomb, the regex CSV, a 2,000-column CSV) on each
page that takes files (/new, the viewer's attach, /compare's actuals), in a fresh browser
session: `/_stcore/health` latency polled every 100 ms (median, p95, max, failures), the RSS of
the dashboard process and its worker children (before, peak, after), the time to the page's
refusal and its first words. Issue 20's done-when: the process survives, memory under 1.5 GB,
health within 2 s throughout, every upload refused with a reason.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.load import percentile
from bench.load_sessions import MB, log, pause
from harness.browser import launch_chromium, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard
from harness.server_watch import HealthProbe, MemoryWatch, family_rss
from harness.upload_attacks import ATTACKS, PLACES, Attack, upload_and_wait_for_refusal

MAX_HEALTH_SECONDS = 2.0
MAX_MEMORY_BYTES = 1536 * MB
# A baseline phase lasts about as long as an upload phase does on an idle machine.
BASELINE_SECONDS = 5.0
UPLOADS = {"bomb": ATTACKS[0], "regex": ATTACKS[1], "wide": ATTACKS[2]}


@dataclass
class UploadPhase:
    """One page, one upload (or none): health latencies in seconds, memory in bytes."""

    name: str
    place: str
    health: list[float] = field(default_factory=list)
    failures: int = 0
    rss_before: int = 0
    rss_peak: int = 0
    rss_after: int = 0
    seconds: float = 0.0
    refusal: str = ""
    error: str = ""


def run_phase(
    browser: Browser, dashboard: Dashboard, place: str, attack: Attack | None
) -> UploadPhase:
    """Open `place` in a fresh session and upload `attack` (none: stay a baseline's while)."""
    phase = UploadPhase(attack.name if attack else "baseline", place)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pid = dashboard.process.pid
    phase.rss_before = family_rss(pid)
    started = time.monotonic()
    try:
        with HealthProbe(f"{dashboard.url}/_stcore/health") as probe, MemoryWatch(pid) as memory:
            page = context.new_page()
            if attack is None:
                page.goto(dashboard.url + PLACES[place][0])
                wait_for_app(page)
                pause(BASELINE_SECONDS)
            else:
                phase.refusal = upload_and_wait_for_refusal(page, dashboard.url, place, attack)
    except PlaywrightError as err:
        phase.error = err.message.splitlines()[0] if err.message else repr(err)
    finally:
        context.close()
    phase.seconds = time.monotonic() - started
    phase.health, phase.failures = probe.latencies, probe.failures
    phase.rss_peak, phase.rss_after = memory.peak, family_rss(pid)
    return phase


def warm_up(browser: Browser, dashboard: Dashboard) -> None:
    """Each page once, unmeasured: the demo warms up and the file readers start."""
    context = browser.new_context()
    page = context.new_page()
    for link, _, _ in PLACES.values():
        page.goto(dashboard.url + link)
        wait_for_app(page)
    context.close()


def measure_uploads(chosen: Sequence[Attack]) -> list[UploadPhase]:
    """One dashboard on its built-in demo, warmed up: baseline, each attack on each page, and
    the baseline again."""
    dashboard = start_dashboard()
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            warm_up(browser, dashboard)
            plan: list[Attack | None] = [None, *chosen, None]
            phases = []
            for attack in plan:
                for place in PLACES:
                    phases.append(run_phase(browser, dashboard, place, attack))
                    log(row(phases[-1]))
            browser.close()
        if dashboard.process.poll() is not None:
            phases[-1].error = f"the dashboard ended (exit status {dashboard.process.returncode})"
        return phases
    finally:
        stop_dashboard(dashboard)
        log(f"dashboard log: {dashboard.log_path}")


def met(phase: UploadPhase) -> bool:
    """Issue 20's done-when for one phase."""
    healthy = phase.failures == 0 and max(phase.health, default=0.0) < MAX_HEALTH_SECONDS
    refused = phase.name == "baseline" or bool(phase.refusal)
    return healthy and refused and not phase.error and phase.rss_peak < MAX_MEMORY_BYTES


HEADER = (
    f"{'upload':<17} {'page':<9} {'health p50':>10} {'p95':>5} {'max':>5} {'fail':>4} "
    f"{'RSS MB':>6} {'peak':>5} {'after':>5} {'s':>5}  {'done-when':<9}  refusal"
)


def row(phase: UploadPhase) -> str:
    """One phase under HEADER: health in ms, the server's and its workers' RSS in MB."""
    health = phase.health or [float("nan")]
    shown = " ".join(phase.refusal.split())[:70] or phase.error[:70] or "-"
    return (
        f"{phase.name:<17} {phase.place:<9} {1000 * percentile(health, 0.5):>10.0f} "
        f"{1000 * percentile(health, 0.95):>5.0f} {1000 * max(health):>5.0f} "
        f"{phase.failures:>4} {phase.rss_before / MB:>6.0f} {phase.rss_peak / MB:>5.0f} "
        f"{phase.rss_after / MB:>5.0f} {phase.seconds:>5.1f}  "
        f"{'met' if met(phase) else 'NOT MET':<9}  {shown}"
    )


def report_uploads(phases: Sequence[UploadPhase]) -> None:
    print(
        f"done-when: the dashboard survives, RSS (the server and its file readers) under "
        f"{MAX_MEMORY_BYTES / MB:.0f} MB, /_stcore/health every 100 ms within "
        f"{MAX_HEALTH_SECONDS:.0f} s without failure, every upload refused with a reason. "
        "Health in ms; s: the phase's seconds (upload to refusal)"
    )
    print("\n".join([HEADER, *(row(phase) for phase in phases)]))
    print("all met" if all(map(met, phases)) else "NOT all met")
