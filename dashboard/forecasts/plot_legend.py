"""A service's Plotly figure with its legend under the plot, every entry shown at 390 px and up.

plotly.js puts a legend right of the plot and caps it at the plot's height: a service's plot of
six items with three traces each showed five of them in the demo, and at 390 px the legend took
half the width. Under the plot, in rows, the legend has the figure's width; the figure grows by
the rows it needs where it is narrowest (a phone), so no entry is cut there, and wider windows
give the plot the room the legend leaves. Past `MAX_ROWS` rows the legend scrolls.
"""

from __future__ import annotations

import html
import math
import re

import plotly.graph_objects as go

# plotly.js's default figure height, which Streamlit keeps when a figure names none.
DEFAULT_HEIGHT_PX = 450
# The plot's width in a 390 px window: 331 px measured, less room for wider y-axis labels.
NARROW_WIDTH_PX = 300
# An entry's symbol and gaps (45 px measured), a character of legend text at plotly's 12 px
# (5.3 to 5.8 px measured) and a row (19 px), rounded up: a row too many leaves a little space
# under the plot; a row too few takes SLACK_ROWS from the plot before the legend scrolls.
ENTRY_PX = 45
CHAR_PX = 6.0
ROW_PX = 21
SLACK_ROWS = 2
# Below the x-axis labels, and around the legend.
GAP_PX = 30
MAX_ROWS = 12
_TAG = re.compile(r"<[^<>]*>")


def legend_names(figure: go.Figure) -> list[str]:
    """The text of each entry of the figure's main legend, as plotly.js draws it."""
    if figure.layout.showlegend is False:
        return []
    names = [
        _plain(trace.name)
        for trace in figure.data
        if getattr(trace, "showlegend", None) is not False
        and getattr(trace, "legend", None) in (None, "legend")
    ]
    # plotly.js draws a legend for two traces or more unless the figure asks for one.
    return names if len(names) > 1 or figure.layout.showlegend else []


def _plain(name: object) -> str:
    text = name if isinstance(name, str) else ""
    return html.unescape(_TAG.sub("", text.replace("<br>", " ")))


def legend_rows(names: list[str], width_px: float = NARROW_WIDTH_PX) -> int:
    """How many rows plotly.js needs, at most, for these entries in a plot `width_px` wide."""
    if not names:
        return 0
    widest = ENTRY_PX + CHAR_PX * max(len(name) for name in names)
    per_row = max(1, int(width_px // widest))
    return math.ceil(len(names) / per_row)


def fitted_legend(figure: go.Figure) -> go.Figure:
    """`figure` with its legend under the plot and its height grown to show every entry."""
    names = legend_names(figure)
    if not names:
        return figure
    rows = min(legend_rows(names), MAX_ROWS)
    legend_px = rows * ROW_PX + (ROW_PX if figure.layout.legend.title.text else 0) + GAP_PX
    height = figure.layout.height or DEFAULT_HEIGHT_PX
    figure.update_layout(
        height=height + legend_px,
        margin_autoexpand=True,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
            "maxheight": legend_px + SLACK_ROWS * ROW_PX,
            "entrywidth": None,
        },
    )
    return figure
