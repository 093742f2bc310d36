"""Issue 20's hostile uploads on each page that takes files, in a real browser: the spreadsheet
bomb, the regex CSV and a 2,000-column CSV, on /new, the viewer's attach and /compare's actuals,
each waited for until the page shows its refusal; and files sent straight to Streamlit's upload
route, as a script in the page would. Shared by the browser tests and the bench."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import FilePayload, Page, expect

from demo_api.seeded.scenarios import SCENARIO_IDS
from harness.browser import wait_for_app
from harness.hostile_files import regex_csv, shared_string_bomb, wide_csv

REFUSAL_TIMEOUT_MS = 180_000


@dataclass(frozen=True)
class Attack:
    """A hostile file, the name it is uploaded as, and what every page's refusal says."""

    name: str
    filename: str
    content: bytes
    reason: re.Pattern[str]


ATTACKS = (
    # Named like a plain spreadsheet: its bytes, not its name, say what it is.
    Attack(
        "spreadsheet bomb", "sales.xlsx", shared_string_bomb(), re.compile(r"30,000 characters")
    ),
    Attack(
        "regex CSV",
        "times.csv",
        regex_csv(),
        re.compile(r"not a date|No time column|cannot be read as a time"),
    ),
    Attack("2,000-column CSV", "wide.csv", wide_csv(), re.compile(r"2,000 columns")),
)
# Where each page takes a file: its link, the folded area to open, the uploader's label.
PLACES = {
    "/new": ("/new", None, "XLSX, XLS or ODS file"),
    "viewer": (
        f"/forecast?job={SCENARIO_IDS['completed_full']}",
        "History and actuals: attach a file",
        "Attach a file of history or actuals",
    ),
    "/compare": ("/compare", "Actuals for every run", "A file of actuals"),
}


def upload_and_wait_for_refusal(page: Page, base_url: str, place: str, attack: Attack) -> str:
    """Open the page, upload the attack's file, wait for the refusal; the refusal's text."""
    link, folded, label = PLACES[place]
    page.goto(base_url + link)
    wait_for_app(page)
    if folded is not None:
        page.get_by_text(folded).click()
    uploader = page.locator('[data-testid="stFileUploader"]', has_text=label)
    expect(uploader).to_be_visible(timeout=REFUSAL_TIMEOUT_MS)
    payload: FilePayload = {
        "name": attack.filename,
        "mimeType": "application/octet-stream",
        "buffer": attack.content,
    }
    uploader.locator('input[type="file"]').set_input_files(files=[payload])
    refusal = page.locator('[data-testid="stAlert"]').filter(has_text=attack.reason).first
    expect(refusal).to_be_visible(timeout=REFUSAL_TIMEOUT_MS)
    return refusal.inner_text()


_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PUT = """async ([url, xsrf, size]) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(size)]), 'rogue.bin');
    const answer = await fetch(url, {method: 'PUT', body: form, headers: {'X-Xsrftoken': xsrf}});
    return answer.status;
}"""


def watch_frames(page: Page) -> list[bytes]:
    """The websocket messages the page will receive (binary ones), in order."""
    frames: list[bytes] = []

    def on_frame(frame: str | bytes) -> None:
        frames.append(frame if isinstance(frame, bytes) else b"")

    page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
    return frames


def put_file(page: Page, base_url: str, session: str, file_id: str, size: int) -> int:
    """PUT `size` zero bytes to the upload route for `session` from the page; the status."""
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    url = f"{base_url}/_stcore/upload_file/{session}/{file_id}"
    status: int = page.evaluate(_PUT, [url, xsrf, size])
    return status


def session_of(page: Page, frames: list[bytes], base_url: str) -> str:
    """The page's Streamlit session: the ID in its first messages that the route knows (any
    answer but 400 "Invalid session_id")."""
    for candidate in dict.fromkeys(_UUID.findall(b"".join(frames))):
        if put_file(page, base_url, candidate.decode(), "probe", 1) != 400:
            return str(candidate.decode())
    raise AssertionError("no session ID in the page's first messages")
