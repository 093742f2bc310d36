"""The new-forecast form's parts: settings to a request, what is sent as is, the summary line."""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import pytest

from components.new.new_forecast_draft import make_draft, sendable
from components.new.new_forecast_form import (
    DEFAULT_QUANTILES,
    PRESETS,
    ForecastSettings,
    forecast_upload,
    readable_settings,
)
from components.new.new_forecast_source import (
    SeriesReading,
    SeriesSource,
    frequency_word,
    series_summary,
)
from dashboard.isolation.isolated_reading import read_series_table
from dashboard.series_files import SeriesColumns, to_observations
from tests.apptest import function_app

COLUMNS = SeriesColumns("item_id", "timestamp", "target")
PLAIN = (
    b"item_id,timestamp,target\na,2024-01-01,1\na,2024-01-02,2\nb,2024-01-01,3\nb,2024-01-02,4\n"
)


def source_of(content: bytes, filename: str) -> SeriesSource:
    table = read_series_table(content, filename, 1 << 20)
    return SeriesSource(content, filename, table, f"the file {filename}")


def test_the_settings_become_the_request_the_api_documents() -> None:
    settings = ForecastSettings(48, "chronos_bolt_base", "W-MON", (0.1, 0.5, 0.9), True, ("shap",))
    upload = forecast_upload(settings, PLAIN, "sales.csv", SeriesColumns("sku", "day", "units"))
    assert (upload.file, upload.filename) == (PLAIN, "sales.csv")
    assert (upload.prediction_length, upload.presets, upload.freq) == (
        48,
        "chronos_bolt_base",
        "W-MON",
    )
    assert (upload.item_id_column, upload.timestamp_column, upload.target_column) == (
        "sku",
        "day",
        "units",
    )
    assert upload.quantile_levels == (0.1, 0.5, 0.9)
    assert (upload.explainability, upload.explainability_analyses) == (True, ("shap",))


def test_analyses_are_not_sent_without_explainability_and_no_levels_leave_the_default() -> None:
    settings = ForecastSettings(quantile_levels=(), explainability=False, analyses=("shap",))
    upload = forecast_upload(settings, PLAIN, "sales.csv", COLUMNS)
    assert upload.explainability_analyses == ()
    assert upload.quantile_levels is None


def test_a_request_without_an_item_column_is_refused_before_it_is_built() -> None:
    with pytest.raises(ValueError, match="item column"):
        forecast_upload(
            ForecastSettings(), PLAIN, "x.csv", SeriesColumns(None, "timestamp", "target")
        )


def test_the_readable_settings_name_everything_that_was_sent() -> None:
    settings = ForecastSettings(12, "chronos_tiny", None, DEFAULT_QUANTILES, True, ())
    shown = readable_settings(settings, SeriesColumns(None, "date", "sales"), "shop.xlsx", True)
    assert shown == {
        "Preset": "chronos_tiny",
        "Prediction length": "12",
        "Frequency": "Auto (inferred by the API)",
        "Quantile levels": "0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9",
        "Explainability": "on: the API's default analyses",
        "Columns": "item: none (one series); time: date (day first); target: sales",
        "File": "shop.xlsx",
    }


def test_a_plain_csv_with_an_item_column_is_sent_as_it_is() -> None:
    assert sendable(source_of(PLAIN, "s.csv"), COLUMNS) == (PLAIN, "s.csv", COLUMNS)


def test_a_semicolon_csv_with_decimal_commas_is_sent_as_a_plain_copy() -> None:
    content = b"item_id;timestamp;target\na;2024-01-01;1,5\na;2024-01-02;2,5\n"
    sent, name, columns = sendable(source_of(content, "eu.csv"), COLUMNS)
    assert name == "eu.csv"
    assert columns == COLUMNS
    assert pd.read_csv(io.BytesIO(sent))["target"].tolist() == [1.5, 2.5]


@pytest.mark.parametrize(
    "content",
    [
        b"item_id, timestamp,target\na,2024-01-01,1\na,2024-01-02,2\n",
        b"item_id,timestamp,target\na,01/02/2024,1\na,02/02/2024,2\n",
    ],
    ids=["header as read differs", "times not ISO"],
)
def test_a_file_the_api_could_read_otherwise_is_sent_as_the_checked_rows(content: bytes) -> None:
    sent, _, columns = sendable(source_of(content, "odd.csv"), COLUMNS, dayfirst=True)
    assert sent != content
    assert list(pd.read_csv(io.BytesIO(sent)).columns) == columns.used() == COLUMNS.used()


def test_a_file_without_an_item_column_gets_one_named_in_the_request() -> None:
    content = b"date,sales\n2024-01-01,1\n2024-01-02,2\n"
    sent, name, columns = sendable(
        source_of(content, "one.csv"), SeriesColumns(None, "date", "sales")
    )
    assert columns.item is not None
    assert list(pd.read_csv(io.BytesIO(sent)).columns) == [columns.item, "date", "sales"]
    assert name == "one.csv"


def test_an_xlsx_workbook_is_sent_as_it_is() -> None:
    frame = pd.DataFrame({"item_id": ["a", "a"], "timestamp": ["2024-01-01", "2024-01-02"]})
    buffer = io.BytesIO()
    frame.assign(target=[1, 2]).to_excel(buffer, index=False, engine="openpyxl")
    content = buffer.getvalue()
    assert sendable(source_of(content, "book.xlsx"), COLUMNS) == (content, "book.xlsx", COLUMNS)


def _two_sheet_workbook() -> bytes:
    """Sheet "north" with series a, sheet "south" with series b; the same header on both."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        for sheet, item in (("north", "a"), ("south", "b")):
            frame = pd.DataFrame({"item_id": [item] * 2, "timestamp": ["2024-01-01", "2024-01-02"]})
            frame.assign(target=[1, 2]).to_excel(book, sheet_name=sheet, index=False)
    return buffer.getvalue()


def test_a_workbook_is_read_from_the_sheet_asked_and_names_it() -> None:
    content = _two_sheet_workbook()
    first = read_series_table(content, "book.xlsx", 1 << 20)
    chosen = read_series_table(content, "book.xlsx", 1 << 20, "south")
    assert (first.sheets, first.sheet, chosen.sheet) == (["north", "south"], "north", "south")
    assert chosen.frame["item_id"].tolist() == ["b", "b"]
    assert first.reading_key != chosen.reading_key  # column choices kept per sheet


def test_a_sheet_other_than_the_first_is_sent_as_its_rows_not_as_the_workbook() -> None:
    # The API reads a workbook's first sheet: sent as it is, the other sheet would be lost.
    content = _two_sheet_workbook()
    assert sendable(source_of(content, "book.xlsx"), COLUMNS)[0] == content
    table = read_series_table(content, "book.xlsx", 1 << 20, "south")
    sent, name, _ = sendable(SeriesSource(content, "book.xlsx", table, "the file"), COLUMNS)
    assert name == "book.csv"
    assert sent.decode().splitlines()[1:] == ["b,2024-01-01,1", "b,2024-01-02,2"]


def test_the_draft_hashes_the_bytes_it_sends_and_keeps_the_history() -> None:
    content = b"date,sales\n2024-01-01,1\n2024-01-02,2\n"
    source = source_of(content, "one.csv")
    columns = SeriesColumns(None, "date", "sales")
    history = to_observations(source.frame, columns, source.label)
    draft = make_draft(source, SeriesReading(columns, None), history, ForecastSettings())
    assert draft.input_hash == hashlib.sha256(draft.upload.file).hexdigest()
    assert draft.upload.file != content  # a copy with an item column was sent
    assert draft.history is history
    assert draft.settings["File"] == draft.file_name == "one.csv"


@pytest.mark.parametrize(
    ("freq", "word"),
    [("D", "daily"), ("h", "hourly"), ("MS", "monthly (month start)"), ("W-SUN", "weekly (Sun)")],
)
def test_the_frequency_is_said_in_words(freq: str, word: str) -> None:
    assert frequency_word(pd.Series(pd.date_range("2024-01-07", periods=6, freq=freq))) == word


def test_gaps_make_a_series_irregular() -> None:
    times = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"]))
    assert frequency_word(times) == "irregular"


def test_the_summary_line_counts_series_and_rows_and_spans_the_times() -> None:
    rows = [f"{item},2024-01-{day:02d},{day}" for item in "abc" for day in range(1, 11)]
    content = ("item_id,timestamp,target\n" + "\n".join(rows) + "\n").encode()
    source = source_of(content, "three.csv")
    history = to_observations(source.frame, COLUMNS, source.label)
    assert series_summary(history, 1234) == "3 series, 1,234 rows, 2024-01-01 … 2024-01-10, daily"


def _form() -> None:
    import streamlit as st

    from components.new.new_forecast_form import current_settings, settings_form

    clicked = settings_form(refused=None)
    st.session_state["test_clicked"] = clicked
    st.session_state["test_settings"] = current_settings()


def test_the_form_starts_from_the_documented_defaults_and_sends_its_choices() -> None:
    at = function_app(_form).run()
    assert at.session_state["test_settings"] == ForecastSettings()
    assert at.number_input(key="new_prediction_length").value == 24
    assert at.selectbox(key="new_preset").options == [
        f"{name}: {line}" for name, line in PRESETS.items()
    ]
    assert not at.toggle(key="new_explainability").value
    at.number_input(key="new_prediction_length").set_value(7)
    at.selectbox(key="new_freq").set_value("MS")
    at.multiselect(key="new_quantiles").set_value([0.05, 0.5, 0.95])
    at.toggle(key="new_explainability").set_value(True)
    at.multiselect(key="new_analyses").set_value(["shap", "correlation"])
    at.button[0].click().run()
    assert at.session_state["test_clicked"]
    assert at.session_state["test_settings"] == ForecastSettings(
        7, "chronos_small", "MS", (0.05, 0.5, 0.95), True, ("shap", "correlation")
    )


def test_a_refused_form_says_why_and_cannot_be_sent() -> None:
    def refused() -> None:
        from components.new.new_forecast_form import settings_form

        settings_form(refused="Fix the problems with the series above first.")

    at = function_app(refused).run()
    assert at.button[0].disabled
    assert "Fix the problems" in at.caption[0].value
