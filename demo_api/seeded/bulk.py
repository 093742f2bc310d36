"""Explainability for the bulk scenarios: hundreds of artifacts, and thousands of items."""

from __future__ import annotations

import re
from functools import partial

import numpy as np
import pandas as pd

from demo_api.models import figures
from demo_api.models.artifacts import (
    ArtifactSpec,
    Explainability,
    csv_bytes,
    markdown_table,
    text_bytes,
)
from demo_api.models.data_sets import Dataset
from demo_api.models.forecasting import Forecast, forecast_items


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _country_artifacts(item: str, series: pd.Series, order: int) -> tuple[ArtifactSpec, ...]:
    years = pd.DatetimeIndex(series.index).year.to_numpy(dtype=float)
    slope = float(np.polyfit(years, series.to_numpy(), 1)[0]) * 10
    note = (
        f"## {item}\n\nLife expectancy went from {series.iloc[0]:.1f} ({series.index[0].year}) "
        f"to {series.iloc[-1]:.1f} ({series.index[-1].year}): a linear trend of "
        f"{slope:+.2f} years per decade.\n"
    )
    slug = _slug(item)
    return (
        ArtifactSpec(
            f"trend_{slug}",
            "trend",
            f"{item}: trend",
            "markdown",
            text_bytes(note),
            highlights=(f"{slope:+.2f} years per decade",),
            preview_markdown=note,
            storage=order % 2 == 0,
        ),
        ArtifactSpec(
            f"series_{slug}",
            "trend",
            f"{item}: series",
            "csv",
            partial(
                csv_bytes, series.rename("life_expectancy").rename_axis("timestamp").to_frame()
            ),
            embeddable=False,
            storage=order % 2 == 1,
        ),
    )


def many(dataset: Dataset, fc: Forecast) -> Explainability:
    """One trend note and one CSV per country: 2 x 142 artifacts plus the forecast visuals."""
    shown = forecast_items(dataset, fc, 4)
    primary = ArtifactSpec(
        "forecast_plot",
        "forecast",
        "Life expectancy forecast (first 4 countries)",
        "plotly_json",
        partial(figures.forecast_plotly, shown),
        is_primary_visual=True,
        render_inline=True,
    )
    per_country = tuple(
        spec
        for order, (item, series) in enumerate(dataset.series.items())
        for spec in _country_artifacts(item, series, order)
    )
    return Explainability(
        enabled=True,
        overview_markdown=(
            f"# Life expectancy, {len(dataset.series)} countries\n\nData: {dataset.source}. "
            "Each country has a trend note and its series as CSV.\n"
        ),
        selected=("forecast", "trend"),
        completed=("forecast", "trend"),
        warnings=(f"Forecast by {fc.method}: life expectancy has no seasonality to model.",),
        artifacts=(primary, *per_country),
    )


def large(dataset: Dataset, fc: Forecast) -> Explainability:
    """Summary of interval widths across thousands of generated items."""
    frame = fc.frame
    width = (frame["0.9"] - frame["0.1"]) / frame["mean"].abs().clip(lower=1e-9)
    per_item = width.groupby(frame["item_id"]).mean().sort_values(ascending=False)
    widest = per_item.head(10).rename("mean relative 10-90% width").to_frame()
    note = (
        f"# {len(dataset.series)} generated items\n\n**This data is synthetic**: "
        f"{dataset.source}.\n\nForecast by {fc.method}.\n\n## Widest intervals\n\n"
        f"{markdown_table(widest)}\n"
    )
    sample = fc.frame[fc.frame["item_id"] == per_item.index[0]].set_index("timestamp")
    history = dataset.series[str(per_item.index[0])]
    return Explainability(
        enabled=True,
        overview_markdown=note,
        selected=("forecast", "uncertainty_summary", "shap"),
        completed=("forecast", "uncertainty_summary"),
        skipped={"shap": "Skipped for jobs over 1,000 items (cost)."},
        warnings=dataset.notes,
        artifacts=(
            ArtifactSpec(
                "widest_item_forecast",
                "forecast",
                f"{per_item.index[0]} (widest interval)",
                "png",
                partial(figures.forecast_png, history, sample, str(per_item.index[0])),
                is_primary_visual=True,
            ),
            ArtifactSpec(
                "interval_widths",
                "uncertainty_summary",
                "Relative interval width per item",
                "csv",
                partial(csv_bytes, per_item.rename("relative_width").to_frame()),
                storage=True,
                embeddable=False,
                preview_markdown=markdown_table(widest.head(3)),
            ),
            ArtifactSpec(
                "uncertainty_notes",
                "uncertainty_summary",
                "Uncertainty summary",
                "markdown",
                text_bytes(note),
                render_inline=True,
            ),
        ),
    )
