"""Forecasts by statsmodels' ETS and ARIMA models, quantiles from their predictive distribution."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from demo_api.models.data_sets import Dataset
from demo_api.models.presets import ModelChoice
from demo_api.models.warning_filters import FILTERS_LOCK

# Part of the key of fits cached on disk (demo_api.models.fit_cache): bump it with any change here
# that alters what a fit returns, so no machine serves forecasts of the old code.
FORECASTING_VERSION = 1
QUANTILES: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
QUANTILE_COLUMNS: tuple[str, ...] = tuple(str(q) for q in QUANTILES)
CSV_COLUMNS: tuple[str, ...] = ("item_id", "timestamp", "mean", *QUANTILE_COLUMNS)
# Figures and reports draw the 10-90% band, so these are computed whatever the job asked for.
_BAND: tuple[float, ...] = (0.1, 0.9)


def csv_columns(quantiles: tuple[float, ...]) -> tuple[str, ...]:
    """The download's columns for a job that asked for `quantiles`."""
    return ("item_id", "timestamp", "mean", *(str(q) for q in quantiles))


@dataclass(frozen=True)
class ItemFit:
    """One item's fitted model, its residuals and its forecast (mean + quantile columns)."""

    item_id: str
    model: str
    aic: float
    residuals: np.ndarray
    history: pd.Series
    forecast: pd.DataFrame
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Forecast:
    """A job's forecast: the long CSV frame plus per-item fits where they were kept."""

    frame: pd.DataFrame
    method: str
    fits: tuple[ItemFit, ...] = ()
    # The download's columns; `frame` may hold more (the band that figures draw).
    columns: tuple[str, ...] = CSV_COLUMNS

    def csv(self) -> bytes:
        """The download: item_id,timestamp,mean and one column per quantile level."""
        out = self.frame[list(self.columns)].copy()
        out["timestamp"] = out["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        return out.to_csv(index=False, float_format="%.6g").encode()


def _ets_spec(series: pd.Series, season: int | None) -> tuple[dict[str, object], str]:
    if season and len(series) >= 3 * season:
        spec = {"trend": "add", "seasonal": "add", "seasonal_periods": season}
        return spec, "ETS(A,A,A)"
    if len(series) >= 10:
        return {"trend": "add", "damped_trend": True}, "ETS(A,Ad,N)"
    return {}, "ETS(A,N,N)"


def _chosen_spec(
    series: pd.Series, season: int | None, choice: ModelChoice
) -> tuple[dict[str, object], str]:
    """The ETS shape `choice` asks for, less what the series is too short to support."""
    spec: dict[str, object] = {}
    trend = choice.trend and len(series) >= 10
    seasonal = choice.seasonal and season is not None and len(series) >= 3 * season
    if trend:
        spec.update(trend="add", damped_trend=choice.damped)
    if seasonal:
        spec.update(seasonal="add", seasonal_periods=season)
    name = f"ETS(A,{('Ad' if choice.damped else 'A') if trend else 'N'},{'A' if seasonal else 'N'})"
    return spec, name


def _quantile_frame(
    prediction: object, mean: pd.Series, quantiles: tuple[float, ...]
) -> pd.DataFrame:
    frame = pd.DataFrame({"mean": mean.to_numpy()}, index=mean.index)
    for q in quantiles:
        if q == 0.5:
            # Additive-error ETS and ARIMA have Gaussian predictive distributions: median == mean.
            frame[str(q)] = mean.to_numpy()
            continue
        interval = _interval(prediction, 2 * min(q, 1 - q))
        frame[str(q)] = interval.iloc[:, 0 if q < 0.5 else 1].to_numpy()
    return frame


def _interval(prediction: object, alpha: float) -> pd.DataFrame:
    """The central (1 - alpha) interval of an ETS or an ARIMA prediction."""
    if hasattr(prediction, "pred_int"):
        return pd.DataFrame(prediction.pred_int(alpha=alpha))
    return pd.DataFrame(prediction.conf_int(alpha=alpha))  # type: ignore[attr-defined]


def _fit(
    series: pd.Series, horizon: int, season: int | None, choice: ModelChoice | None
) -> tuple[object, object, str]:
    """The fitted result, its prediction over `horizon` and the model's name."""
    if choice is not None and choice.family == "arima" and len(series) >= 8:
        result = ARIMA(series, order=(1, 1, 1)).fit()
        return result, result.get_forecast(horizon), "ARIMA(1,1,1)"
    if choice is None:
        spec, name = _ets_spec(series, season)
    else:
        spec, name = _chosen_spec(series, season, choice)
    result = ETSModel(series, error="add", **spec).fit(disp=False)
    prediction = result.get_prediction(start=len(series), end=len(series) + horizon - 1)
    return result, prediction, name


def fit_item(
    item_id: str,
    series: pd.Series,
    horizon: int,
    season: int | None,
    choice: ModelChoice | None = None,
    quantiles: tuple[float, ...] = QUANTILES,
) -> ItemFit:
    """Fit one series (by `choice`, else the demo's own pick) and forecast `horizon` steps."""
    levels = tuple(sorted({*quantiles, *_BAND}))
    with FILTERS_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result, prediction, name = _fit(series, horizon, season, choice)
        frame = _quantile_frame(prediction, prediction.predicted_mean, levels)  # type: ignore[attr-defined]
    return ItemFit(
        item_id=item_id,
        model=name,
        aic=float(result.aic),  # type: ignore[attr-defined]
        residuals=np.asarray(result.resid, dtype=float),  # type: ignore[attr-defined]
        history=series,
        forecast=frame,
        warnings=tuple(sorted({f"{item_id}: {w.message}" for w in caught})),
    )


def _long(item_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(names="timestamp")
    out.insert(0, "item_id", item_id)
    return out


def forecast_dataset(
    dataset: Dataset,
    horizon: int,
    *,
    choice: ModelChoice | None = None,
    quantiles: tuple[float, ...] = QUANTILES,
) -> Forecast:
    """Fit one model per item (fine for tens of items, not thousands)."""
    fits = tuple(
        fit_item(item, series, horizon, dataset.season, choice, quantiles)
        for item, series in dataset.series.items()
    )
    return assemble(fits, choice=choice, quantiles=quantiles)


def assemble(
    fits: tuple[ItemFit, ...],
    *,
    choice: ModelChoice | None = None,
    quantiles: tuple[float, ...] = QUANTILES,
) -> Forecast:
    """The forecast of a dataset from its items' fits (fitted now or read from disk)."""
    frame = pd.concat([_long(f.item_id, f.forecast) for f in fits], ignore_index=True)
    method = "statsmodels ETSModel" if choice is None else f"statsmodels {choice.label}"
    return Forecast(frame=frame, method=method, fits=fits, columns=csv_columns(quantiles))


def forecast_items(
    dataset: Dataset, fc: Forecast, limit: int
) -> list[tuple[str, pd.Series, pd.DataFrame]]:
    """(item_id, history, forecast indexed by timestamp) for the first `limit` items."""
    items = list(dict.fromkeys(fc.frame["item_id"].astype(str)))[:limit]
    out = []
    for item in items:
        rows = fc.frame[fc.frame["item_id"] == item]
        out.append(
            (item, dataset.series[item], rows.drop(columns="item_id").set_index("timestamp"))
        )
    return out


def forecast_many(dataset: Dataset, horizon: int, alpha: float = 0.3) -> Forecast:
    """ETS(A,N,N) with fixed alpha for thousands of items at once, with its closed-form intervals.

    Variance of the h-step error is sigma^2 * (1 + (h - 1) * alpha^2) (Hyndman & Athanasopoulos,
    FPP3 table 8.8); sigma is estimated from each item's one-step residuals.
    """
    items = list(dataset.series)
    values = np.vstack([dataset.series[i].to_numpy(dtype=float) for i in items])
    level = values[:, 0].copy()
    residuals = np.empty_like(values)
    for t in range(values.shape[1]):
        residuals[:, t] = values[:, t] - level
        level = level + alpha * residuals[:, t]
    sigma = residuals[:, 1:].std(axis=1, ddof=1)
    steps = np.arange(1, horizon + 1)
    spread = sigma[:, None] * np.sqrt(1 + (steps[None, :] - 1) * alpha**2)
    last = dataset.series[items[0]].index[-1]
    future = pd.date_range(last, periods=horizon + 1, freq=dataset.freq)[1:]
    columns: dict[str, object] = {
        "item_id": np.repeat(items, horizon),
        "timestamp": np.tile(future.to_numpy(), len(items)),
        "mean": np.repeat(level, horizon),
    }
    for q, column in zip(QUANTILES, QUANTILE_COLUMNS, strict=True):
        columns[column] = (level[:, None] + NormalDist().inv_cdf(q) * spread).ravel()
    return Forecast(frame=pd.DataFrame(columns), method=f"ETS(A,N,N), alpha={alpha} (vectorised)")
