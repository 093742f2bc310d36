"""Hostile jobs in a real browser: nothing runs, nothing leaves, the token shows up nowhere."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
from playwright.sync_api import (
    Browser,
    Dialog,
    Locator,
    Page,
    Request,
    WebSocket,
    expect,
)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from demo_api.server import start_background_server
from demo_api.testing.beacon import Beacon
from demo_api.testing.hostile_scenarios import HOSTILE_SCENARIOS, hostile_ids
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard

pytestmark = pytest.mark.browser

SENTINEL = f"sentinel-{secrets.token_hex(12)}"
TITLE = "Eomer jobs"
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Job IDs pasted into the link: reflected on the page, never run.
REFLECTED_JOB_IDS = (
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "javascript:alert(1)",
    "![i](http://127.0.0.2:9/job-id.png)",
    "%3Cscript%3Ealert(1)%3C/script%3E",
)
# Everything a frame exposes that a successful attack would change or add.
_SCAN_FRAME = """() => {
  const attrs = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) attrs.push([tag, a.name.toLowerCase(), a.value]);
  }
  const links = [...document.querySelectorAll('a, area')].map(a => typeof a.href === 'string'
    ? a.href : (a.href && a.href.baseVal) || a.getAttribute('xlink:href') || '');
  return {pwned: window.__pwned ?? null, title: document.title, links, attrs,
          text: document.documentElement.outerHTML};
}"""
# Drawn: every Plotly chart has its SVG and inline images, and every image has loaded or failed.
# (Plotly removes a linked image that fails, so only the inline ones are sure to stay.)
_RENDERED = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(chart => chart.querySelector('.main-svg'))
  && [...document.querySelectorAll('.js-plotly-plot')].every(plot => plot._fullLayout
    && plot.querySelectorAll('.imagelayer image').length >= (plot._fullLayout.images || [])
      .filter(image => String(image.source).startsWith('data:')).length)
  && [...document.images].every(image => image.complete)"""
QUIET_SECONDS = 30.0
_SCRIPT_VALUE = re.compile(r"^[\s\x00-\x20]*(javascript|vbscript|data:text/html)", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "xlink:href", "src", "action", "formaction", "poster"})


@dataclass
class HostileSite:
    """The beacon, the hostile demo API, and the dashboard pointed at it with the sentinel."""

    beacon: Beacon
    api: str
    dashboard: Dashboard
    own_outside_requests: set[str] = field(default_factory=set)


@dataclass
class Watch:
    """What one page did: dialogs, popups, requests and websocket traffic."""

    dialogs: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)
    beacon_hits_before: int = 0
    requests: list[Request] = field(default_factory=list)
    pending: set[Request] = field(default_factory=set)
    # Requests the page's Content-Security-Policy stopped before they left the browser.
    blocked: set[Request] = field(default_factory=set)
    socket_frames: list[bytes] = field(default_factory=list)
    finished_runs: int = 0


def _own_outside_requests(browser: Browser, dashboard: Dashboard) -> set[str]:
    """What the dashboard's empty job page asks of other origins, with no job involved."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda req: requests.append(req.url))
    page = context.new_page()
    page.goto(dashboard.url)
    wait_for_app(page)
    expect(page.get_by_label(re.compile("Job ID"))).to_be_visible()
    context.close()
    own = (dashboard.url, "data:", "blob:", "about:")
    return {url for url in requests if not url.startswith(own)}


@pytest.fixture(scope="module")
def site(browser: Browser) -> Iterator[HostileSite]:
    beacon = Beacon()
    api = start_background_server(
        faults=True, hostile=True, tokens={SENTINEL: "demo"}, hostile_beacon_url=beacon.url
    )
    dashboard = start_dashboard({"EOMER_API_URL": api, "EOMER_API_TOKEN": SENTINEL})
    own = _own_outside_requests(browser, dashboard)
    yield HostileSite(beacon, api, dashboard, own)
    stop_dashboard(dashboard)
    beacon.close()


def _on_dialog(watch: Watch, dialog: Dialog) -> None:
    watch.dialogs.append(f"{dialog.type}: {dialog.message}")
    dialog.dismiss()


def _on_request(watch: Watch, request: Request) -> None:
    watch.requests.append(request)
    watch.pending.add(request)


def _on_failed(watch: Watch, request: Request) -> None:
    watch.pending.discard(request)
    if request.failure == "csp":
        watch.blocked.add(request)


def _finishes_a_run(frame: bytes) -> bool:
    try:
        message = ForwardMsg.FromString(frame)
    except DecodeError:
        return False
    return bool(message.WhichOneof("type") == "script_finished")


def _on_socket(watch: Watch, socket: WebSocket) -> None:
    def sent(payload: str | bytes) -> None:
        watch.socket_frames.append(payload.encode() if isinstance(payload, str) else payload)

    def received(payload: str | bytes) -> None:
        sent(payload)
        # Streamlit's own message says when a run ends: nothing else is as reliable.
        if isinstance(payload, bytes) and _finishes_a_run(payload):
            watch.finished_runs += 1

    socket.on("framereceived", received)
    socket.on("framesent", sent)


@pytest.fixture
def watched(warm_pages: WarmPages, site: HostileSite) -> Iterator[tuple[Page, Watch]]:
    """A page whose every dialog, popup, request and socket frame is kept.

    Playwright reports a request the profile's cache answers as any other, so a warm page
    hides none; no other page is open beside it in the profile.
    """
    with warm_pages.pages() as make:
        page = make()
        watch = Watch(beacon_hits_before=len(site.beacon.hits()))
        page.on("popup", lambda popup: watch.popups.append(popup.url))
        page.on("request", lambda req: _on_request(watch, req))
        page.on("requestfinished", lambda req: watch.pending.discard(req))
        page.on("requestfailed", lambda req: _on_failed(watch, req))
        page.on("dialog", lambda dialog: _on_dialog(watch, dialog))
        page.on("websocket", lambda socket: _on_socket(watch, socket))
        yield page, watch


def _poll(page: Page, condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        page.wait_for_timeout(50)  # lets Playwright deliver the events the condition reads


def _click_and_rerun(page: Page, watch: Watch, target: Locator) -> None:
    runs = watch.finished_runs
    target.click()
    _poll(page, lambda: watch.finished_runs > runs, 60, "the rerun after a click")
    wait_for_page_end(page)


def _open_switches(page: Page, watch: Watch) -> None:
    # The label takes the click: the switch's input itself sits under it.
    closed = page.locator("label:has(input[role='switch']:not(:checked))")
    for _ in range(30):
        if closed.count() == 0:
            return
        _click_and_rerun(page, watch, closed.first)


def _press_until_gone(page: Page, watch: Watch, name: re.Pattern[str]) -> None:
    for _ in range(30):
        buttons = page.get_by_role("button", name=name)
        if buttons.count() == 0:
            return
        _click_and_rerun(page, watch, buttons.first)


def _press_each_once(page: Page, watch: Watch, name: re.Pattern[str]) -> None:
    # A pressed button stays drawn until the run after its own, so each is pressed once by label.
    labels = page.get_by_role("button", name=name).locator("p").all_inner_texts()
    for label in dict.fromkeys(labels):
        button = page.get_by_role("button", name=label, exact=True)
        if button.count():
            _click_and_rerun(page, watch, button.first)


def wait_for_page_end(page: Page) -> None:
    """A finished job's page is drawn down to its last section."""
    details = page.get_by_role("heading", name="Details", exact=True)
    expect(details).to_be_visible(timeout=60_000)
    connected = page.locator('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    expect(connected).to_be_attached(timeout=60_000)
    wait_for_app(page)
    if page.get_by_role("heading", name="Downloads", exact=True).count():
        offers = page.get_by_role("button", name=re.compile("^(Prepare|Download|Retry)"))
        expect(offers.first).to_be_enabled(timeout=60_000)
    # Elements of the previous run stay on screen, marked stale, until the new run replaces them.
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=60_000)


def open_everything(page: Page, watch: Watch) -> None:
    """Every on-demand part of the job page: more artifacts, each toggle, each Prepare button."""
    _press_until_gone(page, watch, re.compile(r"^Show \d+ more"))
    _open_switches(page, watch)
    _press_each_once(page, watch, re.compile(r"^Prepare"))


def outside_requests(watch: Watch, site: HostileSite) -> list[str]:
    """Requests the browser sent anywhere but the dashboard's own origin."""
    own = (site.dashboard.url, "data:", "blob:", "about:")
    sent = [req.url for req in watch.requests if req not in watch.blocked]
    return [url for url in sent if not url.startswith(own)]


def test_the_dashboard_alone_asks_no_other_site_for_anything(site: HostileSite) -> None:
    """The page without any job; later tests only look for requests the jobs add to these."""
    assert sorted(site.own_outside_requests) == []


def _frame_problems(scan: dict[str, object]) -> list[str]:
    problems = []
    if scan["pwned"] is not None:
        problems.append(f"window.__pwned is {scan['pwned']!r}")
    links = scan["links"]
    assert isinstance(links, list)
    problems += [
        f"link {link!r}" for link in links if link and _scheme(link) not in SAFE_LINK_SCHEMES
    ]
    attrs = scan["attrs"]
    assert isinstance(attrs, list)
    for tag, name, value in attrs:
        if name.startswith("on"):
            problems.append(f"<{tag} {name}={value!r}>")
        elif name in _URL_ATTRIBUTES and _SCRIPT_VALUE.match(value):
            problems.append(f"<{tag} {name}={value[:60]!r}>")
    return problems


def _scheme(url: str) -> str:
    return urlsplit(url.strip()).scheme.lower()


def wait_until_quiet(page: Page, watch: Watch) -> None:
    """Wait until everything is drawn and every request the browser sent has an answer."""
    page.wait_for_function(_RENDERED, timeout=30_000)
    _poll(page, lambda: not watch.pending, QUIET_SECONDS, "the browser's requests to end")


def assert_nothing_happened(
    page: Page, watch: Watch, site: HostileSite, job: str, *, fetched: bool = True
) -> None:
    """No dialog, popup, script, odd link, outside request, moved URL or visible token."""
    wait_until_quiet(page, watch)
    assert watch.dialogs == []
    assert watch.popups == []
    assert site.beacon.hits()[watch.beacon_hits_before :] == []
    assert TITLE in page.title()
    assert "PWNED" not in page.title()
    where = urlsplit(page.url)
    assert f"{where.scheme}://{where.netloc}{where.path}" == f"{site.dashboard.url}/"
    assert parse_qs(where.query) == {"job": [job]}
    for frame in page.frames:
        scan = frame.evaluate(_SCAN_FRAME)
        assert _frame_problems(scan) == [], frame.url
        assert SENTINEL not in str(scan["text"]), frame.url
        assert "PWNED" not in str(scan["title"]), frame.url
    # What the dashboard asks of others on its own is judged by its own test, below.
    assert set(outside_requests(watch, site)) - site.own_outside_requests == set()
    assert all(SENTINEL.encode() not in frame for frame in watch.socket_frames)
    assert SENTINEL not in page.inner_text("body")
    assert_token_reached_only_the_api(site, fetched=fetched)


def assert_token_reached_only_the_api(site: HostileSite, *, fetched: bool) -> None:
    """The API's request log, the beacon and the dashboard's log, as they stand after a job."""
    assert site.beacon.hits() == []
    assert SENTINEL not in site.dashboard.output()
    log = httpx.get(f"{site.api}/_demo/requests", timeout=10).json()
    assert log or not fetched, "the dashboard made no API requests"
    api_paths = ("/jobs/", "/_hostile/", "/_demo/")
    assert [entry["path"] for entry in log if not entry["path"].startswith(api_paths)] == []
    assert all(entry["authorization"] for entry in log)


# hostile_status has its own test (the watch list), and hostile_urls its own below (the same
# checks plus the refusal texts): running them here as well proved nothing new.
OWN_TESTS = frozenset({"hostile_status", "hostile_urls"})


@pytest.mark.parametrize("scenario", [s for s in HOSTILE_SCENARIOS if s not in OWN_TESTS])
def test_hostile_job_renders_without_running_leaking_or_navigating(
    site: HostileSite, watched: tuple[Page, Watch], scenario: str
) -> None:
    page, watch = watched
    job_id = hostile_ids("demo")[scenario]
    page.goto(f"{site.dashboard.url}/?job={job_id}")
    wait_for_page_end(page)
    open_everything(page, watch)
    assert_nothing_happened(page, watch, site, job_id)


# Where the middle of a phrase of a chart's SVG text is on screen, to click it as a person would.
_PHRASE_POINT = """(text, phrase) => {
  const box = text.getExtentOfChar(text.textContent.indexOf(phrase) + phrase.length / 2);
  const point = new DOMPoint(box.x + box.width / 2, box.y + box.height / 2)
    .matrixTransform(text.getScreenCTM());
  return {x: point.x, y: point.y};
}"""
# Every chart's text at one moment, and how many links Plotly drew in it.
_CHART_TEXT = """() => ({
  links: document.querySelectorAll('.js-plotly-plot svg a').length,
  texts: [...document.querySelectorAll('.js-plotly-plot svg text')].map(t => t.textContent),
})"""


def _click_phrase(page: Page, text: Locator, phrase: str) -> None:
    text.scroll_into_view_if_needed()
    point = text.evaluate(_PHRASE_POINT, phrase)
    page.mouse.click(point["x"], point["y"])


def _texts(drawn: dict[str, object]) -> list[str]:
    texts = drawn["texts"]
    assert isinstance(texts, list)
    return [str(text) for text in texts]


def navigations_away(watch: Watch, site: HostileSite) -> list[str]:
    """Pages the browser was asked to load in the dashboard's own tab, other than its own."""
    tab = [req for req in watch.requests if req.is_navigation_request()]
    own = [req for req in tab if req.frame.parent_frame is None]
    return [req.url for req in own if not req.url.startswith(site.dashboard.url)]


def test_a_hostile_plotly_figure_loads_and_navigates_nowhere_when_its_parts_are_clicked(
    site: HostileSite, watched: tuple[Page, Watch]
) -> None:
    page, watch = watched
    job_id = hostile_ids("demo")["hostile_plotly"]
    page.goto(f"{site.dashboard.url}/?job={job_id}")
    wait_for_page_end(page)
    open_everything(page, watch)
    wait_until_quiet(page, watch)
    charts = page.locator(".js-plotly-plot").all()
    assert charts, "the hostile figure was not drawn"
    for chart in charts:
        # The title's link once opened in the dashboard's tab; its buttons added a linked image.
        _click_phrase(page, chart.locator("text.gtitle"), "top link")
        for button in chart.locator(".updatemenu-button").all():
            button.click()
    assert navigations_away(watch, site) == []
    assert_nothing_happened(page, watch, site, job_id)
    assert page.evaluate(_CHART_TEXT)["links"] == 0


def test_a_hostile_status_in_the_watch_list_charts_is_drawn_as_written(
    site: HostileSite, watched: tuple[Page, Watch]
) -> None:
    page, watch = watched
    ids = hostile_ids("demo")
    page.goto(
        f"{site.dashboard.url}/watchlist?job={ids['hostile_status']}&job={ids['hostile_labels']}"
    )
    wait_for_app(page)
    drawn: dict[str, object] = {}

    def hostile_status_drawn() -> bool:
        # One snapshot: the status flips at every poll and the charts are redrawn each time.
        drawn.update(page.evaluate(_CHART_TEXT))
        return any("unknown:" in text for text in _texts(drawn))

    _poll(page, hostile_status_drawn, 60, "a chart naming the hostile status")
    assert drawn["links"] == 0
    link = f'<a href="{site.beacon.url}/text-link" target="_top">text link</a>'
    assert any(link in text for text in _texts(drawn))
    wait_until_quiet(page, watch)
    assert (watch.dialogs, watch.popups, navigations_away(watch, site)) == ([], [], [])
    assert site.beacon.hits()[watch.beacon_hits_before :] == []
    assert urlsplit(page.url).path == "/watchlist"


def test_urls_to_private_and_other_origins_are_refused_and_named(
    site: HostileSite, watched: tuple[Page, Watch]
) -> None:
    page, watch = watched
    job_id = hostile_ids("demo")["hostile_urls"]
    page.goto(f"{site.dashboard.url}/?job={job_id}")
    wait_for_page_end(page)
    open_everything(page, watch)
    for where in ("cloud metadata address", "private address", "loopback address", "'file'"):
        expect(page.get_by_text(where).first).to_be_visible()
    assert_nothing_happened(page, watch, site, job_id)


def test_a_status_that_flips_to_hostile_text_is_announced_as_text(
    site: HostileSite, watched: tuple[Page, Watch]
) -> None:
    page, watch = watched
    job_id = hostile_ids("demo")["hostile_status"]
    page.goto(f"{site.dashboard.url}/?job={job_id}")
    wait_for_app(page)
    # Every poll flips the status, so a toast announcing the hostile one is certain to come.
    expect(page.get_by_text("Job is now").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Unknown status").first).to_be_visible(timeout=30_000)
    assert_nothing_happened(page, watch, site, job_id)


@pytest.mark.parametrize("raw", REFLECTED_JOB_IDS)
def test_a_hostile_job_id_in_the_link_is_shown_as_text(
    site: HostileSite, watched: tuple[Page, Watch], raw: str
) -> None:
    page, watch = watched
    page.goto(f"{site.dashboard.url}/?job={quote(raw, safe='')}")
    wait_for_app(page)
    expect(page.locator('[data-testid="stAlert"]').first).to_be_visible(timeout=30_000)
    assert_nothing_happened(page, watch, site, raw, fetched=False)
