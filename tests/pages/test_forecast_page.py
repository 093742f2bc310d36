"""The forecast viewer under AppTest against the in-process demo API."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from components.forecast_picker import ITEMS_KEY, SEARCH_KEY
from demo_api.scenarios import SCENARIO_IDS
from tests.pages.conftest import requests_for

PAGE = "pages/forecast.py"
CO2 = SCENARIO_IDS["completed_full"]  # one series: mauna_loa_co2
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
    assert legend(at) == [f"{n}% interval" for n in (80, 60, 40, 20)] + ["mean"]
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
    assert [panel["text"] for panel in layout["annotations"]] == ["AAPL", "MSFT"]


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
