"""The new-forecast page under AppTest against a demo API with fault injection."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import deps
import deps.sessions
from components.common.watched_ids import WATCHED_KEY
from components.new.new_forecast_draft import Draft
from components.new.new_forecast_submission import SEND_AGAIN, SEND_AGAIN_ANYWAY, Submission
from dashboard.caching.session_data import SessionData
from dashboard.series.observations import Observations
from dashboard.series.sample_series import SAMPLES
from dashboard.session.connection_settings import ApiPreset
from eomer_client.models import AcceptedJob, ForecastUpload
from eomer_client.retry import RetryPolicy
from localserve.ports import free_port
from tests.apptest import dashboard_app
from tests.conftest import loopback
from tests.fake_clock import FakeClock
from tests.pages.conftest import requests_for
from tests.process_resources import clear_process_resources

PAGE = "pages/new.py"
SUBMIT = "Start forecast"
_ESCAPE = re.compile(r"\\(.)")


def daily_csv(items: str = "ab", days: int = 30, header: str = "item_id,timestamp,target") -> bytes:
    rows = [f"{item},2024-01-{1 + day % 31:02d},{day + 1}" for item in items for day in range(days)]
    return (header + "\n" + "\n".join(rows) + "\n").encode()


# Checks pass, but the series' times are irregular: the demo cannot infer a frequency (422).
IRREGULAR = b"item_id,timestamp,target\na,2024-01-01,1\na,2024-01-02,2\na,2024-01-05,3\n"


@pytest.fixture
def api(api_url: str) -> Iterator[str]:
    """The module's demo API with no fault and an empty request log."""
    loopback().post(f"{api_url}/_demo/faults/reset").raise_for_status()
    yield api_url
    loopback().post(f"{api_url}/_demo/faults/reset").raise_for_status()


def add_fault(api_url: str, **spec: Any) -> None:
    loopback().post(
        f"{api_url}/_demo/faults", json={"path_prefix": "/forecast", **spec}
    ).raise_for_status()


def uploads(api_url: str) -> list[str]:
    """The upload jobs this tenant created so far, as the demo API counts them."""
    answer = loopback().get(
        f"{api_url}/_demo/uploads", headers={"Authorization": "Bearer demo-token"}
    )
    return [str(row["job_id"]) for row in answer.raise_for_status().json()]


def posts(api_url: str) -> int:
    return requests_for(api_url, "/forecast")


def texts(at: AppTest) -> str:
    """What a person reads on the page: markdown escapes and zero-width spaces are not seen."""
    parts = [
        str(e.value)
        for kind in ("markdown", "caption", "error", "warning", "info", "success")
        for e in getattr(at, kind)
    ]
    return _ESCAPE.sub(r"\1", "\n".join(parts)).replace("\u200b", "")


def data_of(at: AppTest) -> SessionData:
    session = at.session_state[deps.SESSION_KEY]
    assert isinstance(session, deps.Session)
    return session.data


def open_new(at: AppTest) -> AppTest:
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, content: bytes, name: str = "sales.csv") -> AppTest:
    at.file_uploader(key="new_upload").set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def submit_button(at: AppTest) -> Any:
    return next(button for button in at.button if button.label == SUBMIT)


def submit(at: AppTest) -> AppTest:
    submit_button(at).click().run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(button for button in at.button if button.label == label).click().run()
    assert not at.exception, at.exception
    return at


def on_job_page(at: AppTest, job_id: str) -> bool:
    return [title.value for title in at.title] == ["Job"] and job_id in texts(at) + str(
        [code.value for code in at.code]
    )


def test_a_demo_data_set_starts_one_job_watched_and_opened_on_its_page(
    app: AppTest, api: str
) -> None:
    at = open_new(app)
    at.radio(key="new_source").set_value("Use a demo data set").run()
    first = next(iter(SAMPLES.values()))
    assert at.selectbox(key="new_sample").value == next(iter(SAMPLES))
    before = uploads(api)
    submit(at)
    created = [job for job in uploads(api) if job not in before]
    assert len(created) == 1
    assert posts(api) == 1
    job_id = created[0]
    data = data_of(at)
    started = data.started[job_id]
    assert started.settings["Preset"] == "chronos_small"
    assert started.settings["File"] == first.filename
    assert re.fullmatch("[0-9a-f]{64}", started.input_hash)
    assert len(started.history.items) >= 1
    assert job_id in at.session_state[WATCHED_KEY]
    assert on_job_page(at, job_id)


def test_without_series_the_settings_wait_and_are_kept_while_the_file_changes(
    app: AppTest, api: str
) -> None:
    at = open_new(app)
    assert "Choose a file or a demo data set first." in texts(at)
    assert submit_button(at).disabled
    add_fault(api, kind="status", status=503, count=1)
    upload(at, daily_csv())
    at.number_input(key="new_prediction_length").set_value(9)
    submit(at)
    at.file_uploader(key="new_upload").set_value(None).run()
    assert submit_button(at).disabled
    upload(at, daily_csv("xy"))
    assert at.number_input(key="new_prediction_length").value == 9
    assert not submit_button(at).disabled


def test_an_uploaded_file_is_previewed_with_its_columns_and_a_summary(
    app: AppTest, api: str
) -> None:
    at = upload(open_new(app), daily_csv("abc", 10))
    assert len(at.dataframe) >= 1
    values = {box.label: box.value for box in at.selectbox}
    assert values["Item column"] == "item_id"
    assert values["Time column"] == "timestamp"
    assert values["Target column"] == "target"
    assert "3 series, 30 rows, 2024-01-01 … 2024-01-10, daily" in texts(at)
    assert not submit_button(at).disabled
    assert posts(api) == 0


def _workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        for name, frame in sheets.items():
            frame.to_excel(book, sheet_name=name, index=False)
    return buffer.getvalue()


def test_a_workbook_of_several_sheets_offers_them_by_name_and_reads_the_one_chosen(
    app: AppTest, api: str
) -> None:
    days = [f"2024-01-{day:02d}" for day in range(1, 11)]
    north = pd.DataFrame({"item_id": ["a"] * 10, "timestamp": days, "target": range(10)})
    south = pd.DataFrame({"store": ["b"] * 10 + ["c"] * 10, "day": days * 2, "sales": range(20)})
    at = upload(open_new(app), _workbook({"north": north, "south": south}), "book.xlsx")
    sheet = next(box for box in at.selectbox if box.label == "Sheet")
    assert (sheet.options, sheet.value) == (["north", "south"], "north")
    assert "1 series, 10 rows" in texts(at)
    sheet.select("south").run()
    assert not at.exception, at.exception
    values = {box.label: box.value for box in at.selectbox}
    assert (values["Sheet"], values["Item column"], values["Target column"]) == (
        "south",
        "store",
        "sales",
    )
    assert "2 series, 20 rows" in texts(at)
    assert "read sheet 'south' of 2" in texts(at)


def test_the_sent_file_and_settings_are_kept_with_the_started_job(app: AppTest, api: str) -> None:
    content = daily_csv()
    at = upload(open_new(app), content)
    at.number_input(key="new_prediction_length").set_value(7)
    at.selectbox(key="new_preset").set_value("chronos_tiny")
    at.selectbox(key="new_freq").set_value("D")
    submit(at)
    (job_id,) = data_of(at).started
    started = data_of(at).started[job_id]
    assert started.input_hash == hashlib.sha256(content).hexdigest()
    assert started.settings["Prediction length"] == "7"
    assert started.settings["Preset"] == "chronos_tiny"
    assert started.settings["Frequency"] == "D"
    assert started.file_name == "sales.csv"
    assert started.history.items == ["a", "b"]
    assert len(started.history.frame) == 60
    open_new(at)  # back on the page later: the last start is said, not made again
    assert f"Last started: job {job_id} from sales.csv" in texts(at)
    assert [title.value for title in at.title] == ["New forecast"]
    assert posts(api) == 1


def test_a_tab_file_with_a_title_and_missing_values_reads_and_says_what_was_assumed(
    app: AppTest, api: str
) -> None:
    content = b"Daily sales\n\nstore\tday\tsales\n" + b"".join(
        f"{store}\t2024-01-{day:02d}\t{'NA' if day == 3 else day}\n".encode()
        for store in "ab"
        for day in range(1, 11)
    )
    at = upload(open_new(app), content, "sales.tsv")
    shown = texts(at)
    assert "2 series, 20 rows" in shown
    assert "**Read as** skipped 1 line(s) above the header ('Daily sales'…)" in shown
    assert "dropped 2 row(s) without a value (empty, NA, ., -...)" in shown
    assert not submit_button(at).disabled


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"item_id,timestamp,target\na,2024-01-01,1\na,2024-01-02,lots\n", "'lots', not a number"),
        (
            b"item_id,timestamp,target\na,2024-01-01,1\nb,2024-01-01,2\nb,2024-01-02,3\n",
            "single observation",
        ),
        (b"item_id,timestamp,target\na,2024-01-01,1\na,2024-01-01,2\n", "more than once"),
        (
            b"item_id,timestamp,target\n,2024-01-01,1\na,2024-01-02,2\n",
            "item column 'item_id' is empty",
        ),
    ],
    ids=["text value", "single observation", "repeated time", "blank item"],
)
def test_each_failed_check_is_listed_and_the_forecast_cannot_start(
    app: AppTest, api: str, content: bytes, words: str
) -> None:
    at = upload(open_new(app), content)
    assert words in texts(at)
    assert "The data cannot be sent yet" in texts(at)
    assert submit_button(at).disabled
    assert posts(api) == 0


def test_ambiguous_dates_ask_for_the_date_order_and_then_pass(app: AppTest, api: str) -> None:
    content = b"item_id,timestamp,target\na,01/02/2024,1\na,02/02/2024,2\na,03/02/2024,3\n"
    at = upload(open_new(app), content)
    assert "day first or month first" in texts(at)
    assert submit_button(at).disabled
    next(box for box in at.selectbox if box.label == "Date order").set_value(True).run()
    assert "1 series, 3 rows, 2024-02-01 … 2024-02-03, daily" in texts(at)
    assert not submit_button(at).disabled


def test_one_column_chosen_for_two_roles_is_refused(app: AppTest, api: str) -> None:
    at = upload(open_new(app), daily_csv())
    box = next(box for box in at.selectbox if box.label == "Target column")
    box.set_value("timestamp").run()
    assert "chosen for two roles" in texts(at)
    assert submit_button(at).disabled


def test_an_unreadable_file_says_what_it_is_and_nothing_is_offered(app: AppTest, api: str) -> None:
    at = upload(open_new(app), b"%PDF-1.7 not a table", "report.csv")
    assert "a PDF document, not a table" in texts(at)
    assert submit_button(at).disabled


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(app: AppTest, api: str) -> None:
    at = upload(open_new(app), b"item_id,timestamp,target\n" + b"a,2024-01-01,1\n" * 800_000)
    assert "files of at most 10 MB are accepted" in texts(at)
    assert submit_button(at).disabled


def test_without_a_connection_the_page_asks_for_the_api_in_the_sidebar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EOMER_API_URL", raising=False)
    monkeypatch.delenv("EOMER_API_TOKEN", raising=False)
    st.cache_data.clear()
    at = dashboard_app()
    at.session_state["connection_preset"] = ApiPreset.CLOUD
    at.run()
    upload(open_new(at), daily_csv())
    assert "No API is connected" in texts(at)
    assert "sidebar" in texts(at)
    assert submit_button(at).disabled


def test_a_422_lists_the_apis_problems_and_keeps_the_form(app: AppTest, api: str) -> None:
    at = upload(open_new(app), IRREGULAR)
    at.number_input(key="new_prediction_length").set_value(5)
    submit(at)
    shown = texts(at)
    assert "HTTP 422" in shown
    assert "Could not infer the series frequency" in shown
    assert at.number_input(key="new_prediction_length").value == 5
    assert at.file_uploader(key="new_upload").value is not None
    assert posts(api) == 1
    assert not data_of(at).started


def test_a_413_says_the_file_is_too_large(app: AppTest, api: str) -> None:
    add_fault(api, kind="status", status=413, error_code="file_too_large", count=1)
    at = submit(upload(open_new(app), daily_csv()))
    shown = texts(at)
    assert "too large for the API (HTTP 413)" in shown
    assert "send fewer series or a shorter history" in shown
    assert posts(api) == 1


def test_a_429_says_how_long_to_wait_and_sends_again_on_request(app: AppTest, api: str) -> None:
    add_fault(api, kind="status", status=429, retry_after="30", count=1)
    at = submit(upload(open_new(app), daily_csv()))
    shown = texts(at)
    assert "HTTP 429" in shown
    assert "wait 30 s, until" in shown
    assert re.search(r"until \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", shown)
    assert posts(api) == 1
    at.run()  # a rerun sends nothing
    assert posts(api) == 1
    click(at, SEND_AGAIN)
    assert posts(api) == 2
    assert len(data_of(at).started) == 1


def test_a_503_says_the_api_is_failing_and_to_try_again(app: AppTest, api: str) -> None:
    add_fault(api, kind="status", status=503, count=1)
    at = submit(upload(open_new(app), daily_csv()))
    assert "The API is failing: it answered HTTP 503" in texts(at)
    assert "try again in a minute" in texts(at)
    assert [button.label for button in at.button].count(SEND_AGAIN) == 1
    assert posts(api) == 1


def test_a_lost_answer_is_never_sent_again_unless_asked(app: AppTest, api: str) -> None:
    add_fault(api, kind="accept_then_drop", count=1)
    before = uploads(api)
    at = submit(upload(open_new(app), daily_csv()))
    assert "The API may have started the job" in texts(at)
    assert len(uploads(api)) == len(before) + 1
    at.run()
    submit_button(at)  # still offered, but a rerun is no click
    assert len(uploads(api)) == len(before) + 1
    assert not data_of(at).started
    click(at, SEND_AGAIN_ANYWAY)
    assert len(uploads(api)) == len(before) + 2
    assert len(data_of(at).started) == 1


def test_an_answer_later_than_the_read_timeout_may_have_started_a_job_and_is_not_sent_again(
    api_url: str, api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 1 s read timeout and retries on a fake clock: the API answers after 2 s, too late.
    clock = FakeClock()
    timing = deps.sessions.ClientTiming(1.0, RetryPolicy(sleep=clock.sleep, clock=clock))
    monkeypatch.setattr(deps.sessions, "client_timing", timing)
    clear_process_resources()
    at = dashboard_app()
    at.secrets["EOMER_API_URL"] = api_url
    at.secrets["EOMER_API_TOKEN"] = "demo-token"
    at = upload(open_new(at.run()), daily_csv())
    at.number_input(key="new_prediction_length").set_value(5)
    add_fault(api, kind="latency", latency_seconds=2.0, count=1)
    submit(at)
    shown = texts(at)
    assert "The API may have started the job" in shown
    assert [button.label for button in at.button].count(SEND_AGAIN_ANYWAY) == 1
    assert at.number_input(key="new_prediction_length").value == 5
    assert at.file_uploader(key="new_upload").value is not None
    assert posts(api) == 1
    at.run()  # a rerun is no click: nothing is sent again
    assert posts(api) == 1
    assert not data_of(at).started


def test_a_dropped_connection_after_sending_is_an_answer_that_may_be_lost(
    app: AppTest, api: str
) -> None:
    add_fault(api, kind="drop", count=1)
    at = submit(upload(open_new(app), daily_csv()))
    assert "The API may have started the job" in texts(at)
    assert posts(api) == 1


def test_an_api_that_cannot_be_reached_is_named_and_nothing_was_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EOMER_API_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("EOMER_API_TOKEN", "demo-token")
    st.cache_data.clear()
    at = dashboard_app().run()
    at = submit(upload(open_new(at), daily_csv()))
    assert "The API could not be reached, so the file was not sent" in texts(at)
    assert [button.label for button in at.button].count(SEND_AGAIN) == 1


def _submission(outcome: AcceptedJob | None) -> Submission:
    """A submission as an earlier run left it."""
    upload = ForecastUpload(file=daily_csv(), filename="sales.csv")
    frame = pd.DataFrame(
        {"item_id": ["a"], "timestamp": [pd.Timestamp("2024-01-01")], "target": [1.0]}
    )
    draft = Draft(upload, {"File": "sales.csv"}, Observations(frame, "sales.csv"), "sales.csv")
    return Submission("earlier", draft, datetime.now(UTC), outcome=outcome)


def test_a_click_while_a_send_is_in_flight_sends_nothing(app: AppTest, api: str) -> None:
    at = upload(open_new(app), daily_csv())
    # What a rerun finds when it interrupted the run that sent (its answer not yet kept).
    at.session_state["new_submission"] = _submission(None)
    submit(at)
    assert posts(api) == 0
    shown = texts(at)
    assert "nothing was sent again" in shown
    assert "The API may have started the job" in shown
    assert [button.label for button in at.button].count(SEND_AGAIN_ANYWAY) == 1


def test_a_double_click_after_an_accepted_send_opens_that_job_without_sending(
    app: AppTest, api: str
) -> None:
    at = upload(open_new(app), daily_csv())
    job_id = "2b0e4f7c-6f0b-4a53-9d57-1c0f7d2a3e44"
    accepted = AcceptedJob(job_id=job_id, status="pending", created_at=None, prediction_length=24)
    at.session_state["new_submission"] = _submission(accepted)
    submit(at)
    assert posts(api) == 0
    assert job_id in data_of(at).started
    assert [title.value for title in at.title] == ["Job"]
