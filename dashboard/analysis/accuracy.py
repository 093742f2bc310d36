"""How a forecast did against what was observed since: utilsforecast's losses, item by item.

Each metric's definition, scale and label is dashboard/analysis/metrics.py's. sMAPE is
utilsforecast's share (0 to 1) times 100. MASE divides the mean absolute error by the history's
seasonal naive in-sample error. wQL is GluonTS's weighted quantile loss. A metric that cannot be
computed is None, and `ItemScore.missing` says why.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from datetime import timedelta, timezone

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.analysis.metrics import (
    COVERAGE_KEY,
    COVERAGE_UNSTATED,
    MASE,
    WQL,
    mase_missing,
    wql_missing,
)
from dashboard.analysis.seasonality import season_length
from dashboard.forecasts.forecast_data import ForecastColumns, ForecastData
from dashboard.series.observations import ITEM, TIME, VALUE, Observations

with warnings.catch_warnings():
    # utilsforecast 0.2.17's losses.py has an invalid escape ("\h") in a docstring. Compiled
    # without a cached .pyc (PYTHONDONTWRITEBYTECODE), its warning (a DeprecationWarning before
    # Python 3.12, a SyntaxWarning since) fails any run where warnings are errors.
    for category in (DeprecationWarning, SyntaxWarning):
        warnings.filterwarnings("ignore", "invalid escape sequence", category)
    from utilsforecast import losses

ALL_ITEMS = "All items"
# Column names utilsforecast's losses are called with.
_ID, _DS, _Y, _MODEL = "unique_id", "ds", "y", "forecast"
_ALL_ROWS = "all rows"


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
class Accuracy:
    """Scores of every item with actuals, worst first, and of all of them together."""

    items: list[ItemScore]
    overall: ItemScore
    steps_scored: int
    steps_forecast: int
    unscored_items: list[str]
    season_length: int
    # The forecast column scored as the point: the point, else the median, else a band's middle.
    point: str = ""


@dataclass(frozen=True)
class _Aligned:
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


def score(forecast: ForecastData, observed: Observations) -> Accuracy | None:
    """The forecast scored on the steps that have an actual; None when no step has one."""
    columns = forecast.columns
    point = point_label(columns)
    if point is None:
        return None
    aligned = _align(forecast, observed)
    if aligned.scored.empty:
        return None
    season = _season(aligned)
    levels = _Levels.of(columns)
    items = _scores(aligned.scored, aligned.history, levels, season)
    pooled = aligned.scored.assign(**{_ID: ALL_ITEMS})
    overall = _scores(pooled, pooled.iloc[0:0], levels, season)[0]
    mase = _weighted_mase(items)
    overall = replace(overall, mase=mase, missing=_overall_missing(overall, items, mase))
    return Accuracy(
        items=_worst_first(items),
        overall=overall,
        steps_scored=len(aligned.scored),
        steps_forecast=len(forecast.frame),
        unscored_items=aligned.unscored,
        season_length=season,
        point=point,
    )


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


@dataclass(frozen=True)
class _Levels:
    """The quantile levels and band coverages of the forecast, in the order of its columns."""

    quantiles: tuple[float, ...]
    coverages: tuple[int, ...]
    # A band whose coverage the file does not state: it has no coverage to be scored against.
    unstated: bool = False

    @classmethod
    def of(cls, columns: ForecastColumns) -> _Levels:
        levels = [level for _, _, level in columns.intervals()]
        coverages = tuple(dict.fromkeys(level for level in levels if level is not None))
        quantiles = tuple(level for level, _ in columns.quantiles)
        return cls(quantiles, coverages, unstated=None in levels)


def _align(forecast: ForecastData, observed: Observations) -> _Aligned:
    """Forecast and observed rows joined on (item, time) in one merge, and the history before."""
    planned = _forecast_long(forecast)
    actual = _observed_long(forecast, observed)
    scored = planned.merge(actual, on=[_ID, _DS], how="inner")
    scored = scored[scored[_MODEL].notna().to_numpy()].reset_index(drop=True)
    starts = planned.groupby(_ID, sort=False)[_DS].min().rename("_start")
    history = actual.merge(starts, left_on=_ID, right_index=True, how="inner")
    history = history[(history[_DS] < history["_start"]).to_numpy()].drop(columns="_start")
    seen = set(scored[_ID].unique())
    unscored = [item for item in forecast.items if item not in seen]
    return _Aligned(scored, history.reset_index(drop=True), unscored)


def _forecast_long(forecast: ForecastData) -> pd.DataFrame:
    """Every item's forecast under the names utilsforecast is called with (the file's clash).

    unique_id, ds, the point as _MODEL, quantile i as q{i}, bands as forecast-lo-80 / -hi-80.
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
        _ID: ids[kept],
        _DS: _zoned(frame[columns.timestamp], forecast.time_offset).to_numpy(),
        _MODEL: values(point) if point is not None else middle,
    }
    for index, (_, name) in enumerate(columns.quantiles):
        rows[f"q{index}"] = values(name)
    for lower, upper, level in columns.intervals():
        if level is None:
            continue  # not scored: nothing says what share of actuals it should hold
        rows[f"{_MODEL}-lo-{level}"] = values(lower)
        rows[f"{_MODEL}-hi-{level}"] = values(upper)
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
            {_ID: np.array([], dtype=object), _DS: like.iloc[0:0].to_numpy(), _Y: np.array([])}
        )
    return pd.DataFrame(
        {_ID: ids, _DS: times[TIME].to_numpy(), _Y: times[VALUE].to_numpy(dtype=np.float64)}
    )


def _season(aligned: _Aligned) -> int:
    """From the history's spacing, else from the scored steps' own."""
    if len(aligned.history) > 1:
        return season_length(aligned.history, _ID, _DS)
    return season_length(aligned.scored, _ID, _DS)


def _scores(
    frame: pd.DataFrame, history: pd.DataFrame, levels: _Levels, season: int
) -> list[ItemScore]:
    """One ItemScore per unique_id of `frame`, each loss from utilsforecast."""
    per_item = losses.mae(frame, [_MODEL]).set_index(_ID)[_MODEL].rename("mae").to_frame()
    per_item["rmse"] = losses.rmse(frame, [_MODEL]).set_index(_ID)[_MODEL]
    per_item["smape"] = 100 * losses.smape(frame, [_MODEL]).set_index(_ID)[_MODEL]
    per_item["steps"] = frame.groupby(_ID, sort=True).size()
    mase = _mase(frame, history, season)
    wql = _wql(frame, levels.quantiles)
    coverage = _coverage(frame, levels.coverages)
    known = history.groupby(_ID, sort=False).size()
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
    has_mase: bool, has_wql: bool, history_points: int, season: int, levels: _Levels
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


def _overall_missing(
    overall: ItemScore, items: list[ItemScore], mase: float | None
) -> dict[str, str]:
    """The pooled row's reasons: its own for wQL; for MASE, the items' (it weighs theirs)."""
    missing = {key: why for key, why in overall.missing.items() if key != MASE.attribute}
    if mase is None and items:
        missing[MASE.attribute] = items[0].missing.get(MASE.attribute, "")
    return missing


def _finite(values: pd.Series) -> dict[str, float]:
    return {str(key): float(value) for key, value in values.items() if np.isfinite(value)}


def _mase(frame: pd.DataFrame, history: pd.DataFrame, season: int) -> dict[str, float]:
    """utilsforecast's MASE, for the items with history; NaN or infinite scales left out."""
    if history.empty:
        return {}
    known = frame[frame[_ID].isin(history[_ID].unique()).to_numpy()]
    if known.empty:
        return {}
    result = losses.mase(known, [_MODEL], seasonality=season, train_df=history)
    return _finite(result.set_index(_ID)[_MODEL])


def _wql(frame: pd.DataFrame, quantiles: tuple[float, ...]) -> dict[str, float]:
    if not quantiles:
        return {}
    names = [f"q{index}" for index in range(len(quantiles))]
    result = losses.mqloss(frame, {"wql": names}, np.array(quantiles))
    mean_loss = result.set_index(_ID)["wql"]
    steps = frame.groupby(_ID, sort=True).size()
    actual_sum = frame[_Y].abs().groupby(frame[_ID], sort=True).sum()
    # mqloss averages the pinball loss over the steps and levels; wQL sums it over the steps.
    return _finite(2 * mean_loss * steps / actual_sum.where(actual_sum > 0))


def _coverage(frame: pd.DataFrame, coverages: tuple[int, ...]) -> dict[int, dict[str, float]]:
    shares = {}
    for level in coverages:
        inside = losses.coverage(frame, [_MODEL], level=level).set_index(_ID)[_MODEL]
        shares[level] = {str(key): float(value) for key, value in inside.items()}
    return shares


def _weighted_mase(items: list[ItemScore]) -> float | None:
    """Each item's MASE weighted by its scored steps: the mean scaled error over those steps."""
    known = [item for item in items if item.mase is not None]
    steps = sum(item.steps for item in known)
    if not steps:
        return None
    return sum((item.mase or 0.0) * item.steps for item in known) / steps


def _worst_first(items: list[ItemScore]) -> list[ItemScore]:
    """By MASE when every item has one (they compare across scales), else by sMAPE."""
    if all(item.mase is not None for item in items):
        return sorted(items, key=lambda item: -(item.mase or 0.0))
    return sorted(items, key=lambda item: -item.smape)


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
