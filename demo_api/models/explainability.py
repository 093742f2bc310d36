"""Real analyses of the demo series and their forecasts, turned into explainability artifacts."""

from __future__ import annotations

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
from demo_api.models.diagnostics import autocorrelation, decomposition, residuals
from demo_api.models.forecasting import Forecast

NO_FEATURES = "ETS is not a feature-based model, so there are no features to attribute to."


def forecast_visuals(fc: Forecast, title: str, items: int = 4) -> tuple[ArtifactSpec, ...]:
    shown = [(f.item_id, f.history, f.forecast) for f in fc.fits[:items]]
    first = fc.fits[0]
    return (
        ArtifactSpec(
            "forecast_plot",
            "forecast",
            f"{title}: forecast with 10-90% band",
            "plotly_json",
            partial(figures.forecast_plotly, shown),
            render_inline=True,
            is_primary_visual=True,
            description="History and forecast mean with the model's 10%-90% prediction interval.",
        ),
        ArtifactSpec(
            "forecast_thumbnail",
            "forecast",
            f"{first.item_id} (thumbnail)",
            "png",
            partial(figures.forecast_png, first.history, first.forecast, first.item_id, thumb=True),
            is_thumbnail=True,
            description="Small preview of the first item's forecast.",
        ),
    )


def model_note(fc: Forecast) -> ArtifactSpec:
    table = pd.DataFrame(
        {"model": [f.model for f in fc.fits], "aic": [f.aic for f in fc.fits]},
        index=[f.item_id for f in fc.fits],
    )
    text = f"## Models\n\nFitted with {fc.method}.\n\n{markdown_table(table, digits=1)}\n"
    return ArtifactSpec(
        "model_summary",
        "forecast",
        "Model summary",
        "markdown",
        text_bytes(text),
        render_inline=True,
        preview_markdown=text[:200],
    )


def full(dataset: Dataset, fc: Forecast) -> Explainability:
    """Every analysis the demo knows, on a seasonal single series (Mauna Loa CO2)."""
    fit = fc.fits[0]
    decomposed, trend_notes = decomposition(fit, dataset.season or 12)
    diagnosed, residual_warnings = residuals(fit)
    overview = (
        f"# Why the forecast looks like this\n\nData: {dataset.source}.\n\n"
        f"- {trend_notes[0]}.\n- {trend_notes[1]}.\n- Model: **{fit.model}**, "
        f"AIC {fit.aic:.1f}; intervals come from the model's Gaussian predictive distribution.\n"
    )
    return Explainability(
        enabled=True,
        overview_markdown=overview,
        selected=(
            "forecast",
            "seasonal_decomposition",
            "autocorrelation",
            "residual_diagnostics",
            "feature_importance",
            "shap",
            "feature_correlation",
        ),
        completed=("forecast", "seasonal_decomposition", "autocorrelation", "residual_diagnostics"),
        skipped={
            "feature_importance": NO_FEATURES,
            "shap": NO_FEATURES,
            "feature_correlation": "The job has no covariate columns to correlate.",
        },
        warnings=(*dataset.notes, *fit.warnings, *residual_warnings),
        artifacts=(
            *forecast_visuals(fc, "CO2"),
            *decomposed,
            *autocorrelation(fit),
            diagnosed,
            model_note(fc),
        ),
    )


def correlation_parts(frame: pd.DataFrame, what: str) -> tuple[tuple[ArtifactSpec, ...], str]:
    """Feature-to-feature correlation of `frame`'s columns: its artifacts and a markdown note."""
    matrix = frame.corr()
    pairs = pd.Series(matrix.where(np.triu(np.ones(matrix.shape, dtype=bool), k=1)).stack())
    top = pairs.abs().sort_values(ascending=False).head(3)
    lines = [f"{a} ~ {b}: {matrix.loc[a, b]:+.2f}" for a, b in top.index]
    note = f"## Strongest correlations ({what})\n\n" + "\n".join(f"- {x}" for x in lines) + "\n"
    artifacts = (
        ArtifactSpec(
            "feature_correlation",
            "feature_correlation",
            f"Correlation of {what}",
            "plotly_json",
            partial(figures.heatmap_plotly, matrix, f"Correlation of {what}"),
            highlights=tuple(lines),
            render_inline=True,
        ),
        ArtifactSpec(
            "feature_correlation_matrix",
            "feature_correlation",
            "Correlation matrix",
            "csv",
            partial(csv_bytes, matrix),
            storage=True,
            embeddable=False,
            preview_markdown=markdown_table(matrix.iloc[:3, :3], digits=2),
        ),
        ArtifactSpec(
            "correlation_notes",
            "feature_correlation",
            "Correlation notes",
            "markdown",
            text_bytes(note),
            render_inline=True,
            preview_markdown=note,
        ),
    )
    return artifacts, note


def correlations(dataset: Dataset, fc: Forecast, frame: pd.DataFrame, what: str) -> Explainability:
    """Feature-to-feature correlation (covariates, or items' returns) plus the forecast visuals."""
    artifacts, note = correlation_parts(frame, what)
    return Explainability(
        enabled=True,
        overview_markdown=f"# Overview\n\nData: {dataset.source}.\n\n{note}",
        selected=("forecast", "feature_correlation", "shap"),
        completed=("forecast", "feature_correlation"),
        skipped={"shap": NO_FEATURES},
        warnings=tuple(w for f in fc.fits for w in f.warnings),
        artifacts=(*forecast_visuals(fc, dataset.name), *artifacts),
    )
