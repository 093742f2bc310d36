"""The windows the look tests open: a desktop and a phone, each in light and dark."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from _pytest.mark import ParameterSet
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.browser import WarmPages

# The watch list's own four charts (keyed `watchlist_chart_*`), not the token's history trends
# drawn under them.
WATCHLIST_CHARTS = '[class*="st-key-watchlist_chart_"] [data-testid="stPlotlyChart"]'
# Scroll an element's top to just below Streamlit's sticky header, in whichever box scrolls;
# true once it is there (a live page's rerun can move it again, so callers poll).
_SHOW_TOP_JS = """element => {
    element.scrollIntoView({block: "start"});
    let box = element.parentElement;
    while (box && box.scrollTop === 0) box = box.parentElement;
    const atEnd = !box || box.scrollTop + box.clientHeight >= box.scrollHeight - 1;
    if (box && element.getBoundingClientRect().top < 40) box.scrollBy(0, -80);
    const top = element.getBoundingClientRect().top;
    return top > 40 && (top < 160 || atEnd);
}"""


@dataclass(frozen=True)
class View:
    """A browser window: its width in CSS pixels and the colour scheme the OS prefers."""

    width: int
    scheme: str

    @property
    def is_phone(self) -> bool:
        return self.width < 768

    def shot(self, what: str) -> str:
        return f"look-{what}-{self.width}-{self.scheme}.png"


VIEWS = [View(1400, "light"), View(1400, "dark"), View(390, "light"), View(390, "dark")]
# Every run covers both widths and both schemes with two windows; the other two pair them the
# other way round and run under the opt-in marker `screenshots` (python3 -m scripts.screenshots).
EVERY_RUN = {"1400-light", "390-dark"}


@dataclass(frozen=True)
class Window:
    view: View
    page: Page


def view_id(view: View) -> str:
    return f"{view.width}-{view.scheme}"


def window_params(views: list[View]) -> list[ParameterSet]:
    """`views` as fixture params: the ones outside EVERY_RUN marked `screenshots` (opt-in)."""
    marks = {False: [pytest.mark.screenshots], True: []}
    return [
        pytest.param(view, id=view_id(view), marks=marks[view_id(view) in EVERY_RUN])
        for view in views
    ]


def open_window(request: pytest.FixtureRequest, warm_pages: WarmPages) -> Iterator[Window]:
    """One page on the warm profile for the view in `request.param`, closed afterwards."""
    view: View = request.param
    with warm_pages.pages() as make:
        yield Window(view, make(view.width, 900, view.scheme))


def show_top(page: Page, element: Locator) -> None:
    """Scroll until the top of `element` shows below the header, for a screenshot.

    Only the picture depends on it: a live page that keeps moving the element (CI once, at
    390 px) gets the element merely scrolled into view after a while, and no failure.
    """
    try:
        page.wait_for_function(_SHOW_TOP_JS, arg=element.element_handle(), timeout=10_000)
    except PlaywrightTimeoutError:
        element.scroll_into_view_if_needed()
