"""Forecasts against actuals: scores pinned by hand and against utilsforecast called directly."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis.accuracy import ALL_ITEMS, actuals_for, outside, score
from dashboard.analysis.seasonality import season_length
from dashboard.forecasts.forecast_csv import parse_forecast_csv
from dashboard.forecasts.forecast_data import ForecastData
from dashboard.series.observations import ITEM, TIME, VALUE, Observations

with warnings.catch_warnings():
    # As in dashboard/analysis/accuracy_losses.py.
    for category in (DeprecationWarning, SyntaxWarning):
        warnings.filterwarnings("ignore", "invalid escape sequence", category)
    from utilsforecast import losses

DAILY = b"""item_id,timestamp,mean,0.1,0.5,0.9
a,2024-01-04,10,8,10,12
a,2024-01-05,11,9,11,13
a,2024-01-06,12,10,12,14
c,2024-01-04,1,0,1,2
"""


def _observed(items: list[str], times: list[str], values: list[float]) -> Observations:
    frame = pd.DataFrame({ITEM: items, TIME: pd.to_datetime(times), VALUE: values})
    return Observations(frame, "test")


def test_scores_are_computed_on_the_steps_that_have_actuals() -> None:
    forecast = parse_forecast_csv(DAILY)
    # Day 6 has no actual yet; item c has none at all; days 1-3 are history.
    observed = _observed(
        ["a"] * 5 + ["c"],
        ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-01"],
        [7, 8, 9, 13, 11, 1],
    )
    accuracy = score(forecast, observed)
    assert accuracy is not None
    (item,) = accuracy.items
    assert (item.item, item.steps) == ("a", 2)
    assert item.mae == pytest.approx((3 + 0) / 2)
    assert item.rmse == pytest.approx(np.sqrt((9 + 0) / 2))
    assert item.smape == pytest.approx(100 * (3 / 23 + 0 / 22) / 2)  # percent
    # Pinball losses: y=13 against 8, 10, 12 and y=11 against 9, 11, 13, summed by level.
    sums = {0.1: 0.1 * 5 + 0.1 * 2, 0.5: 0.5 * 3 + 0.0, 0.9: 0.9 * 1 + 0.1 * 2}
    assert item.wql == pytest.approx(np.mean([2 * total / (13 + 11) for total in sums.values()]))
    assert item.coverage == {80: 0.5}  # 13 is above 8..12, 11 inside 9..13
    assert item.mase is None  # 3 days of history, and a season of 7 days
    assert item.missing["mase"] == (
        "MASE needs at least 8 history points before the forecast (season length 7); 3 known"
    )
    assert accuracy.overall.missing["mase"] == item.missing["mase"]
    assert accuracy.season_length == 7
    assert (accuracy.steps_scored, accuracy.steps_forecast) == (2, 4)
    assert accuracy.unscored_items == ["c"]
    assert accuracy.overall.item == ALL_ITEMS
    assert accuracy.point == "mean"


def test_mase_is_scaled_by_the_seasonal_naive_error_of_the_history() -> None:
    forecast = parse_forecast_csv(b"item_id,timestamp,mean\nx,2022-01-01,16\nx,2023-01-01,16\n")
    years = ["2018-01-01", "2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"]
    accuracy = score(forecast, _observed(["x"] * 6, years, [10, 12, 11, 15, 17, 14]))
    assert accuracy is not None
    assert accuracy.season_length == 1
    # Naive errors of the history: |12-10|, |11-12|, |15-11|; the forecast's: 1 and 2.
    assert accuracy.items[0].mase == pytest.approx(1.5 / (7 / 3))
    assert accuracy.overall.mase == pytest.approx(1.5 / (7 / 3))
    assert accuracy.items[0].wql is None
    assert accuracy.items[0].missing == {"wql": "wQL needs quantile columns in the forecast"}
    assert accuracy.items[0].coverage == {}


def _random_case(seed: int) -> tuple[ForecastData, Observations, pd.DataFrame, pd.DataFrame]:
    """Monthly series: 30 months of history, 6 forecast, actuals on the first 4 of them."""
    generator = np.random.default_rng(seed)
    months = pd.date_range("2020-01-01", periods=36, freq="MS")
    lines, observed = ["unique_id,ds,point,p10,p50,p90"], []
    for item in ("north", "south", "east"):
        level = generator.uniform(10, 100)
        values = level + generator.normal(0, level / 10, 36)
        observed += [
            (item, month, value) for month, value in zip(months[:34], values[:34], strict=True)
        ]
        for month, value in zip(months[30:], values[30:] + generator.normal(0, 5, 6), strict=True):
            spread = generator.uniform(1, 8)
            lines.append(
                f"{item},{month:%Y-%m-%d},{value},{value - spread},{value},{value + spread}"
            )
    forecast = parse_forecast_csv("\n".join(lines).encode())
    frame = pd.DataFrame(observed, columns=[ITEM, TIME, VALUE])
    rows = forecast.frame.rename(columns={"ds": "ds_", "unique_id": "unique_id_"})
    direct = pd.DataFrame(
        {
            "unique_id": rows["unique_id_"].astype(str),
            "ds": rows["ds_"],
            "m": rows["point"],
            "q10": rows["p10"],
            "q50": rows["p50"],
            "q90": rows["p90"],
            "m-lo-80": rows["p10"],
            "m-hi-80": rows["p90"],
        }
    )
    actual = frame.rename(columns={ITEM: "unique_id", TIME: "ds", VALUE: "y"})
    direct = direct.merge(actual, on=["unique_id", "ds"], how="inner")
    train = actual[actual["ds"] < months[30]]
    return forecast, Observations(frame, "random"), direct, train


def test_scores_match_utilsforecast_called_directly() -> None:
    forecast, observed, direct, train = _random_case(7)
    accuracy = score(forecast, observed)
    assert accuracy is not None
    assert accuracy.season_length == 12
    by_item = {item.item: item for item in accuracy.items}
    expected = {
        "mae": losses.mae(direct, ["m"]),
        "rmse": losses.rmse(direct, ["m"]),
        "smape": losses.smape(direct, ["m"]),
        "mase": losses.mase(direct, ["m"], seasonality=12, train_df=train),
        "coverage": losses.coverage(direct, ["m"], level=80),
    }
    for name, table in expected.items():
        for item, value in table.set_index("unique_id")["m"].items():
            got = getattr(by_item[str(item)], name)
            value = 100 * value if name == "smape" else value  # sMAPE in percent
            assert (got[80] if name == "coverage" else got) == pytest.approx(value), (name, item)
    assert {item.steps for item in accuracy.items} == {4}
    mean_loss = losses.mqloss(direct, {"m": ["q10", "q50", "q90"]}, np.array([0.1, 0.5, 0.9]))
    for item, loss in mean_loss.set_index("unique_id")["m"].items():
        actuals = direct.loc[direct["unique_id"] == item, "y"]
        wql = 2 * loss * len(actuals) / actuals.abs().sum()
        assert by_item[str(item)].wql == pytest.approx(wql)
    pooled = direct.assign(unique_id="all")
    assert accuracy.overall.mae == pytest.approx(losses.mae(pooled, ["m"])["m"].iloc[0])
    assert accuracy.overall.rmse == pytest.approx(losses.rmse(pooled, ["m"])["m"].iloc[0])
    assert accuracy.overall.steps == 12


def test_items_come_worst_first_and_overall_mase_weighs_items_by_steps() -> None:
    forecast, observed, _, _ = _random_case(11)
    accuracy = score(forecast, observed)
    assert accuracy is not None
    mases = [item.mase for item in accuracy.items]
    assert all(value is not None for value in mases)
    known = [value for value in mases if value is not None]
    assert known == sorted(known, reverse=True)
    assert accuracy.overall.mase == pytest.approx(np.mean(known))  # 4 steps each


def test_no_actual_on_any_forecast_step_scores_nothing() -> None:
    forecast = parse_forecast_csv(DAILY)
    observed = _observed(["a", "a"], ["2024-01-01", "2024-01-02"], [1, 2])
    assert score(forecast, observed) is None


def test_zoned_forecast_times_meet_actuals_written_in_utc_or_as_wall_clock() -> None:
    forecast = parse_forecast_csv(
        b"timestamp,mean\n2024-01-01T10:00:00+02:00,5\n2024-01-01T11:00:00+02:00,6\n"
    )
    in_utc = Observations(
        pd.DataFrame(
            {
                ITEM: ["forecast", "forecast"],
                TIME: pd.to_datetime(["2024-01-01T08:00:00Z", "2024-01-01T09:00:00Z"]),
                VALUE: [6.0, 6.0],
            }
        ),
        "utc",
    )
    wall_clock = _observed(
        ["whatever", "whatever"], ["2024-01-01 10:00", "2024-01-01 11:00"], [6, 6]
    )
    for observed in (in_utc, wall_clock):
        accuracy = score(forecast, observed)
        assert accuracy is not None
        assert (accuracy.steps_scored, accuracy.overall.mae) == (2, 0.5)
        assert accuracy.season_length == 24


def test_step_times_are_matched_as_numbers() -> None:
    forecast = parse_forecast_csv(b"step,mean\n1,10\n2,10\n3,10\n")
    frame = pd.DataFrame({ITEM: ["s"] * 2, TIME: [2, 3], VALUE: [12.0, 7.0]})
    accuracy = score(forecast, Observations(frame, "steps"))
    assert accuracy is not None
    assert (accuracy.steps_scored, accuracy.overall.mae, accuracy.season_length) == (2, 2.5, 1)


def test_without_a_point_the_median_is_scored() -> None:
    forecast = parse_forecast_csv(b"timestamp,0.1,0.5,0.9\n2024-01-01,1,4,9\n2024-01-02,1,4,9\n")
    accuracy = score(forecast, _observed(["x"], ["2024-01-02"], [6]))
    assert accuracy is not None
    assert (accuracy.point, accuracy.overall.mae) == ("0.5", 2.0)


def test_actuals_outside_the_widest_band_are_marked() -> None:
    forecast = parse_forecast_csv(DAILY)
    observed = _observed(["a"] * 3, ["2024-01-04", "2024-01-05", "2024-01-06"], [13, 11, 9])
    marked = outside(
        forecast.item_frame("a"), actuals_for(forecast, observed, "a"), forecast.columns
    )
    assert marked[VALUE].tolist() == [13.0, 9.0]
    assert marked["side"].tolist() == ["above", "below"]
    assert marked[["lower", "upper"]].to_numpy().tolist() == [[8.0, 12.0], [10.0, 14.0]]


@pytest.mark.parametrize(
    ("freq", "length"),
    [("h", 24), ("D", 7), ("W-SUN", 52), ("MS", 12), ("QS", 4), ("YS", 1), ("min", 1)],
)
def test_the_season_length_follows_the_spacing_of_times(freq: str, length: int) -> None:
    times = pd.date_range("2020-01-01", periods=10, freq=freq)
    frame = pd.DataFrame({ITEM: "x", TIME: times})
    assert season_length(frame, ITEM, TIME) == length


def test_actuals_matching_no_item_or_kind_of_time_score_nothing() -> None:
    forecast = parse_forecast_csv(DAILY)
    nothing = _observed([], [], [])
    assert score(forecast, nothing) is None
    steps = Observations(pd.DataFrame({ITEM: ["a"], TIME: [1.0], VALUE: [3.0]}), "steps")
    assert score(forecast, steps) is None  # dates against step numbers


def test_a_missing_mase_says_whether_history_is_absent_short_or_flat() -> None:
    forecast = parse_forecast_csv(b"item_id,timestamp,mean\nx,2022-01-01,16\ny,2022-01-01,16\n")
    years = ["2018-01-01", "2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01"]
    observed = _observed(["x"] * 5 + ["y"], [*years, "2022-01-01"], [5, 5, 5, 5, 15, 15])
    accuracy = score(forecast, observed)
    assert accuracy is not None
    missing = {item.item: item.missing["mase"] for item in accuracy.items}
    assert missing["x"] == (
        "MASE has no scale: the history repeats itself exactly from season to season"
    )
    assert missing["y"] == (
        "MASE needs the history before the forecast: attach it (none known for this item)"
    )


def test_a_band_of_unstated_coverage_is_not_scored_and_says_why() -> None:
    forecast = parse_forecast_csv(
        b"ds,yhat,yhat_lower,yhat_upper\n2024-01-04,10,8,12\n2024-01-05,11,9,13\n"
    )
    observed = _observed(["forecast"] * 2, ["2024-01-04", "2024-01-05"], [13, 11])
    accuracy = score(forecast, observed)
    assert accuracy is not None
    for scored in (*accuracy.items, accuracy.overall):
        assert scored.coverage == {}
        assert scored.missing["coverage"] == (
            "band coverage: the file does not state the band's coverage"
        )
    assert accuracy.overall.mae == pytest.approx(1.5)  # the point is still scored
