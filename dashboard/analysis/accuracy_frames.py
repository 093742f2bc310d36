"""A forecast and its actuals lined up for scoring: times zoned, rows joined on (item, time).

The columns are named as utilsforecast's losses are called with them (unique_id, ds, y).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.forecasts.forecast_data import ForecastColumns, ForecastData
from dashboard.series.observations import ITEM, TIME, VALUE, Observations

# Column names utilsforecast's losses are called with.
ID, DS, Y, MODEL = "unique_id", "ds", "y", "forecast"
_ALL_ROWS = "all rows"


@dataclass(frozen=True)
class Aligned:
    """The steps to score, the history before them, and the items no actual reached."""

    scored: pd.DataFrame  # unique_id, ds, y and the forecast's columns, one row per scored step
    history: pd.DataFrame  # unique_id, ds, y before each item's first forecast time
    unscored: list[str]


def forecast_times(forecast: ForecastData, item: str) -> pd.Series:
    """An item's forecast times, zoned with the file's offset when it wrote one.

    The reader keeps times as written (wall clock) and says the offset in `time_offset`; zoned
    here, `Observations.for_item` converts zoned observations into that offset, not into UTC.
    """
    return _zoned(forecast.item_frame(item)[forecast.columns.timestamp], forecast.time_offset)


def _zoned(times: pd.Series, offset: str | None) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(times):
        return times.astype(float)  # steps, as for_item gives observed steps
    if offset is None:
        return times
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = (int(part) for part in offset[1:].split(":"))
    zoned: pd.Series = times.dt.tz_localize(
        timezone(sign * timedelta(hours=hours, minutes=minutes))
    )
    return zoned


def actuals_for(forecast: ForecastData, observed: Observations, item: str) -> pd.DataFrame:
    """The observations of `item` (ITEM, TIME, VALUE), times comparable with forecast_times."""
    return observed.for_item(item, forecast.items, forecast_times(forecast, item))


def point_label(columns: ForecastColumns) -> str | None:
    """What is scored as the point forecast: the point, else the median, else a band's middle."""
    if columns.point is not None:
        return columns.point
    median = _median(columns)
    if median is not None:
        return median
    if columns.bands:
        narrow = columns.bands[-1]
        return f"middle of {narrow.lower} and {narrow.upper}"
    return None


def _median(columns: ForecastColumns) -> str | None:
    return next((name for level, name in columns.quantiles if abs(level - 0.5) < 1e-9), None)


def align(forecast: ForecastData, observed: Observations) -> Aligned:
    """Forecast and observed rows joined on (item, time) in one merge, and the history before."""
    planned = _forecast_long(forecast)
    actual = _observed_long(forecast, observed)
    scored = planned.merge(actual, on=[ID, DS], how="inner")
    scored = scored[scored[MODEL].notna().to_numpy()].reset_index(drop=True)
    starts = planned.groupby(ID, sort=False)[DS].min().rename("_start")
    history = actual.merge(starts, left_on=ID, right_index=True, how="inner")
    history = history[(history[DS] < history["_start"]).to_numpy()].drop(columns="_start")
    seen = set(scored[ID].unique())
    unscored = [item for item in forecast.items if item not in seen]
    return Aligned(scored, history.reset_index(drop=True), unscored)


def _forecast_long(forecast: ForecastData) -> pd.DataFrame:
    """Every item's forecast under the names utilsforecast is called with (the file's clash).

    unique_id, ds, the point as MODEL, quantile i as q{i}, bands as forecast-lo-80 / -hi-80.
    """
    columns, frame = forecast.columns, forecast.frame
    ids = np.full(len(frame), "", dtype=object)
    kept = np.zeros(len(frame), dtype=bool)
    for item, (start, stop) in forecast.slices.items():
        ids[start:stop], kept[start:stop] = item, True
    frame = frame[kept]

    def values(name: str) -> npt.NDArray[np.float64]:
        column: pd.Series = frame[name]
        return column.to_numpy(dtype=np.float64)

    point = columns.point or _median(columns)
    if point is None:
        narrow = columns.bands[-1]
        middle = (values(narrow.lower) + values(narrow.upper)) / 2
    rows = {
        ID: ids[kept],
        DS: _zoned(frame[columns.timestamp], forecast.time_offset).to_numpy(),
        MODEL: values(point) if point is not None else middle,
    }
    for index, (_, name) in enumerate(columns.quantiles):
        rows[f"q{index}"] = values(name)
    for lower, upper, level in columns.intervals():
        if level is None:
            continue  # not scored: nothing says what share of actuals it should hold
        rows[f"{MODEL}-lo-{level}"] = values(lower)
        rows[f"{MODEL}-hi-{level}"] = values(upper)
    return pd.DataFrame(rows)


def _observed_long(forecast: ForecastData, observed: Observations) -> pd.DataFrame:
    """unique_id, ds, y: items named as the forecast names them, times comparable with its."""
    frame = observed.frame
    ids = frame[ITEM].astype(str).to_numpy(dtype=object)
    # A single observed series matches a single forecast series whatever either is called.
    if len(forecast.items) == 1 and len(set(ids)) == 1:
        ids = np.full(len(frame), forecast.items[0], dtype=object)
    # for_item makes times comparable; asked once for every row, as if they were one series.
    like = _zoned(forecast.frame[forecast.columns.timestamp].iloc[:1], forecast.time_offset)
    whole = Observations(frame.assign(**{ITEM: _ALL_ROWS}), observed.source)
    times = whole.for_item(_ALL_ROWS, [_ALL_ROWS], like)
    if times.empty:
        # Typed as the forecast's times: an untyped empty column is float, and the history's
        # `ds < start` then compares floats with dates (the TypeError /compare once showed).
        return pd.DataFrame(
            {ID: np.array([], dtype=object), DS: like.iloc[0:0].to_numpy(), Y: np.array([])}
        )
    return pd.DataFrame(
        {ID: ids, DS: times[TIME].to_numpy(), Y: times[VALUE].to_numpy(dtype=np.float64)}
    )


def outside(frame: pd.DataFrame, actuals: pd.DataFrame, columns: ForecastColumns) -> pd.DataFrame:
    """The actuals outside the widest band: TIME, VALUE, the band's edges and "above"/"below".

    `frame` is one item's forecast rows, `actuals` what `Observations.for_item` returned for
    `frame[columns.timestamp]` (or `actuals_for`, with times as `forecast_times`).
    """
    result_columns = [TIME, VALUE, "lower", "upper", "side"]
    if not columns.bands or actuals.empty:
        return pd.DataFrame(columns=result_columns)
    widest = columns.bands[0]
    band = pd.DataFrame(
        {
            TIME: frame[columns.timestamp].to_numpy(),
            "lower": frame[widest.lower].to_numpy(dtype=np.float64),
            "upper": frame[widest.upper].to_numpy(dtype=np.float64),
        }
    )
    # Zoned actuals from actuals_for carry the file's own offset: its wall clock, zoned.
    if getattr(actuals[TIME].dtype, "tz", None) is not None and band[TIME].dt.tz is None:
        band[TIME] = band[TIME].dt.tz_localize(actuals[TIME].dt.tz)
    both = actuals[[TIME, VALUE]].merge(band, on=TIME, how="inner")
    above = (both[VALUE] > both["upper"]).to_numpy()
    below = (both[VALUE] < both["lower"]).to_numpy()
    both["side"] = np.where(above, "above", "below")
    return both[above | below].reset_index(drop=True)[result_columns]
