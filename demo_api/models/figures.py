"""Renderers: matplotlib (PNG, SVG, PDF; no pyplot, so no global figure state) and Plotly JSON."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

# Fixed metadata keeps renders byte-identical between runs (no creation dates).
_PNG_META = {"Software": "demo_api"}
_SVG_META = {"Date": None, "Creator": "demo_api"}


def _save(fig: Figure, fmt: str, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    metadata = _SVG_META if fmt == "svg" else _PNG_META if fmt == "png" else None
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, bbox_inches="tight")
    return buf.getvalue()


def _draw_forecast(ax: Axes, history: pd.Series, forecast: pd.DataFrame, title: str) -> None:
    tail = history.iloc[-min(len(history), 120) :]
    ax.plot(tail.index, tail.to_numpy(), color="#1f77b4", linewidth=1.2, label="history")
    ax.fill_between(
        forecast.index,
        forecast["0.1"],
        forecast["0.9"],
        color="#ff7f0e",
        alpha=0.25,
        label="80% interval",
    )
    ax.plot(forecast.index, forecast["mean"], color="#ff7f0e", linewidth=1.5, label="mean")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left")


def forecast_png(
    history: pd.Series, forecast: pd.DataFrame, title: str, *, thumb: bool = False
) -> bytes:
    """History plus mean forecast and the 10-90% band; `thumb` makes a small preview."""
    fig = Figure(figsize=(3.2, 1.8) if thumb else (8, 4))
    _draw_forecast(fig.add_subplot(), history, forecast, title)
    return _save(fig, "png", dpi=60 if thumb else 100)


def decomposition_png(components: pd.DataFrame, title: str) -> bytes:
    """One panel per column (observed, trend, seasonal, resid)."""
    fig = Figure(figsize=(8, 7))
    axes = fig.subplots(len(components.columns), 1, sharex=True)
    for ax, column in zip(np.atleast_1d(axes), components.columns, strict=True):
        ax.plot(components.index, components[column].to_numpy(), linewidth=0.9)
        ax.set_ylabel(str(column), fontsize=8)
    fig.suptitle(title, fontsize=10)
    return _save(fig, "png")


def acf_svg(values: np.ndarray, bound: float, title: str) -> bytes:
    """Autocorrelation bars with the +-1.96/sqrt(n) band."""
    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    lags = np.arange(len(values))
    ax.vlines(lags, 0, values, color="#1f77b4")
    ax.axhspan(-bound, bound, color="#999999", alpha=0.2)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel("lag")
    ax.set_title(title, fontsize=10)
    return _save(fig, "svg")


def report_pdf(pages: Sequence[tuple[str, pd.Series, pd.DataFrame]], summary: str) -> bytes:
    """A PDF report: one text page, then one forecast chart per item."""
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Creator": "demo_api", "CreationDate": None}) as pdf:
        cover = Figure(figsize=(8.27, 11.69))
        cover.text(0.08, 0.92, summary, va="top", fontsize=10, family="monospace", wrap=True)
        pdf.savefig(cover)
        for item_id, history, forecast in pages:
            fig = Figure(figsize=(8.27, 5))
            _draw_forecast(fig.add_subplot(), history, forecast, f"{item_id}: forecast")
            pdf.savefig(fig)
    return buf.getvalue()


def forecast_plotly(items: Sequence[tuple[str, pd.Series, pd.DataFrame]]) -> bytes:
    """Plotly figure JSON: history, mean and the 10-90% band for each item."""
    fig = go.Figure()
    for item_id, history, forecast in items:
        tail = history.iloc[-min(len(history), 120) :]
        band_x = [*forecast.index, *forecast.index[::-1]]
        band_y = [*forecast["0.9"], *forecast["0.1"][::-1]]
        fig.add_scatter(x=list(tail.index), y=list(tail), name=f"{item_id} history", mode="lines")
        fig.add_scatter(
            x=band_x,
            y=band_y,
            fill="toself",
            name=f"{item_id} 10-90%",
            opacity=0.25,
            line={"width": 0},
            hoverinfo="skip",
        )
        fig.add_scatter(x=list(forecast.index), y=list(forecast["mean"]), name=f"{item_id} mean")
    fig.update_layout(title="Forecast", template="plotly_white", height=450)
    return str(fig.to_json()).encode()


def heatmap_plotly(matrix: pd.DataFrame, title: str) -> bytes:
    """Plotly figure JSON of a correlation matrix."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy().round(3).tolist(),
            x=list(matrix.columns),
            y=list(matrix.index),
            zmin=-1,
            zmax=1,
            colorscale="RdBu",
        )
    )
    fig.update_layout(title=title, template="plotly_white", height=450)
    return str(fig.to_json()).encode()
