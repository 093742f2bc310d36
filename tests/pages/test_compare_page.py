"""The comparison page under AppTest against the in-process demo API."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.compare.compare_chart import ITEMS_KEY
from components.compare.compare_inputs import ACTUALS_KEY, ACTUALS_UPLOAD_KEY, ADD_KEY, OTHER_KEY
from components.compare.compare_runs import SHELF_KEY
from components.compare.compare_tables import (
    BEST_COLUMN,
    DIFFERS_COLUMN,
    DIFFERS_MARK,
    SETTING_COLUMN,
)
from dashboard.analysis.comparison_runs import ForecastShelf
from dashboard.forecasts.forecast_data import SINGLE_SERIES, ForecastData
from dashboard.forecasts.forecast_reader import read_forecast
from dashboard.series.observations import ITEM, TIME, VALUE, Observations, StartedForecast
from demo_api.seeded.scenarios import SCENARIO_IDS
from tests.pages.snapshot_reading import chart_legends, create_snapshot, opened_snapshot, page_text

PAGE = "pages/compare.py"
# Both forecast the same six stocks under two scenarios: same data, other config hash.
DELIVERED = SCENARIO_IDS["completed_delivery_delivered"]
UNDELIVERED = SCENARIO_IDS["completed_delivery_failed"]
CO2 = SCENARIO_IDS["completed_full"]  # one series: mauna_loa_co2
RUNNING = SCENARIO_IDS["pending_progressing"]
FAILED = SCENARIO_IDS["failed_pipeline_failed"]
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def open_compare(at: AppTest, *job_ids: str, items: tuple[str, ...] = ()) -> AppTest:
    """Open /compare the way a shared link does: ?job=A&job=B&item=..."""
    at.query_params["job"] = list(job_ids)
    if items:
        at.query_params["item"] = list(items)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def texts(elements: object) -> str:
    """The elements' markdown as a reader sees it: escapes dropped."""
    joined = "\n".join(str(element.value) for element in elements)  # type: ignore[attr-defined]
    return re.sub(r"\\(.)", r"\1", joined)


def overlay_legends(at: AppTest) -> list[list[str]]:
    """The legend names of each overlay chart, in page order."""
    legends = []
    for element in at.get("plotly_chart"):
        if "compare_chart" not in element.proto.id:
            continue
        spec = json.loads(element.proto.spec)
        names = [t["name"] for t in spec["data"] if t.get("showlegend") is not False]
        legends.append(names)
    return legends


def settings(at: AppTest) -> dict[str, dict[str, str]]:
    """Setting -> column -> value, as the side-by-side table shows them."""
    table = next(frame.value for frame in at.dataframe if SETTING_COLUMN in frame.value.columns)
    rows = table.astype(str).to_dict("records")
    return {str(row[SETTING_COLUMN]): {str(k): str(v) for k, v in row.items()} for row in rows}


def jobs_in_url(at: AppTest) -> list[str]:
    value = at.query_params.get("job", [])
    return [value] if isinstance(value, str) else list(value)


def test_two_runs_of_the_same_data_are_overlaid_item_by_item(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED, items=("AAPL",))
    assert at.multiselect(key=ITEMS_KEY).value == ["AAPL"]
    (legend,) = overlay_legends(at)
    a, b = f"A · {DELIVERED[:8]}", f"B · {UNDELIVERED[:8]}"
    assert [a, b] == [name for name in legend if "interval" not in name]
    assert f"{a} · 80% interval" in legend
    assert f"{b} · 80% interval" in legend


def test_the_verdict_says_same_data_other_settings_from_the_hashes(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED)
    assert "Same data, other settings (config hash differs)" in texts(at.markdown)
    rows = settings(at)
    assert rows["Config hash"][DIFFERS_COLUMN] == DIFFERS_MARK
    assert rows["Dataset hash"][DIFFERS_COLUMN] == ""
    assert rows["Created"][DIFFERS_COLUMN] == ""  # times are shown, never marked
    assert "UTC" in rows["Created"][f"A · {DELIVERED[:8]}"]


def test_forecasts_of_other_data_say_so_and_share_no_item(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, CO2)
    assert "Other data: the dataset hashes differ" in texts(at.markdown)
    assert "share no item ID" in texts(at.warning)
    assert "mauna_loa_co2" in texts(at.markdown)  # listed among the items A lacks
    assert overlay_legends(at) == []


def test_bad_unknown_and_unfinished_jobs_are_named_and_left_out(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, "../etc", UNKNOWN, RUNNING, FAILED, UNDELIVERED)
    warnings = texts(at.warning)
    assert "'../etc'" in warnings
    assert UNKNOWN in warnings
    assert f"{RUNNING} is **pending**" in warnings or f"{RUNNING} is **running**" in warnings
    assert "it failed" in warnings
    assert len(overlay_legends(at)) == 1  # the two completed jobs are still compared
    assert "Same data, other settings" in texts(at.markdown)


def test_one_job_asks_for_another(app: AppTest) -> None:
    at = open_compare(app, DELIVERED)
    assert "Add at least two runs" in texts(at.info)


def test_a_job_added_on_the_page_goes_into_the_link(app: AppTest) -> None:
    at = open_compare(app, DELIVERED)
    at.text_input(key=ADD_KEY).input(UNDELIVERED)
    at.button[0].click().run()
    assert jobs_in_url(at) == [DELIVERED, UNDELIVERED]
    assert len(overlay_legends(at)) == 1


def test_a_removed_job_leaves_the_link(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED, CO2)
    remove = next(b for b in at.button if b.label.startswith("Remove C"))
    remove.click().run()
    assert jobs_in_url(at) == [DELIVERED, UNDELIVERED]


def kept_forecast(at: AppTest, job_id: str) -> ForecastData:
    """The reading the page kept for `job_id`, to build files that match it."""
    shelf = at.session_state[SHELF_KEY]
    assert isinstance(shelf, ForecastShelf)
    return shelf.kept[job_id]


def accuracy(at: AppTest) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if BEST_COLUMN in frame.value.columns)


def test_jobs_this_session_started_are_named_by_preset_and_judged_by_settings(
    app: AppTest,
) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED, items=("AAPL",))
    data = at.session_state["deps_session"].data
    history = Observations(pd.DataFrame({ITEM: [], TIME: [], VALUE: []}), "stocks.csv")
    for job_id, preset in ((DELIVERED, "chronos_tiny"), (UNDELIVERED, "chronos_small")):
        settings_sent = {"Preset": preset, "Prediction length": "24", "File": "stocks.csv"}
        sent_at = datetime(2026, 11, 29, tzinfo=UTC)
        data.started[job_id] = StartedForecast(job_id, settings_sent, "f11e", history, sent_at)
    at.run()
    (legend,) = overlay_legends(at)
    assert "A · chronos_tiny" in legend
    assert "B · chronos_small" in legend
    assert "Same data, other preset" in texts(at.markdown)
    assert settings(at)["Preset"][DIFFERS_COLUMN] == DIFFERS_MARK


def test_actuals_kept_on_the_page_score_every_run_side_by_side(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED, items=("AAPL",))
    forecast = kept_forecast(at, DELIVERED)
    rows = forecast.item_frame("AAPL")
    truth = pd.DataFrame(
        {ITEM: "AAPL", TIME: rows[forecast.columns.timestamp], VALUE: rows["mean"] * 1.01}
    )
    at.session_state[ACTUALS_KEY] = Observations(truth.reset_index(drop=True), "actuals.csv")
    at.run()
    table = accuracy(at)
    assert list(table["Run"]) == [f"A · {DELIVERED[:8]}", f"B · {UNDELIVERED[:8]}"]
    assert table["MAE"].notna().all()
    assert all(steps.startswith(f"{len(rows)} of") for steps in table["Steps scored"])
    assert table[BEST_COLUMN].str.contains("MAE").any()
    assert "actuals.csv" in texts(at.caption)
    (legend,) = overlay_legends(at)
    assert "actuals" in legend


def test_another_tools_forecast_joins_as_one_more_run_matched_by_item(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED, items=("AAPL",))
    forecast = kept_forecast(at, DELIVERED)
    rows = forecast.item_frame("AAPL")
    other = pd.DataFrame(
        {"unique_id": "AAPL", "ds": rows[forecast.columns.timestamp], "Prophet": rows["mean"]}
    )
    at.session_state[OTHER_KEY] = ("prophet.csv", read_forecast(other.to_csv(index=False).encode()))
    at.run()
    (legend,) = overlay_legends(at)
    assert "C · prophet.csv" in legend
    assert "**C · prophet.csv** lacks 5: AMZN, FB, GOOG, MSFT, NFLX" in texts(at.markdown)
    assert "no settings or timings to compare" in texts(at.caption)


def test_no_actuals_says_how_to_score(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED)
    assert "Add actuals above" in texts(at.caption)
    assert not any(BEST_COLUMN in frame.value.columns for frame in at.dataframe)


def test_one_job_and_another_tools_file_are_compared_without_a_verdict(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED)
    forecast = kept_forecast(at, DELIVERED)
    rows = forecast.item_frame("AAPL")
    other = pd.DataFrame({"unique_id": "AAPL", "ds": rows["timestamp"], "yhat": rows["mean"]})
    at.session_state[OTHER_KEY] = ("prophet.csv", read_forecast(other.to_csv(index=False).encode()))
    at.query_params["job"] = [DELIVERED]
    at.query_params["item"] = ["AAPL"]
    at.run()
    (legend,) = overlay_legends(at)
    assert [name for name in legend if "interval" not in name] == [
        f"A · {DELIVERED[:8]}",
        "B · prophet.csv",
    ]
    assert "One job only" in texts(at.caption)


def unnamed_actuals(times: pd.Series, values: pd.Series) -> Observations:
    """A two-column file (time, value) as page_actuals keeps it: one series, no item column."""
    frame = pd.DataFrame({ITEM: SINGLE_SERIES, TIME: times.to_numpy(), VALUE: values.to_numpy()})
    return Observations(frame, "the file actuals.csv")


def test_a_job_another_tools_file_and_actuals_all_of_one_unnamed_series_are_scored(
    app: AppTest,
) -> None:
    at = open_compare(app, CO2, DELIVERED)
    forecast = kept_forecast(at, CO2)
    (item,) = forecast.items
    rows = forecast.item_frame(item)
    times, mean = rows[forecast.columns.timestamp], rows[forecast.columns.point or ""]
    other = pd.DataFrame({"ds": times, "yhat": mean + 1.0})
    at.session_state[OTHER_KEY] = ("prophet.csv", read_forecast(other.to_csv(index=False).encode()))
    at.query_params["job"] = [CO2]
    at.run()
    # The file the analyst uploads: a time and a value, read in a worker as /new reads it.
    content = pd.DataFrame({"date": times.dt.strftime("%Y-%m-%d"), "ppm": mean + 0.5})
    uploader = at.file_uploader(key=ACTUALS_UPLOAD_KEY)
    uploader.set_value(("actuals.csv", content.to_csv(index=False).encode(), "text/csv")).run()
    assert not at.exception, at.exception
    (legend,) = overlay_legends(at)
    assert "B · prophet.csv" in legend
    assert "actuals" in legend
    table = accuracy(at)
    assert list(table["Run"]) == [f"A · {CO2[:8]}", "B · prophet.csv"]
    assert list(table["MAE"]) == pytest.approx([0.5, 0.5])


def test_another_tools_band_of_unstated_coverage_is_drawn_and_scored_without_a_percentage(
    app: AppTest,
) -> None:
    at = open_compare(app, CO2, DELIVERED)
    forecast = kept_forecast(at, CO2)
    rows = forecast.item_frame(forecast.items[0])
    times, mean = rows[forecast.columns.timestamp], rows[forecast.columns.point or ""]
    other = pd.DataFrame(
        {"ds": times, "yhat": mean, "yhat_lower": mean - 1, "yhat_upper": mean + 1}
    )
    at.session_state[OTHER_KEY] = ("prophet.csv", read_forecast(other.to_csv(index=False).encode()))
    at.query_params["job"] = [CO2]
    at.run()
    content = pd.DataFrame({"date": times.dt.strftime("%Y-%m-%d"), "ppm": mean + 0.5})
    uploader = at.file_uploader(key=ACTUALS_UPLOAD_KEY)
    uploader.set_value(("actuals.csv", content.to_csv(index=False).encode(), "text/csv")).run()
    assert not at.exception, at.exception
    (legend,) = overlay_legends(at)
    assert "B · prophet.csv · interval, coverage not stated" in legend
    prophet = accuracy(at).set_index("Run").loc["B · prophet.csv"]
    assert "%" not in str(prophet["Coverage"])
    assert "the file does not state the band's coverage" in prophet["Not computed"]


def test_unnamed_actuals_against_runs_of_many_items_say_why_nothing_is_scored(
    app: AppTest,
) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED, items=("AAPL",))
    forecast = kept_forecast(at, DELIVERED)
    rows = forecast.item_frame("AAPL")
    at.session_state[ACTUALS_KEY] = unnamed_actuals(rows["timestamp"], rows["mean"])
    at.run()
    assert not at.exception, at.exception
    assert "a file without an item column is one series" in texts(at.warning)
    assert "No run has an actual" in texts(at.info)


def test_a_snapshot_of_the_comparison_keeps_the_overlays_and_both_tables(app: AppTest) -> None:
    at = open_compare(app, DELIVERED, UNDELIVERED, items=("AAPL", "MSFT"))
    forecast = kept_forecast(at, DELIVERED)
    rows = forecast.item_frame("AAPL")
    truth = pd.DataFrame(
        {ITEM: "AAPL", TIME: rows[forecast.columns.timestamp], VALUE: rows["mean"] * 1.01}
    )
    at.session_state[ACTUALS_KEY] = Observations(truth.reset_index(drop=True), "actuals.csv")
    at.run()
    colleague = opened_snapshot(create_snapshot(at, "compare"))
    assert "A snapshot" in page_text(colleague)
    assert overlay_legends(at) == chart_legends(colleague)
    assert "actuals" in chart_legends(colleague)[0]
    frames = [frame.value for frame in colleague.dataframe]
    kept = next(frame for frame in frames if SETTING_COLUMN in frame.columns)
    shown = next(frame.value for frame in at.dataframe if SETTING_COLUMN in frame.value.columns)
    assert list(kept.columns) == list(shown.columns)
    assert kept[DIFFERS_COLUMN].tolist() == shown[DIFFERS_COLUMN].tolist()
    assert list(next(f for f in frames if BEST_COLUMN in f.columns)["Run"]) == list(
        accuracy(at)["Run"]
    )
    assert "Job ID" not in page_text(colleague)  # no one job's facts: the runs are the subject
