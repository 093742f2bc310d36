"""The four windows the look tests open: a desktop and a phone, each in light and dark."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page


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


@dataclass(frozen=True)
class Window:
    view: View
    page: Page


def view_id(view: View) -> str:
    return f"{view.width}-{view.scheme}"


def open_window(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Window]:
    """One page for the view in `request.param`, in a context of its own, closed afterwards."""
    view: View = request.param
    context = browser.new_context(
        viewport={"width": view.width, "height": 900},
        color_scheme="dark" if view.scheme == "dark" else "light",
    )
    yield Window(view, context.new_page())
    context.close()
