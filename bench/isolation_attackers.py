"""bench.isolation's attacking sessions: what each types where, opened and pressing together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from bench.isolation_figures import Phase
from harness.browser import wait_for_app
from harness.dashboard import Dashboard

ATTACKER_TOKEN = "attacker-token"
LOAD_TIMEOUT_MS = 60_000


JOB_INPUT = "Job ID, job URL or POST /forecast JSON"


PASTE_INPUT = "Job IDs, job links or POST /forecast answers, any separators"


# Sidebar link -> the page's path and its title heading.
PAGES = {"Job": ("/", "Job"), "Watch list": ("/watchlist", "Watch list")}


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


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
