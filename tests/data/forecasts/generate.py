"""Regenerate the tool-written forecasts of this folder with the tools themselves.

Run in a scratch virtualenv, never the project's (these tools are not dependencies):

    python3 -m venv /tmp/vtools
    /tmp/vtools/bin/pip install statsforecast mlforecast prophet skforecast sktime u8darts
    /tmp/vtools/bin/python tests/data/forecasts/generate.py

Each file is the tool's own output written with pandas' `to_csv`, cut to a few rows. The
hand-written files (tools that need a GPU, a cloud account or another language) are listed
with their sources in README.md.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

HERE = Path(__file__).resolve().parent
STEPS = 3
MONTHS = pd.date_range("2023-01-01", periods=36, freq="MS")


def history(base: float, seed: int) -> npt.NDArray[np.float64]:
    """Three years of a monthly series with a trend and a yearly wave."""
    noise = np.random.default_rng(seed).normal(0, 1, len(MONTHS))
    months = np.arange(len(MONTHS), dtype=np.float64)
    wave: npt.NDArray[np.float64] = 5 * np.sin(months / 12 * 2 * np.pi)
    return base + months + wave + noise


def long_history() -> pd.DataFrame:
    """Two series in Nixtla's long layout; one id keeps its leading zeros."""
    frames = [
        pd.DataFrame({"unique_id": uid, "ds": MONTHS, "y": history(base, seed)})
        for seed, (uid, base) in enumerate((("007", 100.0), ("store_B", 40.0)))
    ]
    return pd.concat(frames, ignore_index=True)


def one_series(name: str = "y") -> pd.Series:
    """One monthly series; its index keeps the month-start frequency the tools ask for."""
    return pd.Series(history(100.0, 0), index=MONTHS, name=name)


def write(name: str, frame: pd.DataFrame, *, index: bool = False) -> None:
    (HERE / name).write_text(frame.to_csv(index=index), encoding="utf-8")


def statsforecast_files() -> None:
    from statsforecast import StatsForecast  # type: ignore[import-not-found]
    from statsforecast.models import AutoETS, Naive  # type: ignore[import-not-found]

    forecaster = StatsForecast(models=[AutoETS(season_length=12), Naive()], freq="MS")
    write(
        "statsforecast_levels.csv", forecaster.forecast(df=long_history(), h=STEPS, level=[80, 95])
    )
    cv = forecaster.cross_validation(df=long_history(), h=2, n_windows=2)
    write("statsforecast_cross_validation.csv", cv)


def mlforecast_file() -> None:
    from mlforecast import MLForecast  # type: ignore[import-not-found]
    from mlforecast.utils import PredictionIntervals  # type: ignore[import-not-found]
    from sklearn.linear_model import LinearRegression  # type: ignore[import-not-found]

    forecaster = MLForecast(models=[LinearRegression()], freq="MS", lags=[1, 12])
    forecaster.fit(long_history(), prediction_intervals=PredictionIntervals(n_windows=2, h=STEPS))
    write("mlforecast_levels.csv", forecaster.predict(STEPS, level=[80]))


def prophet_file() -> None:
    from prophet import Prophet  # type: ignore[import-not-found]

    model = Prophet(yearly_seasonality=True, weekly_seasonality=False, daily_seasonality=False)
    model.fit(pd.DataFrame({"ds": MONTHS, "y": history(100.0, 0)}))
    future = model.make_future_dataframe(periods=STEPS, freq="MS", include_history=False)
    write("prophet_predict.csv", model.predict(future), index=True)  # as users save it


def skforecast_files() -> None:
    from skforecast.recursive import (  # type: ignore[import-not-found]
        ForecasterRecursive,
        ForecasterRecursiveMultiSeries,
    )
    from sklearn.linear_model import LinearRegression

    single = ForecasterRecursive(estimator=LinearRegression(), lags=12)
    single.fit(y=one_series(), store_in_sample_residuals=True)
    write("skforecast_interval.csv", single.predict_interval(steps=STEPS), index=True)
    write("skforecast_quantiles.csv", single.predict_quantiles(steps=STEPS), index=True)
    both = pd.DataFrame({"store_A": history(100.0, 0), "store_B": history(40.0, 1)}, MONTHS)
    multi = ForecasterRecursiveMultiSeries(estimator=LinearRegression(), lags=12)
    multi.fit(series=both, store_in_sample_residuals=True)
    write("skforecast_multiseries.csv", multi.predict_interval(steps=STEPS), index=True)


def sktime_files() -> None:
    from sktime.forecasting.theta import ThetaForecaster  # type: ignore[import-not-found]

    months = pd.period_range("2023-01", periods=len(MONTHS), freq="M")
    sales = pd.Series(history(100.0, 0), index=months, name="sales")
    forecaster = ThetaForecaster(sp=12).fit(sales)
    horizon = list(range(1, STEPS + 1))
    write("sktime_predict.csv", forecaster.predict(fh=horizon).to_frame(), index=True)
    intervals = forecaster.predict_interval(fh=horizon, coverage=[0.8, 0.95])
    write("sktime_interval.csv", intervals, index=True)
    write(
        "sktime_quantiles.csv",
        forecaster.predict_quantiles(fh=horizon, alpha=[0.1, 0.9]),
        index=True,
    )


def darts_files() -> None:
    from darts import TimeSeries  # type: ignore[import-not-found]
    from darts.models import ExponentialSmoothing  # type: ignore[import-not-found]

    frame = pd.DataFrame({"Month": MONTHS, "#Passengers": history(100.0, 0)})
    series = TimeSeries.from_dataframe(frame, time_col="Month", value_cols="#Passengers")
    model = ExponentialSmoothing(seasonal_periods=12).fit(series)
    model.predict(STEPS).to_csv(HERE / "darts_predict.csv")
    samples = model.predict(STEPS, num_samples=20)
    quantiles = [samples.quantile(level).to_dataframe() for level in (0.1, 0.5, 0.9)]
    write("darts_quantiles.csv", pd.concat(quantiles, axis=1), index=True)
    sampled = samples.to_dataframe(suppress_warnings=True).iloc[:, :5]
    write("darts_samples.csv", sampled, index=True)


def main() -> None:
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    tools: list[Callable[[], None]] = [
        statsforecast_files,
        mlforecast_file,
        prophet_file,
        skforecast_files,
        sktime_files,
        darts_files,
    ]
    for tool in tools:
        tool()


if __name__ == "__main__":
    main()
