"""Making a snapshot on a page and opening its link in a new session, as a colleague would."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

from components.snapshot.create import created_key
from tests.apptest import dashboard_app

SNAPSHOT = "pages/snapshot.py"


def create_snapshot(at: AppTest, page: str) -> str:
    """Click the page's "Create a snapshot" and return the new snapshot's ID."""
    next(b for b in at.button if b.label == "Create a snapshot").click().run()
    assert not at.exception, at.exception
    _, snapshot_id = at.session_state[created_key(page)]
    assert isinstance(snapshot_id, str)
    return snapshot_id


def opened_snapshot(snapshot_id: str | None) -> AppTest:
    """A new browser session opening /snapshot (with `?id=`), as a colleague would."""
    at = dashboard_app()
    at.switch_page(SNAPSHOT)
    if snapshot_id is not None:
        at.query_params["id"] = snapshot_id
    at.run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [*at.markdown, *at.header, *at.subheader, *at.info, *at.warning, *at.error]
    return " ".join(str(part.value) for part in [*parts, *at.caption, *at.text])


def chart_legends(at: AppTest) -> list[list[str]]:
    """The legend names of each chart drawn, in page order."""
    legends = []
    for element in at.get("plotly_chart"):
        spec: dict[str, Any] = json.loads(element.proto.spec)
        legends.append(
            [str(t.get("name")) for t in spec["data"] if t.get("showlegend") is not False]
        )
    return legends
