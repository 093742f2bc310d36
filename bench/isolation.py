"""Isolation: hostile uploads, and hostile APIs, against one dashboard, timed from outside.

`python3 -m bench.isolation` (issue 20) uploads the spreadsheet bomb, the regex CSV and a
2,000-column CSV on /new, the viewer's attach and /compare's actuals, beside a quiet baseline,
and prints `/_stcore/health` latency (polled every 100 ms) and the RSS of the dashboard and its
file-reading workers for each (bench/upload_isolation.py); `--uploads bomb,regex` picks some.

`python3 -m bench.isolation --attacks all` (or `--attacks errbody,drip,...`, with `--reruns 20`
`--drip-sessions 10`; issue 13) prints, while attacker sessions use a hostile API, for a
no-attack baseline and then each attack (harness/hostile_api.py, plus a huge paste), the victim's
page rerun (the built-in demo's richest job, "Show job" pressed again and again: click to the
run's end, and the script run alone, both timed in its browser) median and p95, health latency,
their ratio to the baseline, server RSS and CPU, and the hostile API's hits. Issue 13's target:
rerun p95 under 1 s and health p95 under 200 ms during every attack.

Given --attacks alone, only those run. It exits non-zero only if it could not run."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import psutil
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.isolation_attackers import (
    LOAD_TIMEOUT_MS,
    Attack,
    Attacker,
    attacks,
    first_line,
    prepare_attackers,
    press,
    pressing,
)
from bench.isolation_figures import Phase, cpu_since, other_cpu, report, row
from bench.load_sessions import (
    RECORDER_JS,
    SESSION_TTL_SECONDS,
    PeakSampler,
    log,
    server_usage,
)
from bench.upload_isolation import UPLOADS, measure_uploads, report_uploads
from demo_api.seeded.scenarios import SCENARIO_IDS
from harness.browser import launch_chromium, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard
from harness.hostile_api import HostileServer, hostile_api
from harness.server_watch import HealthProbe

RERUN_TIMEOUT_MS = 30_000  # a rerun stuck this long is counted at this length
WARM_UP_RERUNS = 3
# The time of the latest click, on the same clock as RECORDER_JS's runs.
CLICK_JS = (
    "document.addEventListener('click', () => { window.__click = performance.now(); }, true);"
)


def open_victim(browser: Browser, dashboard: Dashboard) -> Page:
    """The built-in demo's richest job page, its runs recorded in the page (RECORDER_JS)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.add_init_script(RECORDER_JS)
    page.add_init_script(CLICK_JS)
    page.goto(f"{dashboard.url}/?job={SCENARIO_IDS['completed_full']}", timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("heading", name="Explainability").wait_for(timeout=LOAD_TIMEOUT_MS)
    wait_for_app(page, LOAD_TIMEOUT_MS)
    time_reruns(page, WARM_UP_RERUNS, Phase("warm-up"))
    return page


def time_reruns(
    page: Page, count: int, phase: Phase, between: Callable[[], None] = lambda: None
) -> None:
    """Press "Show job" until `count` reruns are timed: click to the run's end (what a person
    waits, queueing on the server included) and the script run itself, both in the browser."""
    while len(phase.waits) < count and phase.lost <= count:
        before: int = page.evaluate("window.__load.runs.length")
        page.get_by_role("button", name="Show job").click(timeout=RERUN_TIMEOUT_MS)
        try:
            page.wait_for_function(
                f"window.__load.runs.length > {before}", timeout=RERUN_TIMEOUT_MS
            )
        except PlaywrightError:
            _not_finished(page, phase)
            continue
        timing: list[float] = page.evaluate(f"[window.__click, ...window.__load.runs[{before}]]")
        phase.waits.append((timing[2] - timing[0]) / 1000)
        phase.reruns.append((timing[2] - timing[1]) / 1000)
        between()
        page.wait_for_timeout(100)  # a person's pause; also lets Playwright deliver page events


def _not_finished(page: Page, phase: Phase) -> None:
    """Still running: counted at the timeout. Idle: the click or the run's states went unseen
    (a starved browser can take "running" and "notRunning" in one render); pressed again."""
    state = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
    if state == "notRunning":
        phase.lost += 1
        return
    phase.errors.append(f"victim: a rerun still {state} after {RERUN_TIMEOUT_MS / 1000:.0f} s")
    phase.stuck += 1
    phase.waits.append(RERUN_TIMEOUT_MS / 1000)
    wait_for_app(page, RERUN_TIMEOUT_MS)


def victim_problems(page: Page) -> list[str]:
    """Errors shown on the victim's page and websocket drops so far (then forgotten)."""
    state: dict[str, Any] = page.evaluate(
        "(() => { const r = window.__load; const out = {problems: r.problems, "
        "disconnects: r.disconnects}; r.problems = []; r.disconnects = []; return out; })()"
    )
    shown = [f"victim page shows: {text}" for text in state["problems"]]
    return shown + [f"victim websocket {s}" for s in state["disconnects"]]


def run_phase(
    browser: Browser,
    dashboard: Dashboard,
    hostile: HostileServer,
    victim: Page,
    name: str,
    attack: Attack | None,
    reruns: int,
) -> Phase:
    """Prepare the attackers; from the attack's start, time the victim and health, and count
    the server's memory and CPU and the hostile API's hits."""
    phase, pid = Phase(name), dashboard.process.pid
    attackers: list[Attacker] = []
    if attack is not None:
        attackers = prepare_attackers(browser, dashboard, hostile.base_url, attack, phase)
    phase.rss_before, cpu_before = server_usage(pid)
    other_before = other_cpu(pid)
    hits_before = hostile.hits_by_kind()
    sampler = PeakSampler(pid)
    started = time.monotonic()
    try:
        if attack is not None:
            for attacker in attackers:
                press(attacker, attack)
        phase.attackers = len(attackers)
        probe = HealthProbe(f"{dashboard.url}/_stcore/health")
        try:
            time_reruns(victim, reruns, phase, pressing(attackers, attack, phase))
        finally:
            phase.health, phase.health_failures = probe.stop()
        phase.errors += victim_problems(victim)
    except PlaywrightError as err:
        phase.errors.append(f"{name}: {first_line(err)}")
    finally:
        phase.rss_after, cpu_after = server_usage(pid)
        phase.cpu_seconds = cpu_after - cpu_before
        phase.other_cpu = cpu_since(other_before, other_cpu(pid))
        phase.hits = hostile.hits_by_kind() - hits_before
        for attacker in attackers:
            attacker.context.close()
        phase.rss_peak = sampler.stop()
        phase.seconds = time.monotonic() - started
    return phase


def measure(chosen: Sequence[Attack], reruns: int) -> list[Phase]:
    """One hostile API and one dashboard; baseline, each attack, baseline again."""
    with hostile_api() as hostile, sync_playwright() as playwright:
        env = {"EOMER_ALLOWED_API_ORIGINS": hostile.base_url}
        # Closed attacker tabs are dropped after 5 s instead of 120 s: by the time the next
        # phase's attackers are ready, the last phase's sessions are gone.
        env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(SESSION_TTL_SECONDS)
        dashboard = start_dashboard(env)
        browser = launch_chromium(playwright)
        try:
            victim = open_victim(browser, dashboard)
            plan: list[tuple[str, Attack | None]] = [("baseline", None)]
            plan += [(a.name, a) for a in chosen] + [("baseline (end)", None)]
            phases = []
            for name, attack in plan:
                phases.append(run_phase(browser, dashboard, hostile, victim, name, attack, reruns))
                log(f"{row(phases[-1], phases[0])} ({phases[-1].seconds:.0f} s)")
            return phases
        finally:
            browser.close()
            stop_dashboard(dashboard)
            log(f"dashboard log: {dashboard.log_path}")


def _chosen(parser: argparse.ArgumentParser, raw: str, every: Sequence[str]) -> list[str]:
    names = list(every) if raw == "all" else [n.strip() for n in raw.split(",") if n.strip()]
    unknown = [name for name in names if name not in every]
    if unknown:
        parser.error(f"unknown name(s) {', '.join(unknown)}; choose from {', '.join(every)}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.isolation", description=__doc__)
    parser.add_argument("--uploads", default=None, help="bomb,regex,wide (default: all)")
    parser.add_argument("--attacks", default="", help="hostile-API attacks: all, or a subset")
    parser.add_argument("--reruns", type=int, default=20, help="victim reruns per phase")
    parser.add_argument("--drip-sessions", type=int, default=10, help="attackers for drip")
    args = parser.parse_args(argv)
    every = attacks(args.drip_sessions)
    names = _chosen(parser, args.attacks, list(every))
    default_uploads = "" if names and args.uploads is None else "all"
    uploads = _chosen(parser, args.uploads or default_uploads, list(UPLOADS))
    started, load_at_start = time.monotonic(), psutil.getloadavg()
    log(f"load average at start {load_at_start}")
    try:
        if uploads:
            report_uploads(measure_uploads([UPLOADS[name] for name in uploads]))
        if names:
            report(measure([every[name] for name in names], args.reruns))
    except (PlaywrightError, RuntimeError) as err:
        print(f"could not run: {err}", file=sys.stderr)
        return 1
    load = " -> ".join(
        f"{a[0]:.1f}/{a[1]:.1f}/{a[2]:.1f}" for a in (load_at_start, psutil.getloadavg())
    )
    print(f"load average (1/5/15 min) {load}; {time.monotonic() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
