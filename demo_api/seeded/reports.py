"""A job's forecast plot and report, in the format its scenario serves them."""

from __future__ import annotations

import html

import pandas as pd

from demo_api.models import figures
from demo_api.models.artifacts import markdown_table
from demo_api.models.data_sets import Dataset
from demo_api.models.forecasting import Forecast, forecast_items


def plot(dataset: Dataset, fc: Forecast, fmt: str) -> bytes:
    """`plotly_json` (up to 6 items) or `png` (first item)."""
    items = forecast_items(dataset, fc, 6)
    if fmt == "png":
        item, history, forecast = items[0]
        return figures.forecast_png(history, forecast, f"{item}: forecast")
    return figures.forecast_plotly(items)


def _summary(dataset: Dataset, fc: Forecast) -> pd.DataFrame:
    frame = fc.frame
    grouped = frame.groupby("item_id", sort=False)
    summary = pd.DataFrame(
        {
            "last_observed": [float(dataset.series[str(i)].iloc[-1]) for i in grouped.groups],
            "mean_forecast": grouped["mean"].mean(),
            "mean_10_90_width": (grouped["0.9"].mean() - grouped["0.1"].mean()),
        },
        index=list(grouped.groups),
    )
    return summary.head(20)


def report_markdown(dataset: Dataset, fc: Forecast) -> str:
    horizon = int(fc.frame.groupby("item_id").size().iloc[0])
    return (
        f"# Forecast report\n\nData: {dataset.source}.\n\nMethod: {fc.method}; horizon "
        f"{horizon} steps; {len(dataset.series)} items.\n\n"
        f"{markdown_table(_summary(dataset, fc), digits=3)}\n"
    )


def report(dataset: Dataset, fc: Forecast, fmt: str) -> bytes:
    """`markdown`, `html` (self-contained) or `pdf`."""
    text = report_markdown(dataset, fc)
    if fmt == "pdf":
        return figures.report_pdf(forecast_items(dataset, fc, 3), text)
    if fmt == "html":
        table = _summary(dataset, fc).to_html(float_format=lambda v: f"{v:.3f}", border=0)
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>Forecast report</title>"
            "<style>body{font-family:sans-serif}td,th{padding:2px 8px}</style></head><body>"
            f"<h1>Forecast report</h1><p>{html.escape(dataset.source)}</p>"
            f"<p>{html.escape(fc.method)}</p>{table}</body></html>"
        ).encode()
    return text.encode()
