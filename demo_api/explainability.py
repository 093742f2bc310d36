"""Real analyses of the demo series and their forecasts, turned into explainability artifacts."""

from __future__ import annotations

import html
from functools import partial

import numpy as np
import pandas as pd
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.stats.stattools import jarque_bera
from statsmodels.tsa.seasonal import seasonal_decompose
from statsmodels.tsa.stattools import acf

from demo_api import figures
from demo_api.artifacts import ArtifactSpec, Explainability, csv_bytes, markdown_table, text_bytes
from demo_api.data import Dataset
from demo_api.forecasting import Forecast, ItemFit

_NO_FEATURES = "ETS is not a feature-based model, so there are no features to attribute to."


def _forecast_visuals(fc: Forecast, title: str, items: int = 4) -> tuple[ArtifactSpec, ...]:
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


def _decomposition(fit: ItemFit, season: int) -> tuple[tuple[ArtifactSpec, ...], list[str]]:
    parts = seasonal_decompose(fit.history, model="additive", period=season)
    frame = pd.DataFrame(
        {
            "observed": parts.observed,
            "trend": parts.trend,
            "seasonal": parts.seasonal,
            "resid": parts.resid,
        }
    )
    trend = frame["trend"].dropna()
    per_year = (trend.iloc[-1] - trend.iloc[0]) / ((trend.index[-1] - trend.index[0]).days / 365.25)
    by_month = frame["seasonal"].groupby(pd.DatetimeIndex(frame.index).month).mean()
    amplitude = float(by_month.max() - by_month.min())
    peak = by_month.index[int(np.argmax(by_month.to_numpy()))]
    highlights = [
        f"Trend rises {per_year:.2f} units per year",
        f"Seasonal swing of {amplitude:.2f} units, peak in month {peak}",
    ]
    preview = markdown_table(by_month.rename("seasonal effect").to_frame().head(12).T, digits=2)
    return (
        ArtifactSpec(
            "seasonal_decomposition",
            "seasonal_decomposition",
            "Seasonal decomposition",
            "png",
            partial(figures.decomposition_png, frame, f"{fit.item_id}: additive decomposition"),
            highlights=tuple(highlights),
            preview_markdown=preview,
            description=f"Classical additive decomposition with period {season}.",
        ),
        ArtifactSpec(
            "decomposition_components",
            "seasonal_decomposition",
            "Decomposition components",
            "csv",
            partial(csv_bytes, frame.rename_axis("timestamp")),
            storage=True,
            embeddable=False,
            preview_markdown=markdown_table(frame.dropna().head(3), digits=2),
        ),
    ), highlights


def _autocorrelation(fit: ItemFit, lags: int = 36) -> tuple[ArtifactSpec, ...]:
    changes = fit.history.diff().dropna().to_numpy()
    values = np.asarray(acf(changes, nlags=lags, fft=True, result_object=False))
    bound = 1.96 / np.sqrt(len(changes))
    strongest = int(np.argmax(np.abs(values[1:])) + 1)
    table = pd.DataFrame({"lag": np.arange(lags + 1), "acf": values}).set_index("lag")
    significant = int((np.abs(values[1:]) > bound).sum())
    return (
        ArtifactSpec(
            "autocorrelation",
            "autocorrelation",
            "Autocorrelation of period-to-period changes",
            "svg",
            partial(figures.acf_svg, values, bound, f"{fit.item_id}: ACF of changes"),
            highlights=(
                f"Strongest autocorrelation at lag {strongest} ({values[strongest]:+.2f})",
                f"{significant} of {lags} lags outside the 95% band",
            ),
            description="Sample ACF of first differences with the 95% white-noise band.",
        ),
        ArtifactSpec(
            "autocorrelation_values",
            "autocorrelation",
            "ACF values",
            "csv",
            partial(csv_bytes, table),
            embeddable=False,
            preview_markdown=markdown_table(table.head(4).T, digits=3),
        ),
    )


def _residual_stats(fit: ItemFit) -> dict[str, float]:
    resid = fit.residuals[np.isfinite(fit.residuals)]
    box = acorr_ljungbox(resid, lags=[12, 24])
    _, jb_pvalue, skewness, _ = jarque_bera(resid)
    return {
        "mean": float(resid.mean()),
        "std": float(resid.std(ddof=1)),
        "skewness": float(skewness),
        "ljung_box_p_lag12": float(box["lb_pvalue"].iloc[0]),
        "ljung_box_p_lag24": float(box["lb_pvalue"].iloc[1]),
        "jarque_bera_p": float(jb_pvalue),
        "aic": fit.aic,
    }


def _residual_html(fit: ItemFit, values: dict[str, float]) -> bytes:
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{v:.4g}</td></tr>" for k, v in values.items())
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Residual diagnostics</title>"
        "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
        "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>"
        f"<h2>Residual diagnostics: {html.escape(fit.item_id)} ({html.escape(fit.model)})</h2>"
        f"<table>{rows}</table><p>Ljung-Box tests whether residuals are white noise; "
        "Jarque-Bera tests normality, which the Gaussian intervals assume.</p></body></html>"
    ).encode()


def _residuals(fit: ItemFit) -> tuple[ArtifactSpec, list[str]]:
    values = _residual_stats(fit)
    warnings = []
    if values["ljung_box_p_lag24"] < 0.05:
        warnings.append(
            f"{fit.item_id}: residuals are autocorrelated (Ljung-Box p="
            f"{values['ljung_box_p_lag24']:.3g} at lag 24); intervals may be too narrow."
        )
    spec = ArtifactSpec(
        "residual_diagnostics",
        "residual_diagnostics",
        "Residual diagnostics",
        "html",
        partial(_residual_html, fit, values),
        render_inline=True,
        storage=True,
        highlights=(f"Residual std {values['std']:.3g}", f"AIC {values['aic']:.1f}"),
        preview_markdown=markdown_table(pd.DataFrame([values]).round(4)),
    )
    return spec, warnings


def _model_note(fc: Forecast) -> ArtifactSpec:
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
    decomposition, trend_notes = _decomposition(fit, dataset.season or 12)
    residuals, residual_warnings = _residuals(fit)
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
            "feature_importance": _NO_FEATURES,
            "shap": _NO_FEATURES,
            "feature_correlation": "The job has no covariate columns to correlate.",
        },
        warnings=(*dataset.notes, *fit.warnings, *residual_warnings),
        artifacts=(
            *_forecast_visuals(fc, "CO2"),
            *decomposition,
            *_autocorrelation(fit),
            residuals,
            _model_note(fc),
        ),
    )


def correlations(dataset: Dataset, fc: Forecast, frame: pd.DataFrame, what: str) -> Explainability:
    """Feature-to-feature correlation (covariates, or items' returns) plus the forecast visuals."""
    matrix = frame.corr()
    pairs = pd.Series(matrix.where(np.triu(np.ones(matrix.shape, dtype=bool), k=1)).stack())
    top = pairs.abs().sort_values(ascending=False).head(3)
    lines = [f"{a} ~ {b}: {matrix.loc[a, b]:+.2f}" for a, b in top.index]
    note = f"## Strongest correlations ({what})\n\n" + "\n".join(f"- {x}" for x in lines) + "\n"
    artifacts = (
        *_forecast_visuals(fc, dataset.name),
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
    return Explainability(
        enabled=True,
        overview_markdown=f"# Overview\n\nData: {dataset.source}.\n\n{note}",
        selected=("forecast", "feature_correlation", "shap"),
        completed=("forecast", "feature_correlation"),
        skipped={"shap": _NO_FEATURES},
        warnings=tuple(w for f in fc.fits for w in f.warnings),
        artifacts=artifacts,
    )
