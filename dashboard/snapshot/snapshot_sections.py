"""A snapshot's optional sections: titled charts and tables, frozen as plain, bounded values."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.safety.plotly_safety import safe_figure

# A figure bigger than this (a forecast of many long items) is left out instead of stored.
MAX_FIGURE_BYTES = 4 * 1024 * 1024
MAX_TABLE_ROWS = 500
MAX_TABLE_COLUMNS = 40
MAX_CELL_CHARS = 1_000
MAX_TITLE_CHARS = 300

Cell = str | int | float | None


class SnapshotContentError(ValueError):
    """A stored snapshot's content cannot be read back (changed, or of another version)."""


@dataclass(frozen=True)
class FrozenChart:
    """A chart the page drew, as plotly JSON cleaned by `safe_figure`."""

    title: str
    figure_json: str


@dataclass(frozen=True)
class FrozenTable:
    """A table the page showed: column names and rows of plain values, and a note under it."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


def _short(text: object, limit: int) -> str:
    return "" if text is None else str(text)[:limit]


def frozen_figure(figure: go.Figure, name: str) -> tuple[str | None, tuple[str, ...]]:
    """The figure as cleaned JSON, or None and a note saying it was too big to keep."""
    text = safe_figure(figure.to_plotly_json()).figure.to_json()
    if len(text.encode()) > MAX_FIGURE_BYTES:
        return None, (f"{name} is over {MAX_FIGURE_BYTES >> 20} MB and was left out.",)
    return text, ()


def frozen_chart(title: str, figure: go.Figure) -> tuple[FrozenChart | None, tuple[str, ...]]:
    """A titled chart to keep, or None and why not."""
    title = _short(title, MAX_TITLE_CHARS)
    text, left_out = frozen_figure(figure, f"The chart {title!r}")
    return (None if text is None else FrozenChart(title, text)), left_out


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    number = getattr(value, "item", None)  # numpy scalars
    return _cell(number()) if callable(number) else _short(value, MAX_CELL_CHARS)


def frozen_table(title: str, frame: pd.DataFrame, note: str = "") -> FrozenTable:
    """The first rows and columns of `frame` as plain values; the note says what was cut."""
    shown = frame.iloc[:MAX_TABLE_ROWS, :MAX_TABLE_COLUMNS]
    cut = []
    if len(frame) > len(shown):
        cut.append(f"the first {MAX_TABLE_ROWS:,} of {len(frame):,} rows")
    if frame.shape[1] > shown.shape[1]:
        cut.append(f"the first {MAX_TABLE_COLUMNS} of {frame.shape[1]} columns")
    kept = f"Kept: {' and '.join(cut)}." if cut else ""
    return FrozenTable(
        _short(title, MAX_TITLE_CHARS),
        tuple(_short(column, MAX_CELL_CHARS) for column in shown.columns),
        tuple(tuple(_cell(value) for value in row) for row in shown.itertuples(index=False)),
        " ".join(part for part in (_short(note, MAX_CELL_CHARS), kept) if part),
    )


def cleaned_figure_json(figure_json: str) -> str:
    """Stored figure JSON cleaned again: the store is not trusted to be unchanged."""
    try:
        spec: Any = json.loads(figure_json)
        text: str = safe_figure(spec if isinstance(spec, dict) else {}).figure.to_json()
    except ValueError as exc:
        raise SnapshotContentError(
            "This snapshot's chart cannot be read; ask its creator for a new one."
        ) from exc
    return text


def cleaned_chart(chart: FrozenChart) -> FrozenChart:
    return FrozenChart(_short(chart.title, MAX_TITLE_CHARS), cleaned_figure_json(chart.figure_json))


def cleaned_table(table: FrozenTable) -> FrozenTable:
    """The table within its bounds again, every cell a plain value."""
    return FrozenTable(
        _short(table.title, MAX_TITLE_CHARS),
        tuple(_short(c, MAX_CELL_CHARS) for c in table.columns[:MAX_TABLE_COLUMNS]),
        tuple(
            tuple(_cell(value) for value in row[:MAX_TABLE_COLUMNS])
            for row in table.rows[:MAX_TABLE_ROWS]
        ),
        _short(table.note, MAX_CELL_CHARS * 2),
    )


def table_frame(table: FrozenTable) -> pd.DataFrame:
    """The table to draw; a row of another width than the columns is padded or cut."""
    width = len(table.columns)
    rows = [(*row[:width], *([None] * (width - len(row)))) for row in table.rows]
    return pd.DataFrame(rows, columns=pd.Index(table.columns, dtype=object))


def chart_figure(figure_json: str) -> go.Figure:
    """A kept chart to draw (it was cleaned when read)."""
    return go.Figure(json.loads(figure_json), skip_invalid=True)
