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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import psutil
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.load import percentile
from bench.load_sessions import (
    MB,
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

TARGET_RERUN_P95_MS = 1000.0
TARGET_HEALTH_P95_MS = 200.0
LOAD_TIMEOUT_MS = 60_000
RERUN_TIMEOUT_MS = 30_000  # a rerun stuck this long is counted at this length
WARM_UP_RERUNS = 3
ATTACKER_TOKEN = "attacker-token"
JOB_INPUT = "Job ID, job URL or POST /forecast JSON"
PASTE_INPUT = "Job IDs, job links or POST /forecast answers, any separators"
# Sidebar link -> the page's path and its title heading.
PAGES = {"Job": ("/", "Job"), "Watch list": ("/watchlist", "Watch list")}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The time of the latest click, on the same clock as RECORDER_JS's runs.
CLICK_JS = (
    "document.addEventListener('click', () => { window.__click = performance.now(); }, true);"
)


@dataclass(frozen=True)
class Attack:
    """What each attacker session types on which page, and the button that starts it.

    A watch list keeps polling by itself; on the job page (and for a paste) the attacker presses
    the button again whenever its page is idle, so the attack lasts the whole phase.
    """

    name: str
    link: str
    sessions: int
    text: Callable[[int], str]  # session number -> what that session types
    again: bool = True

    @property
    def field(self) -> str:
        return JOB_INPUT if self.link == "Job" else PASTE_INPUT

    @property
    def button(self) -> str:
        return "Show job" if self.link == "Job" else "Add to watch list"


def _ids(prefix: str) -> Callable[[int], str]:
    return lambda s: " ".join(f"{prefix}-{s}-{n}" for n in range(10))


def attacks(drip_sessions: int) -> dict[str, Attack]:
    """Every attack by name, in the order they run."""
    return {
        a.name: a
        for a in (
            Attack("errbody", "Watch list", 1, _ids("errbody"), again=False),
            Attack("drip", "Watch list", drip_sessions, _ids("drip"), again=False),
            Attack("visuals", "Job", 1, lambda s: f"visuals-{s}"),
            Attack("brokenlinks", "Job", 1, lambda s: f"brokenlinks-{s}"),
            Attack("manyartifacts", "Job", 1, lambda s: f"manyartifacts-{s}"),
            Attack("paste", "Watch list", 1, lambda s: "[ " * 100_000),
        )
    }


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


def first_line(err: PlaywrightError) -> str:
    return err.message.splitlines()[0] if err.message else repr(err)


def go_to(page: Page, link: str) -> None:
    """Follow a sidebar link: client-side navigation keeps the session and its typed token."""
    path, heading = PAGES[link]
    if urlsplit(page.url).path != path:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
        page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=LOAD_TIMEOUT_MS)
    wait_for_app(page)


def type_and_enter(page: Page, label: str, text: str) -> None:
    """Fill a text field and press Enter; the next step waits for whatever it needs."""
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")


@dataclass
class Attacker:
    """One attacker session, numbered within its phase."""

    number: int
    context: BrowserContext
    page: Page


def prepare_attackers(
    browser: Browser, dashboard: Dashboard, api_url: str, attack: Attack, phase: Phase
) -> list[Attacker]:
    """Sessions connected to the hostile API, the attack typed in; step by step across all of
    them, so their pages load together. A session that fails a step is closed and named."""
    ready: list[Attacker] = []
    try:
        for n in range(attack.sessions):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            ready.append(Attacker(n, context, context.new_page()))
    except PlaywrightError as err:
        phase.errors.append(f"attacker {len(ready)} not opened: {first_line(err)}")
    steps: list[Callable[[Attacker], object]] = [
        lambda a: a.page.goto(dashboard.url, wait_until="commit", timeout=LOAD_TIMEOUT_MS),
        lambda a: wait_for_app(a.page, LOAD_TIMEOUT_MS),
        lambda a: a.page.get_by_test_id("stSidebar").get_by_text("Custom URL").click(),
        lambda a: type_and_enter(a.page, "API URL", api_url),
        lambda a: type_and_enter(a.page, "API token", ATTACKER_TOKEN),
        lambda a: go_to(a.page, attack.link),
    ]
    for step_number, step in enumerate(steps):
        for attacker in list(ready):
            try:
                step(attacker)
            except PlaywrightError as err:
                phase.errors.append(
                    f"attacker {attacker.number} step {step_number}: {first_line(err)}"
                )
                attacker.context.close()
                ready.remove(attacker)
    return ready


def press(attacker: Attacker, attack: Attack) -> None:
    """Type the attack and press its button, without waiting for the page to finish."""
    attacker.page.get_by_label(attack.field, exact=True).fill(attack.text(attacker.number))
    attacker.page.get_by_role("button", name=attack.button).click()


def pressing(
    attackers: Sequence[Attacker], attack: Attack | None, phase: Phase
) -> Callable[[], None]:
    """What to do between the victim's reruns: press again on idle attacker pages, or nothing."""
    if attack is None or not attack.again:
        return lambda: None
    return lambda: press_idle(attackers, attack, phase)


def press_idle(attackers: Sequence[Attacker], attack: Attack, phase: Phase) -> None:
    """Press again on each attacker page whose last run has finished."""
    for attacker in attackers:
        try:
            if attacker.page.locator(IDLE).count():
                press(attacker, attack)
                phase.presses += 1
        except PlaywrightError as err:
            phase.errors.append(f"attacker {attacker.number} press: {first_line(err)}")


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
