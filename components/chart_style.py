"""How the watch list's charts draw statuses: colour-blind-safe colours, symbols and words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from eomer_client.models import JobStatus

# Okabe-Ito colours (colour-blind safe, readable on light and dark backgrounds); every status
# also gets its own marker symbol, bar pattern and word, so colour is never the only cue.
OKABE_ITO_PURPLE = "#CC79A7"


@dataclass(frozen=True)
class StatusStyle:
    """How one status is drawn."""

    word: str
    color: str
    symbol: str
    pattern: str


STYLES: dict[str, StatusStyle] = {
    JobStatus.COMPLETED: StatusStyle("completed", "#009E73", "circle", ""),
    JobStatus.FAILED: StatusStyle("failed", "#D55E00", "x", "x"),
    JobStatus.RUNNING: StatusStyle("running", "#0072B2", "triangle-right", "/"),
    JobStatus.PENDING: StatusStyle("pending", "#E69F00", "diamond", "."),
}


def style_of(status: str) -> StatusStyle:
    return STYLES.get(status, StatusStyle(f"unknown: {status}", OKABE_ITO_PURPLE, "square", "-"))


def in_legend_order(statuses: Iterable[str]) -> list[str]:
    """Distinct statuses, documented ones first in a fixed order, so legends never reshuffle."""
    present = list(dict.fromkeys(statuses))
    return [s for s in STYLES if s in present] + [s for s in present if s not in STYLES]


def short_labels(job_ids: Sequence[str]) -> dict[str, str]:
    """First 8 characters of each ID, or the whole IDs when the prefixes collide."""
    short = {job_id: job_id[:8] for job_id in job_ids}
    return short if len(set(short.values())) == len(short) else {j: j for j in job_ids}


# Plotly's toolbar (the modebar) and Streamlit's full-screen button sit in the chart's top
# 32 px and covered the end of a title on a phone; the title starts below them instead.
TOOLBAR_BAND_PX = 36
_TITLE_PX = 30


def titled_layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    """`title` below the chart's toolbar, and `height` px for the chart besides that band."""
    fig.update_layout(
        title={
            "text": title,
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": TOOLBAR_BAND_PX},
        },
        height=height + TOOLBAR_BAND_PX,
        margin={"l": 10, "r": 10, "t": TOOLBAR_BAND_PX + _TITLE_PX, "b": 10},
        legend_title="",
    )
    return fig
