"""How a fan chart of several items is laid out: its title, "n of N", axes per item, the start."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from components.common.chart_style import wrapped_title
from components.forecast.forecast_history import start_label
from dashboard.forecasts.forecast_csv import ForecastColumns
from dashboard.forecasts.plot_items import shown_of
from dashboard.safety.plotly_safety import plotly_text

# Items whose largest values differ by more than this factor get an axis each: on one shared
# axis the smaller one is a flat line at the bottom.
MAX_SCALE_RATIO = 10.0
# An item ID in a title or a panel's title: longer ones are cut, or the title runs off a phone.
NAME_CHARS = 30
OBSERVED_INK = "#7F7F7F"


def short_name(item: str) -> str:
    """An item ID as a title shows it: escaped for plotly, cut to NAME_CHARS with an ellipsis."""
    cut = item if len(item) <= NAME_CHARS else item[: NAME_CHARS - 1] + "…"
    return plotly_text(cut)


def fan_title(items: Sequence[str], total: int | None, own_axes: bool) -> str:
    """The chart's title: how many of how many, then the items, wrapped to fit a phone."""
    subset = shown_of(len(items), total)
    if own_axes:
        what = "each item on its own axis"
        text = f"{subset}, {what}" if subset else what[0].upper() + what[1:]
    else:
        names = ", ".join(short_name(item) for item in items)
        text = f"{subset}: {names}" if subset else names
    return wrapped_title(text)


def _magnitude(frame: pd.DataFrame, columns: ForecastColumns) -> float:
    """The largest absolute value the item's fan draws."""
    drawn = [name for name in columns.value_columns if name in frame.columns]
    values = frame[drawn].apply(pd.to_numeric, errors="coerce").abs().stack().dropna()
    return float(values.max()) if not values.empty else 0.0


def scales_differ(items: Sequence[tuple[str, pd.DataFrame]], columns: ForecastColumns) -> bool:
    """True when one item's values are over MAX_SCALE_RATIO times another's."""
    sizes = [_magnitude(frame, columns) for _, frame in items]
    if len(sizes) < 2 or max(sizes) == 0:
        return False
    return min(sizes) == 0 or max(sizes) / min(sizes) > MAX_SCALE_RATIO


def _room_on_left(first: object, xs: Sequence[object]) -> bool:
    """Whether the start line stands in the right half of the panel's drawn times."""
    try:
        low, high = min(xs), max(xs)  # type: ignore[type-var]
        return bool((first - low) >= (high - first))  # type: ignore[operator]
    except (TypeError, ValueError):
        return True


def start_marker(
    figure: go.Figure,
    first: object,
    time_offset: str | None,
    xs: Sequence[object],
    place: dict[str, int],
) -> None:
    """A dotted vertical line where the forecast starts, and its time in short lines inside
    the plot, on the side of the line with more room, so it never reaches over the y-axis."""
    figure.add_vline(x=first, line={"dash": "dot", "width": 1, "color": OBSERVED_INK}, **place)
    left = _room_on_left(first, xs)
    # Added apart from the line: add_vline's own annotation fails on date axes.
    figure.add_annotation(
        x=first,
        y=1,
        yref="y domain",
        text=_start_lines(start_label(first, time_offset)),
        hovertext=start_label(first, time_offset),
        showarrow=False,
        align="right" if left else "left",
        xanchor="right" if left else "left",
        yanchor="top",
        xshift=-4 if left else 4,
        font={"size": 11},
        **place,
    )


def _start_lines(label: str) -> str:
    """ "Forecast starts<br>2002-01-01 00:00:00<br>(no time zone given)": each line short."""
    head, _, rest = label.partition("Forecast starts ")
    stamp, _, zone = rest.partition(" (")
    zone = zone.replace("the forecast gives no time zone", "no time zone given")
    lines = ["Forecast starts", stamp, f"({zone}" if zone else ""]
    return "<br>".join(line for line in (head, *lines) if line)
