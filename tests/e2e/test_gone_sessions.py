"""A closed tab's work stops: its requests to a never-ending API end soon after it has gone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from harness.dashboard import Dashboard, start_dashboard, stop_dashboard
from harness.drip_api import DripServer, drip_server
from tests.e2e.steps import wait_until

pytestmark = pytest.mark.browser
# The client's own deadline for one job request: without the check the request lasts this long.
REQUEST_DEADLINE_SECONDS = 30.0


@pytest.fixture(scope="module")
def dripping() -> Iterator[tuple[DripServer, Dashboard]]:
    """A dashboard configured with an API that answers nothing, a byte every 50 ms."""
    with drip_server(drip_seconds=0.05) as server:
        env = {"EOMER_API_URL": server.url, "EOMER_API_TOKEN": "drip-token"}
        running = start_dashboard(env)
        yield server, running
        stop_dashboard(running)


def test_closing_the_tab_ends_its_requests_long_before_their_deadline(
    dripping: tuple[DripServer, Dashboard], browser: Browser
) -> None:
    server, dashboard = dripping
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{dashboard.url}/?job=endless-job")
    wait_until(lambda: server.open_now >= 1, "the page's request to the API", 30.0)
    context.close()
    ended_after = wait_until(
        lambda: server.open_now == 0, "the request to end", REQUEST_DEADLINE_SECONDS
    )
    # The request's next chunk (every 50 ms) sees the session gone; a third of the deadline
    # leaves room for a loaded machine and still fails if the request runs to its end.
    assert ended_after < REQUEST_DEADLINE_SECONDS / 3
    assert server.gone_early >= 1
