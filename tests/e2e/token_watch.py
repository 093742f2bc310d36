"""Watching a browser for a secret: every websocket frame both ways, and every button clicked."""

from __future__ import annotations

from collections import Counter

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, WebSocket

from harness.browser import wait_for_app

# Every button the app draws and shows: st.button, st.download_button, a form's submit button.
BUTTONS = ", ".join(
    f'[data-testid="{kind}"] button:visible'
    for kind in ("stButton", "stDownloadButton", "stFormSubmitButton")
)
CLICK_TIMEOUT_MS = 15_000


class FrameLog:
    """Every websocket frame a page sends or receives, kept as bytes, for every socket it opens.

    Playwright reports frames after the browser decoded them (permessage-deflate undone), so a
    string the server put in a protobuf field is there as its UTF-8 bytes.
    """

    def __init__(self) -> None:
        self.frames: list[bytes] = []
        self.sockets = 0

    def watch(self, page: Page) -> None:
        page.on("websocket", self._socket)

    def _socket(self, socket: WebSocket) -> None:
        self.sockets += 1
        socket.on("framereceived", self._keep)
        socket.on("framesent", self._keep)

    def _keep(self, payload: str | bytes) -> None:
        self.frames.append(payload.encode() if isinstance(payload, str) else payload)

    def holding(self, secret: str) -> int:
        """How many frames carried `secret`."""
        return sum(secret.encode() in frame for frame in self.frames)


def _keys(page: Page) -> list[str]:
    """Each button's label with its occurrence, so two "Retry" buttons are two buttons."""
    seen: Counter[str] = Counter()
    keys = []
    for label in page.locator(BUTTONS).all_inner_texts():
        keys.append(f"{label.strip()}#{seen[label]}")
        seen[label] += 1
    return keys


def click_every_button(page: Page, *, skip: tuple[str, ...] = (), limit: int = 30) -> list[str]:
    """Click each button on the page once (and those clicks reveal), waiting for each rerun.

    Buttons whose label holds a `skip` word are left alone (Sign out, Forget me). A button
    that went away before its click is passed over. Returns what was clicked.
    """
    clicked: list[str] = []
    for _ in range(limit):
        todo = [
            (index, key)
            for index, key in enumerate(_keys(page))
            if key not in clicked and not any(word in key for word in skip)
        ]
        if not todo:
            break
        index, key = todo[0]
        clicked.append(key)
        try:
            page.locator(BUTTONS).nth(index).click(timeout=CLICK_TIMEOUT_MS)
        except PlaywrightError:
            continue  # redrawn away by the previous click's rerun
        wait_for_app(page)
    return clicked
