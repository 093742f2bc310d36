"""How the watch list's charts draw statuses: colour-blind-safe colours, symbols and words."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median

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


# Characters of a title that fit one line of a 390 px phone's chart; plotly never wraps a
# title itself, so a longer line was cut at the chart's right edge.
TITLE_LINE_CHARS = 36


def wrapped_title(text: str) -> str:
    """`text` (already escaped for plotly) broken at spaces into lines that fit a phone."""
    lines = textwrap.wrap(text, TITLE_LINE_CHARS, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(lines) or text


def title_lines(title: str) -> int:
    return title.count("<br>") + 1


def titled_layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    """`title` below the chart's toolbar, wrapped to fit a phone, and `height` px for the
    chart besides the toolbar band and the title's lines."""
    text = wrapped_title(title)
    extra = _TITLE_PX * (title_lines(text) - 1)
    fig.update_layout(
        title={
            "text": text,
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": TOOLBAR_BAND_PX},
        },
        height=height + TOOLBAR_BAND_PX + extra,
        margin={"l": 10, "r": 10, "t": TOOLBAR_BAND_PX + _TITLE_PX + extra, "b": 10},
        legend_title="",
    )
    return fig


# Charts of many jobs: at most this many px of plot whatever the count (the toolbar band
# comes on top), and a row of this many px per job until then.
MAX_PLOT_PX = 560
ROW_PX = 24
_AXES_PX = 110
# One job this many times the median flattens every other bar on a linear axis.
LOG_RATIO = 20.0
# Bar text is drawn inside its bar, at one size; a bar too short or thin for this size shows
# none (its hover still does), so labels never overlap, spill out or get cut ("comple").
MIN_TEXT_PX = 10


def rows_height(rows: int) -> int:
    """Plot height for `rows` horizontal bars: a fixed row each, bounded by MAX_PLOT_PX."""
    return min(_AXES_PX + ROW_PX * max(rows, 1), MAX_PLOT_PX)


def dwarfed(values: Iterable[float]) -> bool:
    """True when the largest positive value is over LOG_RATIO times their median."""
    positive = [v for v in values if v > 0]
    return len(positive) > 1 and max(positive) > LOG_RATIO * median(positive)


def inside_text(fig: go.Figure) -> go.Figure:
    """Bar text inside bars at one readable size, hidden where it would not fit."""
    fig.update_traces(textposition="inside", insidetextanchor="start", selector={"type": "bar"})
    fig.update_layout(uniformtext={"minsize": MIN_TEXT_PX, "mode": "hide"})
    return fig


def log_axis_ticks(values: Iterable[float]) -> dict[str, object]:
    """A log axis over `values`: ticks at powers of ten, or at 1-2-5 within a single decade.

    plotly's own choice labelled every digit (5 6 7 8 9), and 1-2-5 over two decades ran into
    each other on a phone; powers of ten fit any width, and the hover gives exact values.
    """
    positive = [v for v in values if v > 0]
    decades = math.log10(max(positive) / min(positive)) if positive else 0.0
    return {"type": "log", "dtick": "D2" if decades < 1 else 1}
