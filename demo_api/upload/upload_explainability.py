"""Explainability for an uploaded job: each asked-for analysis the demo can really compute."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pandas as pd

from demo_api.models.artifacts import ArtifactSpec, Explainability
from demo_api.models.data_sets import Dataset
from demo_api.models.diagnostics import autocorrelation, decomposition, residuals
from demo_api.models.explainability import (
    NO_FEATURES,
    correlation_parts,
    forecast_visuals,
    model_note,
)
from demo_api.models.forecasting import Forecast
from demo_api.models.warning_filters import FILTERS_LOCK
from demo_api.upload.upload_form import DEFAULT_ANALYSES

# Below these lengths the statistics say nothing (or statsmodels cannot compute them).
_MIN_ACF_POINTS = 12
_MIN_RESIDUAL_POINTS = 30
_MAX_ACF_LAGS = 36

Outcome = tuple[tuple[ArtifactSpec, ...], tuple[str, ...]] | str
Analysis = Callable[[Dataset, Forecast], Outcome]


def _forecast(dataset: Dataset, fc: Forecast) -> Outcome:
    return (*forecast_visuals(fc, dataset.source), model_note(fc)), ()


def _decomposition(dataset: Dataset, fc: Forecast) -> Outcome:
    fit, season = fc.fits[0], dataset.season
    if season is None:
        return f"The frequency {dataset.freq} has no seasonal period to decompose by."
    if len(fit.history) < 2 * season:
        needed = 2 * season
        return f"{fit.item_id} has {len(fit.history)} points; two seasons ({needed}) are needed."
    artifacts, _ = decomposition(fit, season)
    return artifacts, ()


def _autocorrelation(dataset: Dataset, fc: Forecast) -> Outcome:
    fit = fc.fits[0]
    if len(fit.history) < _MIN_ACF_POINTS:
        return f"{fit.item_id} has {len(fit.history)} points; {_MIN_ACF_POINTS} are needed."
    return autocorrelation(fit, min(_MAX_ACF_LAGS, len(fit.history) // 2)), ()


def _residuals(dataset: Dataset, fc: Forecast) -> Outcome:
    fit = fc.fits[0]
    if len(fit.history) < _MIN_RESIDUAL_POINTS:
        return f"{fit.item_id} has {len(fit.history)} points; {_MIN_RESIDUAL_POINTS} are needed."
    spec, found = residuals(fit)
    return (spec,), tuple(found)


def _correlation(dataset: Dataset, fc: Forecast) -> Outcome:
    if len(dataset.series) < 2:
        return "The upload has one item and no covariate columns: nothing to correlate."
    changes = pd.DataFrame(dict(dataset.series)).pct_change(fill_method=None).dropna()
    if len(changes) < 3:
        return "Too few common timestamps across items to correlate their changes."
    artifacts, _ = correlation_parts(changes, "items' period-to-period changes")
    return artifacts, ()


_ANALYSES: dict[str, Analysis] = {
    "forecast": _forecast,
    "seasonal_decomposition": _decomposition,
    "autocorrelation": _autocorrelation,
    "residual_diagnostics": _residuals,
    "feature_correlation": _correlation,
    "feature_importance": lambda _d, _f: NO_FEATURES,
    "shap": lambda _d, _f: NO_FEATURES,
}


def _overview(dataset: Dataset, fc: Forecast, completed: list[str]) -> str:
    fit = fc.fits[0]
    done = ", ".join(completed) or "none"
    return (
        f"# Why the forecast looks like this\n\nData: {dataset.source}, {len(dataset.series)} "
        f"item(s) at frequency {dataset.freq}.\n\n- Model: **{fit.model}** ({fc.method}).\n"
        f"- Analyses on the first item ({fit.item_id}): {done}.\n"
    )


def explain_upload(dataset: Dataset, fc: Forecast, asked: tuple[str, ...]) -> Explainability:
    """Each analysis of `asked` (default: all), or why it was skipped (too little data, unknown)."""
    selected = asked or DEFAULT_ANALYSES
    artifacts: list[ArtifactSpec] = []
    completed: list[str] = []
    skipped: dict[str, str] = {}
    found: list[str] = []
    with FILTERS_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in selected:
            analysis = _ANALYSES.get(name)
            outcome = analysis(dataset, fc) if analysis else "The demo API has no such analysis."
            if isinstance(outcome, str):
                skipped[name] = outcome
                continue
            artifacts += outcome[0]
            found += outcome[1]
            completed.append(name)
    fit_warnings = [w for fit in fc.fits for w in fit.warnings]
    return Explainability(
        enabled=True,
        overview_markdown=_overview(dataset, fc, completed),
        selected=tuple(selected),
        completed=tuple(completed),
        skipped=skipped,
        warnings=(*fit_warnings, *found, *sorted({str(w.message) for w in caught})),
        artifacts=tuple(artifacts),
    )
