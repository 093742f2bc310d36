"""The history a service's own forecast plot draws: its traces named "history", per item.

The job page shows the service's plot, history included; the viewer reads the same traces so
it draws (and scores with) the history the job page shows, not "no history known".
"""

from __future__ import annotations

import html
import json
import numbers
from collections.abc import Sequence

import pandas as pd

from dashboard.safety.plotly_safety import safe_figure
from dashboard.safety.render_policy import is_plotly_figure
from dashboard.series.observations import ITEM, TIME, VALUE, Observations

SOURCE = "the service's forecast plot"
_WORD = "history"


def item_of(name: object) -> str | None:
    """The item a trace named "history" or "<item> history" draws the history of, else None;
    a bare "history" is the plot's one series, matched to the forecast's one series."""
    if not isinstance(name, str):
        return None
    text = html.unescape(name).strip()
    if text.lower() == _WORD:
        return _WORD
    head, _, tail = text.rpartition(" ")
    return head.strip() or None if tail.lower() == _WORD else None


def _times(xs: Sequence[object]) -> pd.Series:
    raw = pd.Series(list(xs), dtype=object)
    if all(isinstance(x, numbers.Real) and not isinstance(x, bool) for x in xs):
        return pd.to_numeric(raw, errors="coerce")
    return pd.to_datetime(raw, errors="coerce", format="ISO8601")


def _rows(item: str, xs: Sequence[object] | None, ys: Sequence[object] | None) -> pd.DataFrame:
    if xs is None or ys is None or len(xs) != len(ys):
        return pd.DataFrame(columns=[ITEM, TIME, VALUE])
    frame = pd.DataFrame(
        {ITEM: item, TIME: _times(xs), VALUE: pd.to_numeric(pd.Series(list(ys)), errors="coerce")}
    )
    return frame.dropna(subset=[TIME, VALUE])


def plot_history(content: bytes) -> Observations | None:
    """The history traces of a plotly figure's JSON as observations; None when it has none."""
    try:
        spec = json.loads(content)
        figure = safe_figure(spec).figure if is_plotly_figure(spec) else None
    except ValueError:  # not JSON, or a figure plotly.py cannot build
        return None
    if figure is None:
        return None
    frames = [
        _rows(item, trace.x, trace.y)
        for trace in figure.data
        if (item := item_of(getattr(trace, "name", None))) is not None
    ]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return None
    # One time kind for all: a plot mixing dates and steps gives no history that lines up.
    if len({str(frame[TIME].dtype) for frame in frames}) > 1:
        return None
    rows = pd.concat(frames, ignore_index=True).drop_duplicates([ITEM, TIME], keep="last")
    return Observations(
        rows.sort_values([ITEM, TIME], kind="stable").reset_index(drop=True), SOURCE
    )
