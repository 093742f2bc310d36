"""Reading an AppTest page as text, and arranging its live region's next poll."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

import deps
from tests.apptest import dashboard_app

_ESCAPE = re.compile(r"\\(.)")
_TEXT_KINDS: tuple[str, ...] = ("title", "header", "subheader", "markdown", "caption", "text")
_TEXT_KINDS += ("error", "warning", "info", "code")


def unescape(text: str) -> str:
    """`text` without markdown's backslash escapes."""
    return _ESCAPE.sub(r"\1", text)


def texts(at: AppTest) -> str:
    """Everything written on the page, markdown escapes removed, one element per line."""
    parts = [str(el.value) for kind in _TEXT_KINDS for el in getattr(at, kind)]
    return unescape("\n".join(parts))


def make_poll_due(at: AppTest, job_id: str) -> None:
    """Arrange: the job's next poll is due now, as it is a few seconds later in a browser."""
    current = at.session_state[deps.SESSION_KEY]
    assert isinstance(current, deps.Session)
    current.data.feed(job_id).next_poll_at = None


def open_app(job_id: str) -> AppTest:
    """The app opened on `?job=<job_id>`, after its first full run."""
    at = dashboard_app()
    at.query_params["job"] = job_id
    at.run()
    assert not at.exception, at.exception
    return at
