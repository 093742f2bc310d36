"""Steps the browser tests share: waiting on a condition, clicking until it holds, replicas."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Locator, Page

from deploy.haproxy_config import COOKIE_NAME
from harness.browser import wait_for_app

# How long a session may take to come back on the surviving replica after its own died.
FAILOVER_SECONDS = 10.0
# Records every change of the websocket's state and of the script's, so neither a drop and
# reconnect nor the page's fresh run on the survivor can go unseen (the old page stays drawn).
RECORDER = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__events = [];
  new MutationObserver(() => window.__events.push([
      app.getAttribute('data-test-connection-state'),
      app.getAttribute('data-test-script-state')])).observe(
    app, {attributes: true,
          attributeFilter: ['data-test-connection-state', 'data-test-script-state']});
}"""
# The websocket dropped and is connected again.
RECONNECTED = """() => {
  const events = window.__events;
  const dropped = events.findIndex(([conn]) => conn !== 'CONNECTED');
  return dropped >= 0 && events[events.length - 1][0] === 'CONNECTED';
}"""
# ... and after that a script run started and finished.
RAN_AFTER_RECONNECT = """() => {
  const events = window.__events;
  const dropped = events.findIndex(([conn]) => conn !== 'CONNECTED');
  const back = events.findIndex(([conn], i) => dropped >= 0 && i > dropped
    && conn === 'CONNECTED');
  const ran = events.findIndex(([, script], i) => back >= 0 && i >= back
    && script !== 'notRunning');
  const last = events[events.length - 1];
  return ran >= 0 && last[0] === 'CONNECTED' && last[1] === 'notRunning';
}"""


def wait_until(condition: Callable[[], object], what: str, seconds: float = 60.0) -> float:
    """Seconds until `condition()` held; fails naming `what` when `seconds` pass first."""
    started = time.monotonic()
    while not condition():
        elapsed = time.monotonic() - started
        assert elapsed < seconds, f"still waiting for {what} after {elapsed:.0f} s"
        time.sleep(0.05)  # polling a condition with a deadline, not waiting for time to pass
    return time.monotonic() - started


def click_until(
    page: Page, target: Locator, held: Callable[[], bool], what: str, seconds: float = 10.0
) -> None:
    """Click `target` once the page's run has ended, and again (twice at most) if `held()` is
    not true within `seconds`: on a busy machine (CI, a CPU hog on each core) a click met
    during a rerun was lost, and the page stayed as it was.
    """
    for _ in range(3):
        wait_for_app(page)
        if held():
            return
        target.click()
        try:
            wait_until(held, what, seconds)
            return
        except AssertionError:
            continue
    raise AssertionError(f"not {what} after three clicks")


def served_by(page: Page) -> str:
    """The replica HAProxy's cookie names for this browser context ("" without the cookie)."""
    cookies = {c.get("name"): c.get("value") for c in page.context.cookies()}
    return str(cookies.get(COOKIE_NAME, ""))
