"""How many items a service's own forecast plot draws, read from its traces' names.

A service draws a few items of a large forecast (4 of 142 countries, say) and names each trace
"<item> <role>" ("FR history", "FR 10-90%", "FR mean"), as `dashboard/series/plot_history.py`
reads it, or puts each item's traces in one legend group. The job page, the viewer and a
snapshot's copy of the plot say so under it (`items_note`) when n is below the job's item count.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence

import plotly.graph_objects as go

# The last word of a trace's name that says what the trace is rather than which item, known
# even when the plot draws one item (with several items the roles show by repeating).
KNOWN_ROLES = frozenset(
    {"history", "actuals", "observed", "forecast", "mean", "median", "band", "interval"}
    | {"lower", "upper", "p10", "p50", "p90", "10-90%", "5-95%", "80%", "90%", "95%"}
)


def plotted_items(names: Sequence[str | None], groups: Sequence[str | None]) -> int | None:
    """The number of items the traces (their names and legend groups) draw; None when no
    trace says (no names): the plot's items are then unknown."""
    if groups and all(groups):
        return len(set(groups))
    named = [html.unescape(name).strip() for name in names if name and name.strip()]
    if not named:
        return None
    roles = _roles(named)
    items = set()
    for name in named:
        head, _, tail = name.rpartition(" ")
        is_role = tail.lower() in roles
        # A bare role ("history", "mean") is the plot's one series.
        items.add(head.strip() if is_role else name)
    return len(items)


def _roles(names: Sequence[str]) -> set[str]:
    """Last words that follow two or more different heads, and the known ones."""
    heads: defaultdict[str, set[str]] = defaultdict(set)
    for name in names:
        head, _, tail = name.rpartition(" ")
        if head:
            heads[tail.lower()].add(head)
    return {tail for tail, seen in heads.items() if len(seen) >= 2} | KNOWN_ROLES


def shown_of(shown: int, total: int | None) -> str:
    """ "3 of 2,500 items" when a chart draws a subset, else ""."""
    if total is None or total <= shown:
        return ""
    return f"{shown:,} of {total:,} items"


def items_note(figure: go.Figure, total: int | None) -> str:
    """ "The service's plot draws 6 of 2,500 items." when the service's `figure` names fewer
    items than the job's `total`, else "": the one wording of every page that draws the plot."""
    names = [_text(getattr(trace, "name", None)) for trace in figure.data]
    groups = [_text(getattr(trace, "legendgroup", None)) for trace in figure.data]
    shown = plotted_items(names, groups)
    subset = "" if shown is None else shown_of(shown, total)
    return f"The service's plot draws {subset}." if subset else ""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
