"""Diagnostics of one fitted series, each as artifacts: decomposition, ACF, residual tests."""

from __future__ import annotations

import html
from functools import partial

import numpy as np
import pandas as pd
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.stats.stattools import jarque_bera
from statsmodels.tsa.seasonal import seasonal_decompose
from statsmodels.tsa.stattools import acf

from demo_api.models import figures
from demo_api.models.artifacts import ArtifactSpec, csv_bytes, markdown_table
from demo_api.models.forecasting import ItemFit


def decomposition(fit: ItemFit, season: int) -> tuple[tuple[ArtifactSpec, ...], list[str]]:
    """Classical additive decomposition: a figure, its components, and two trend notes."""
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


def autocorrelation(fit: ItemFit, lags: int = 36) -> tuple[ArtifactSpec, ...]:
    """ACF of period-to-period changes, as a figure and its values."""
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


def residuals(fit: ItemFit) -> tuple[ArtifactSpec, list[str]]:
    """Ljung-Box and Jarque-Bera on the residuals, and a warning where they are autocorrelated."""
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
