"""The forecast viewer under AppTest against the in-process demo API."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.compare.compare_inputs import OTHER_KEY
from components.forecast.accuracy_table import PILLS_KEY
from components.forecast.forecast_picker import ITEMS_KEY, SEARCH_KEY
from components.forecast.observed_files import ATTACH_KEY, REMOVE_KEY, UPLOAD_KEY
from dashboard.analysis.metrics import METRICS, NOT_COMPUTED
from dashboard.forecasts.forecast_reader import read_forecast
from demo_api.models.data_sets import load_dataset
from demo_api.seeded.scenarios import SCENARIO_IDS
from tests.conftest import DemoApi
from tests.pages.conftest import requests_for
from tests.pages.snapshot_reading import chart_legends, create_snapshot, opened_snapshot, page_text

PAGE = "pages/forecast.py"
CO2 = SCENARIO_IDS["completed_full"]  # one series: mauna_loa_co2
SUNSPOTS = SCENARIO_IDS["completed_no_explainability"]  # one series, its plot an image
STOCKS = SCENARIO_IDS["completed_delivery_delivered"]  # six series: GOOG, AAPL, ...
COUNTRIES = SCENARIO_IDS["many_artifacts"]  # one series per country
RUNNING = SCENARIO_IDS["pending_progressing"]
FAILED = SCENARIO_IDS["failed_pipeline_failed"]


def open_forecast(at: AppTest, job_id: str | None, *items: str) -> AppTest:
    """Open /forecast the way a shared link does: ?job=...&item=... on the URL."""
    if job_id is not None:
        at.query_params["job"] = job_id
    if items:
        at.query_params["item"] = list(items)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def chart_spec(at: AppTest) -> dict[str, object]:
    charts = [element for element in at.get("plotly_chart") if "fan" in element.proto.id]
    assert len(charts) == 1
    spec: dict[str, object] = json.loads(charts[0].proto.spec)
    return spec


def legend(at: AppTest) -> list[str]:
    traces: list[dict[str, object]] = chart_spec(at)["data"]  # type: ignore[assignment]
    return [str(trace["name"]) for trace in traces if trace.get("showlegend") is not False]


def items_in_url(at: AppTest) -> list[str]:
    value = at.query_params.get("item", [])
    return [value] if isinstance(value, str) else list(value)


def texts(elements: object) -> str:
    return "\n".join(str(element.value) for element in elements)  # type: ignore[attr-defined]


def test_a_completed_job_shows_its_first_item_as_a_fan_chart(app: AppTest) -> None:
    at = open_forecast(app, CO2)
    assert at.multiselect(key=ITEMS_KEY).value == ["mauna_loa_co2"]
    # The history the job page shows in the service's plot is drawn here too.
    assert "Observed values from the service's forecast plot: 1 item" in shown(at)
    assert legend(at) == ["History"] + [f"{n}% interval" for n in (80, 60, 40, 20)] + ["mean"]
    assert items_in_url(at) == ["mauna_loa_co2"]
    numbers = at.dataframe[-1].value  # the selection's numbers close the page
    assert set(numbers["item_id"]) == {"mauna_loa_co2"}


def test_items_named_in_the_link_are_drawn_together(app: AppTest) -> None:
    at = open_forecast(app, STOCKS, "AAPL", "MSFT")
    assert at.multiselect(key=ITEMS_KEY).value == ["AAPL", "MSFT"]
    assert "MSFT · 80% interval" in legend(at)
    assert at.download_button[0].label == "Download the selection as CSV"


def test_an_item_not_in_the_forecast_is_reported_and_skipped(app: AppTest) -> None:
    at = open_forecast(app, STOCKS, "AAPL", "NOPE")
    assert "NOPE" in texts(at.warning)
    assert at.multiselect(key=ITEMS_KEY).value == ["AAPL"]
    assert items_in_url(at) == ["AAPL"]


def test_a_job_that_is_not_completed_says_to_come_back_later(app: AppTest) -> None:
    at = open_forecast(app, RUNNING)
    assert "Come back when it is completed" in texts(at.warning)
    assert not at.get("plotly_chart")
    assert at.get("page_link")


def test_a_failed_job_says_it_will_have_no_forecast(app: AppTest) -> None:
    at = open_forecast(app, FAILED)
    assert "It failed, so it will have none" in texts(at.warning)
    assert not at.get("plotly_chart")


def test_without_a_job_the_page_asks_for_one(app: AppTest) -> None:
    at = open_forecast(app, None)
    assert "Paste a completed job's ID" in texts(at.info)


def test_search_narrows_the_choices_and_keeps_the_selection(app: AppTest) -> None:
    at = open_forecast(app, COUNTRIES)
    first = at.multiselect(key=ITEMS_KEY).value
    at.text_input(key=SEARCH_KEY).input("zim").run()
    assert at.multiselect(key=ITEMS_KEY).options == [*first, "Zimbabwe"]
    at.multiselect(key=ITEMS_KEY).select("Zimbabwe").run()
    assert items_in_url(at) == [*first, "Zimbabwe"]


def test_a_summary_pill_adds_its_item_to_the_chart(app: AppTest) -> None:
    at = open_forecast(app, STOCKS, "AAPL")
    pill = at.pills(key="forecast_change")
    pill.set_value(next(item for item in pill.options if item != "AAPL")).run()
    assert len(at.multiselect(key=ITEMS_KEY).value) == 2
    assert len(items_in_url(at)) == 2


def test_reruns_reuse_the_parsed_forecast_instead_of_downloading_again(
    app: AppTest, api_url: str
) -> None:
    at = open_forecast(app, STOCKS, "AAPL", "MSFT")
    downloads = requests_for(api_url, f"/jobs/{STOCKS}/download")
    assert downloads >= 1
    at.toggle(key="forecast_panels").set_value(True).run()
    assert requests_for(api_url, f"/jobs/{STOCKS}/download") == downloads
    layout: dict[str, list[dict[str, str]]] = chart_spec(at)["layout"]  # type: ignore[assignment]
    panels = [note["text"] for note in layout["annotations"] if "Forecast" not in note["text"]]
    assert panels == ["AAPL", "MSFT"]


def captions(at: AppTest) -> str:
    return "\n".join(str(caption.value) for caption in at.caption)


def test_the_viewer_says_how_the_file_was_read_above_the_chart(app: AppTest) -> None:
    at = open_forecast(app, STOCKS, "AAPL")
    read_as = next(line for line in captions(at).splitlines() if "Read as" in line)
    for part in ("series", "time", "point", "bands"):
        assert part in read_as


def test_a_wrong_separator_is_refused_by_name_and_can_be_put_right_without_a_download(
    app: AppTest, api_url: str
) -> None:
    at = open_forecast(app, STOCKS, "AAPL")
    downloads = requests_for(api_url, f"/jobs/{STOCKS}/download")
    at.selectbox(key="forecast_read_separator").set_value("Semicolon ;")
    next(button for button in at.button if button.label == "Read the file again").click().run()
    assert "could not be read" in "\n".join(str(error.value) for error in at.error)
    assert "Read as" not in captions(at)
    at.selectbox(key="forecast_read_separator").set_value("Guess")
    next(button for button in at.button if button.label == "Read the file again").click().run()
    assert "Read as" in captions(at)
    assert requests_for(api_url, f"/jobs/{STOCKS}/download") == downloads


# History and actuals attached on the viewer: the chart draws them, the accuracy scores them.

SCORED_STEPS = 12


def unescaped(markdown: str) -> str:
    """Markdown as read: escaped punctuation is the character itself."""
    return re.sub(r"\\(.)", r"\1", markdown)


def shown(at: AppTest) -> str:
    return unescaped(captions(at))


def forecast_csv(api_url: str, job_id: str) -> pd.DataFrame:
    """The job's own forecast file, as the demo API serves it."""
    answer = httpx.get(
        f"{api_url}/jobs/{job_id}/download", headers={"Authorization": "Bearer demo-token"}
    )
    answer.raise_for_status()
    return pd.read_csv(io.BytesIO(answer.content), parse_dates=["timestamp"])


def history_csv() -> bytes:
    """The CO2 job's input: monthly means up to its forecast's first month."""
    frame = load_dataset("co2").long_frame()
    return frame.to_csv(index=False, date_format="%Y-%m-%d").encode()


def actuals(api_url: str) -> pd.DataFrame:
    """A held-out tail for the CO2 job: its first 12 steps, the mean nudged, two far outside."""
    forecast = forecast_csv(api_url, CO2).head(SCORED_STEPS)
    values = forecast["mean"] + 0.1
    values.iloc[[3, 7]] = forecast["0.9"].iloc[[3, 7]] + 5.0
    return pd.DataFrame({"date": forecast["timestamp"].dt.strftime("%Y-%m-%d"), "ppm": values})


def actuals_csv(api_url: str) -> bytes:
    """The tail as a semicolon CSV, with the file's own column names."""
    return actuals(api_url).to_csv(index=False, sep=";").encode()


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    uploader = next(f for f in at.file_uploader if (f.key or "").startswith(UPLOAD_KEY))
    uploader.set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def attach(at: AppTest, name: str, content: bytes) -> AppTest:
    upload(at, name, content)
    assert not at.exception, at.exception
    if "could not be used" in texts(at.error):  # the file was refused: nothing to attach
        return at
    at.button(key=ATTACH_KEY).click().run()
    assert not at.exception, at.exception
    return at


def with_attached(app: AppTest, api_url: str) -> AppTest:
    at = open_forecast(app, CO2)
    attach(at, "co2-history.csv", history_csv())
    return attach(at, "co2-actuals.csv", actuals_csv(api_url))


def test_a_job_without_observations_says_what_to_attach(app: AppTest) -> None:
    at = open_forecast(app, SUNSPOTS)  # its service plot is an image: no history to read
    assert "No history or actuals known for this job" in shown(at)
    assert "Accuracy against the actuals" not in texts(at.subheader)


def test_an_attached_history_is_drawn_before_the_fan_with_the_start_marked(app: AppTest) -> None:
    at = attach(open_forecast(app, CO2), "co2-history.csv", history_csv())
    assert "the uploaded file co2-history.csv (this session): 1 item" in shown(at)
    names = legend(at)
    assert names.index("History") < names.index("80% interval")
    layout: dict[str, Any] = chart_spec(at)["layout"]  # type: ignore[assignment]
    assert layout["title"]["text"] == "mauna_loa_co2"
    assert layout["yaxis"]["title"]["text"] == "target"
    # The demo writes its times without an offset: the label says so rather than guess one.
    start = "Forecast starts 2002-01-01 00:00:00 (the forecast gives no time zone)"
    assert layout["annotations"][0]["hovertext"] == start
    # Only history: nothing falls on a forecast step, so nothing is scored.
    assert "nothing is scored yet" in shown(at)


def test_a_workbook_of_several_sheets_is_attached_from_the_sheet_chosen(app: AppTest) -> None:
    # The same reading as /new's: the sheets offered by name, the chosen one read and attached.
    history = pd.read_csv(io.BytesIO(history_csv()))
    notes = pd.DataFrame({"note": ["sent by the lab"], "by": ["Ana"]})
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        notes.to_excel(book, sheet_name="notes", index=False)
        history.to_excel(book, sheet_name="history", index=False)
    at = upload(open_forecast(app, CO2), "co2.xlsx", buffer.getvalue())
    sheet = next(box for box in at.selectbox if box.label == "Sheet")
    assert sheet.options == ["notes", "history"]
    sheet.select("history").run()
    assert not at.exception, at.exception
    at.button(key=ATTACH_KEY).click().run()
    assert not at.exception, at.exception
    assert "the uploaded file co2.xlsx (this session): 1 item" in shown(at)
    assert "History" in legend(at)


def test_attached_actuals_are_scored_worst_first_with_the_coverage_of_each_band(
    app: AppTest, api_url: str
) -> None:
    at = with_attached(app, api_url)
    assert f"Scored {SCORED_STEPS} of 24 forecast steps" in shown(at)
    items = next(frame for frame in at.dataframe if "chart" in frame.value.columns).value
    assert items["item"].tolist() == ["mauna_loa_co2"]
    assert items["in 80% band"].iloc[0] == pytest.approx(10 / SCORED_STEPS)
    assert items["chart"].iloc[0] == f"forecast?job={CO2}&item=mauna_loa_co2"
    assert items["MASE"].iloc[0] > 0  # the history gives MASE its scale
    assert NOT_COMPUTED not in items.columns
    assert "season length 12 steps" in shown(at)
    traces: list[dict[str, Any]] = chart_spec(at)["data"]  # type: ignore[assignment]
    [outside] = [trace for trace in traces if trace["name"] == "Outside the 80% band"]
    assert len(outside["y"]) == 2
    layout: dict[str, Any] = chart_spec(at)["layout"]  # type: ignore[assignment]
    assert layout["yaxis"]["title"]["text"] == "ppm"  # the value column of the actuals


def test_a_column_guess_can_be_changed_before_attaching(app: AppTest, api_url: str) -> None:
    content = actuals(api_url).assign(other=1.0).to_csv(index=False).encode()
    at = upload(open_forecast(app, CO2), "two-values.csv", content)
    value = next(box for box in at.selectbox if box.label == "Value column")
    assert value.value == "ppm"
    value.set_value("other").run()
    at.button(key=ATTACH_KEY).click().run()
    assert "the uploaded file two-values.csv" in shown(at)
    at.button(key=REMOVE_KEY).click().run()
    assert "two-values.csv" not in shown(at)
    assert "Observed values from the service's forecast plot: 1 item" in shown(at)


def test_an_unreadable_file_is_refused_with_its_reason_and_the_page_stays_usable(
    app: AppTest,
) -> None:
    at = upload(open_forecast(app, CO2), "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00")
    errors = unescaped(texts(at.error))
    assert "photo.csv could not be used" in errors
    assert "is a PNG image, not a table" in errors
    assert legend(at) == ["History"] + [f"{n}% interval" for n in (80, 60, 40, 20)] + ["mean"]
    assert "Observed values from the service's forecast plot: 1 item" in shown(at)


def test_items_without_actuals_are_listed_and_a_scored_item_is_drawn_in_one_click(
    app: AppTest, api_url: str
) -> None:
    forecast = forecast_csv(api_url, STOCKS)
    tail = forecast[forecast["item_id"].isin(["AAPL", "MSFT"])].head(30)
    noisy = tail.assign(target=tail["mean"] * ([1.0, 1.3] * 15))
    noisy["timestamp"] = noisy["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    content = noisy[["item_id", "timestamp", "target"]].to_csv(index=False).encode()
    at = attach(open_forecast(app, STOCKS, "GOOG"), "stocks-actuals.csv", content)
    assert f"Scored 30 of {len(forecast)} forecast steps" in shown(at)
    assert "Not scored, no actual on any of their forecast steps (4)" in shown(at)
    pills = at.pills(key=PILLS_KEY)
    assert sorted(pills.options) == ["AAPL", "MSFT"]
    pills.set_value(pills.options[0]).run()
    assert at.multiselect(key=ITEMS_KEY).value == [pills.options[0]]
    assert items_in_url(at) == [pills.options[0]]
    assert "Actual" in legend(at)


def test_the_job_page_draws_the_first_item_after_its_history_once_a_file_is_attached(
    app: AppTest,
) -> None:
    at = attach(open_forecast(app, CO2), "co2-history.csv", history_csv())
    at.switch_page("pages/job.py").run()
    assert not at.exception, at.exception
    [chart] = [chart for chart in at.get("plotly_chart") if "job_history_fan" in chart.proto.id]
    traces = json.loads(chart.proto.spec)["data"]
    assert traces[0]["name"] == "History"
    links = [link.proto.label for link in at.get("page_link")]
    assert "Every item with its history and accuracy in the viewer" in links
    # One forecast chart and one way to the viewer: the fan stands for the service's plot.
    assert [c.proto.id for c in at.get("plotly_chart") if "job_forecast_plot" in c.proto.id] == []
    assert "Explore the forecast item by item" not in links


def test_a_snapshot_of_the_job_page_keeps_the_accuracy_once_actuals_are_attached(
    app: AppTest, api_url: str
) -> None:
    at = with_attached(app, api_url)
    at.switch_page("pages/job.py").run()
    assert not at.exception, at.exception
    colleague = opened_snapshot(create_snapshot(at, "job"))
    frames = [f.value for f in colleague.dataframe if "item" in f.value.columns]
    assert len(frames) == 2, page_text(colleague)
    overall, items = frames
    assert overall["item"].tolist() == ["All items"]
    assert items["item"].tolist() == ["mauna_loa_co2"]
    assert items["in 80% band"].iloc[0] == pytest.approx(10 / SCORED_STEPS)
    assert "Accuracy against the actuals: by item, worst first" in unescaped(page_text(colleague))


def accuracy_tables(at: AppTest) -> list[pd.DataFrame]:
    return [frame.value for frame in at.dataframe if NOT_COMPUTED in frame.value.columns]


@pytest.fixture
def co2_plot_unavailable(api_url: str) -> Iterator[None]:
    """The CO2 job's service plot (and so the history it draws) answers 404 for one test."""
    DemoApi(api_url).add_fault(kind="status", status=404, path_prefix=f"/jobs/{CO2}/plot")
    yield
    DemoApi(api_url).reset()


@pytest.mark.usefixtures("co2_plot_unavailable")
def test_each_metric_reads_the_same_on_the_viewer_and_compare_and_says_why_it_is_missing(
    app: AppTest, api_url: str
) -> None:
    # Actuals only, no history (the service's plot, which draws it, cannot be had): MASE has
    # no scale, and says so instead of a column of None.
    at = attach(open_forecast(app, CO2), "co2-actuals.csv", actuals_csv(api_url))
    overall, items = accuracy_tables(at)
    assert [metric.label for metric in METRICS if metric.label in overall.columns] == [
        "MAE",
        "RMSE",
        "sMAPE (%)",
        "wQL",
    ]
    why = "MASE needs the history before the forecast"
    assert why in overall[NOT_COMPUTED].iloc[0]
    assert why in items[NOT_COMPUTED].iloc[0]
    viewer = overall.iloc[0]
    # The same job beside another tool's file of one series: /compare scores it alike.
    forecast = forecast_csv(api_url, CO2)
    other = pd.DataFrame({"ds": forecast["timestamp"], "yhat": forecast["mean"] + 1.0})
    at.session_state[OTHER_KEY] = ("other.csv", read_forecast(other.to_csv(index=False).encode()))
    at.query_params["job"] = [CO2]
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    (table,) = accuracy_tables(at)
    job = table.iloc[0]
    for label in ("MAE", "RMSE", "sMAPE (%)", "wQL"):
        assert job[label] == pytest.approx(viewer[label]), label
    assert 0 < job["sMAPE (%)"] < 100
    assert "MASE" not in table.columns
    assert why in job[NOT_COMPUTED]
    assert "wQL needs quantile columns" in table.iloc[1][NOT_COMPUTED]


def test_a_snapshot_of_the_viewer_keeps_its_chart_with_history_and_actuals_and_the_accuracy(
    app: AppTest, api_url: str
) -> None:
    at = with_attached(app, api_url)
    colleague = opened_snapshot(create_snapshot(at, "forecast"))
    assert "A snapshot" in page_text(colleague)
    [kept] = chart_legends(colleague)
    assert kept == legend(at), (kept, legend(at))
    assert {"History", "Outside the 80% band"} <= set(kept)
    overall, items = (f.value for f in colleague.dataframe if "item" in f.value.columns)
    assert overall["item"].tolist() == ["All items"]
    assert items["item"].tolist() == ["mauna_loa_co2"]
    assert items["in 80% band"].iloc[0] == pytest.approx(10 / SCORED_STEPS)
    assert "chart" not in items.columns  # the viewer's links need a token: not kept
    assert f"Scored {SCORED_STEPS} of 24 forecast steps" in page_text(colleague)
