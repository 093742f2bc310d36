"""One series' scores from utilsforecast's losses: MAE, RMSE, sMAPE, MASE, wQL, band coverage."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.analysis.accuracy_frames import ID, MODEL, Y
from dashboard.analysis.metrics import (
    COVERAGE_KEY,
    COVERAGE_UNSTATED,
    MASE,
    WQL,
    mase_missing,
    wql_missing,
)
from dashboard.forecasts.forecast_data import ForecastColumns

with warnings.catch_warnings():
    # utilsforecast 0.2.17's losses.py has an invalid escape ("\h") in a docstring. Compiled
    # without a cached .pyc (PYTHONDONTWRITEBYTECODE), its warning (a DeprecationWarning before
    # Python 3.12, a SyntaxWarning since) fails any run where warnings are errors.
    for category in (DeprecationWarning, SyntaxWarning):
        warnings.filterwarnings("ignore", "invalid escape sequence", category)
    from utilsforecast import losses


@dataclass(frozen=True)
class ItemScore:
    """One series' scores over the steps that have an actual."""

    item: str
    steps: int
    mae: float
    rmse: float
    smape: float  # in percent, 0..100 (dashboard/analysis/metrics.py)
    # None when the history is too short (or flat) for the seasonal naive scale.
    mase: float | None
    # Weighted quantile loss; None without quantile columns (or when every actual is 0).
    wql: float | None
    # Band coverage % (from ForecastColumns.intervals()) -> share of actuals inside, 0..1.
    coverage: dict[int, float] = field(default_factory=dict)
    # Metric attribute ("mase", "wql") -> why it is None, for people.
    missing: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Levels:
    """The quantile levels and band coverages of the forecast, in the order of its columns."""

    quantiles: tuple[float, ...]
    coverages: tuple[int, ...]
    # A band whose coverage the file does not state: it has no coverage to be scored against.
    unstated: bool = False

    @classmethod
    def of(cls, columns: ForecastColumns) -> Levels:
        levels = [level for _, _, level in columns.intervals()]
        coverages = tuple(dict.fromkeys(level for level in levels if level is not None))
        quantiles = tuple(level for level, _ in columns.quantiles)
        return cls(quantiles, coverages, unstated=None in levels)


def item_scores(
    frame: pd.DataFrame, history: pd.DataFrame, levels: Levels, season: int
) -> list[ItemScore]:
    """One ItemScore per unique_id of `frame`, each loss from utilsforecast."""
    per_item = losses.mae(frame, [MODEL]).set_index(ID)[MODEL].rename("mae").to_frame()
    per_item["rmse"] = losses.rmse(frame, [MODEL]).set_index(ID)[MODEL]
    per_item["smape"] = 100 * losses.smape(frame, [MODEL]).set_index(ID)[MODEL]
    per_item["steps"] = frame.groupby(ID, sort=True).size()
    mase = _mase(frame, history, season)
    wql = _wql(frame, levels.quantiles)
    coverage = _coverage(frame, levels.coverages)
    known = history.groupby(ID, sort=False).size()
    return [
        ItemScore(
            item=str(item),
            steps=int(row.steps),
            mae=float(row.mae),
            rmse=float(row.rmse),
            smape=float(row.smape),
            mase=mase.get(str(item)),
            wql=wql.get(str(item)),
            coverage={level: shares[str(item)] for level, shares in coverage.items()},
            missing=_missing(
                str(item) in mase, str(item) in wql, int(known.get(item, 0)), season, levels
            ),
        )
        for item, row in per_item.iterrows()
    ]


def _missing(
    has_mase: bool, has_wql: bool, history_points: int, season: int, levels: Levels
) -> dict[str, str]:
    """Why each metric an item lacks could not be computed."""
    missing = {}
    if not has_mase:
        missing[MASE.attribute] = mase_missing(history_points, season)
    if not has_wql:
        missing[WQL.attribute] = wql_missing(bool(levels.quantiles))
    if levels.unstated:
        missing[COVERAGE_KEY] = COVERAGE_UNSTATED
    return missing


def _finite(values: pd.Series) -> dict[str, float]:
    return {str(key): float(value) for key, value in values.items() if np.isfinite(value)}


def _mase(frame: pd.DataFrame, history: pd.DataFrame, season: int) -> dict[str, float]:
    """utilsforecast's MASE, for the items with history; NaN or infinite scales left out."""
    if history.empty:
        return {}
    known = frame[frame[ID].isin(history[ID].unique()).to_numpy()]
    if known.empty:
        return {}
    result = losses.mase(known, [MODEL], seasonality=season, train_df=history)
    return _finite(result.set_index(ID)[MODEL])


def _wql(frame: pd.DataFrame, quantiles: tuple[float, ...]) -> dict[str, float]:
    if not quantiles:
        return {}
    names = [f"q{index}" for index in range(len(quantiles))]
    result = losses.mqloss(frame, {"wql": names}, np.array(quantiles))
    mean_loss = result.set_index(ID)["wql"]
    steps = frame.groupby(ID, sort=True).size()
    actual_sum = frame[Y].abs().groupby(frame[ID], sort=True).sum()
    # mqloss averages the pinball loss over the steps and levels; wQL sums it over the steps.
    return _finite(2 * mean_loss * steps / actual_sum.where(actual_sum > 0))


def _coverage(frame: pd.DataFrame, coverages: tuple[int, ...]) -> dict[int, dict[str, float]]:
    shares = {}
    for level in coverages:
        inside = losses.coverage(frame, [MODEL], level=level).set_index(ID)[MODEL]
        shares[level] = {str(key): float(value) for key, value in inside.items()}
    return shares
