"""The job page under AppTest, for every demo scenario and every kind of bad input."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1.element_tree import PageLink

from components.job.job_summary import status_heading
from dashboard.jobs.explanations import explain, explain_job_failure
from demo_api.errors import ERROR_CODES
from demo_api.seeded.scenarios import FAILURE_MESSAGES, SCENARIO_IDS
from tests.advice_texts import HTTP_ADVICE
from tests.conftest import DemoApi, loopback
from tests.pages.conftest import OpenJob
from tests.pages.reading import make_poll_due, open_app, texts, unescape


def test_completed_job_shows_status_overview_plot_and_inline_artifacts(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["completed_full"])
    page = texts(at)
    assert status_heading("completed") in page
    assert "Why the forecast looks like this" in page
    assert "59 of 2284 weekly CO2 readings are missing" in page
    assert "ETS is not a feature-based model" in unescape(str(at.table[0].value))
    # The forecast plot once: its primary visual is the same file, its thumbnail a small copy.
    assert len(at.get("plotly_chart")) == 1
    assert "the forecast plot, drawn under Forecast above" in page
    assert len(at.get("iframe")) == 1  # residual diagnostics: HTML, isolated
    assert not at.image
    assert not at.error


def test_artifacts_that_are_not_inline_open_on_request(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["completed_full"])
    tables_before = len(at.dataframe)
    for toggle in at.toggle:
        if toggle.key and toggle.key.startswith("job_artifact_"):
            toggle.set_value(True)
    at.run()
    sources = [str(image.value) for image in at.image]
    assert len(sources) == 2  # PNG decomposition, SVG autocorrelation
    assert any("data:image/svg+xml;base64," in source for source in sources)
    assert len(at.dataframe) == tables_before + 2  # the two CSV artifacts
    assert not at.error


@pytest.mark.parametrize("code", ERROR_CODES)
def test_failed_job_shows_error_code_explanation_and_next_step(
    open_job: OpenJob, code: str
) -> None:
    at = open_job(SCENARIO_IDS[f"failed_{code}"])
    page = texts(at)
    explanation = explain_job_failure(code)
    assert status_heading("failed") in page
    assert f"The job failed ({code})." in page
    assert explanation.summary in page
    assert explanation.next_step in page
    assert FAILURE_MESSAGES[code] in page
    assert not at.get("plotly_chart")
    # The job's own failure, never advice about the dashboard's request.
    for advice in HTTP_ADVICE.values():
        assert advice not in page


def test_completed_job_whose_delivery_failed_says_so(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["completed_delivery_failed"])
    assert "Completed, but delivery failed" in texts(at)
    shown = [code.value for code in at.code]
    assert "failed" in shown
    assert "Permission denied: role EOMER_WRITER cannot write to FORECASTS.PUBLIC.DEMO." in shown


def test_delivered_job_offers_its_pdf_report_as_a_download(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["completed_delivery_delivered"])
    assert "delivery failed" not in texts(at)
    at.toggle(key="job_show_report").set_value(True).run()
    labels = [button.label for button in at.download_button]
    assert any(label.startswith("Download Report") for label in labels), labels


def test_job_without_explainability_says_it_was_not_requested(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["completed_no_explainability"])
    assert "Explainability was not requested for this job." in texts(at)
    assert len(at.image) == 1  # the PNG forecast plot


def test_covariates_are_readable_lines_not_json(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["completed_covariates"])
    lines = next(md.value for md in at.markdown if "weather" in md.value).splitlines()
    assert len(lines) > 1
    assert not any(line.split("**: ", 1)[1].startswith("{") for line in lines)


def test_job_with_many_artifacts_shows_a_first_page_of_them(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["many_artifacts"])
    more = [b for b in at.button if b.label.startswith("Show 12 more")]
    assert [b.label.rsplit(" ", 1)[-1] for b in more] == ["artifacts", "downloads"]
    more[0].click().run()
    assert not at.exception


def test_a_failing_link_is_shown_in_place_and_asked_once_across_reruns(
    open_job: OpenJob, configured: DemoApi
) -> None:
    job_id = SCENARIO_IDS["completed_full"]
    plot = f"/jobs/{job_id}/plot"
    fault = {"kind": "status", "status": 503, "path_prefix": plot}
    loopback().post(f"{configured.url}/_demo/faults", json=fault).raise_for_status()
    at = open_job(job_id)
    at.run()
    at.run()
    assert any("Forecast plot" in error.value for error in at.error)
    assert sum(1 for entry in configured.requests() if entry["path"] == plot) == 1
    at.button(key="job_forecast_plot_retry").click().run()
    assert sum(1 for entry in configured.requests() if entry["path"] == plot) == 2


def test_large_job_shows_its_size(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["large_job"])
    page = texts(at)
    assert status_heading("completed") in page
    assert "30 min 34 s" in page


def test_unknown_job_shows_the_not_found_explanation_with_retry(open_job: OpenJob) -> None:
    at = open_job("no-such-job")
    page = texts(at)
    assert explain("job_not_found").summary in page
    assert at.button(key="job_load_retry")


def test_completed_job_is_not_fetched_again_on_reruns(
    open_job: OpenJob, configured: DemoApi
) -> None:
    job_id = SCENARIO_IDS["completed_no_explainability"]
    at = open_job(job_id)
    at.run()
    at.run()
    assert configured.job_requests(job_id) == 1


def test_failed_refresh_keeps_the_running_job_and_shows_a_stale_banner(
    on_slow_demo: DemoApi,
) -> None:
    job_id = SCENARIO_IDS["running_progressing"]
    at = open_app(job_id)
    fault = {"kind": "status", "status": 503, "job_id": job_id}
    loopback().post(f"{on_slow_demo.url}/_demo/faults", json=fault).raise_for_status()
    make_poll_due(at, job_id)
    at.run()
    page = texts(at)
    assert "the last refresh failed" in page
    assert status_heading("running") in page or status_heading("pending") in page
    assert "Showing data from" in page


def test_rate_limited_refresh_waits_at_least_retry_after(on_slow_demo: DemoApi) -> None:
    job_id = SCENARIO_IDS["running_progressing"]
    at = open_app(job_id)
    fault = {"kind": "status", "status": 429, "retry_after": "120", "job_id": job_id}
    loopback().post(f"{on_slow_demo.url}/_demo/faults", json=fault).raise_for_status()
    make_poll_due(at, job_id)
    at.run()
    page = texts(at)
    assert "the last refresh failed" in page
    waits = [int(m) * 60 + int(s) for m, s in re.findall(r"Retrying in (\d+) min (\d+) s", page)]
    assert waits, page
    assert waits[0] >= 118  # Retry-After: 120, counted from the failed call, shown to the second


BAD_INPUTS = [
    "not a job id",
    "https://example.com/nothing/here",
    '{"status": "pending"}',
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "x" * 5000,
]


@pytest.mark.parametrize("raw", BAD_INPUTS)
def test_bad_input_shows_an_inline_message_and_sends_no_request(
    open_job: OpenJob, configured: DemoApi, raw: str
) -> None:
    at = open_job(raw)
    assert len(at.error) == 1
    assert not [r for r in configured.requests() if r["path"].startswith("/jobs/")]


def test_empty_input_offers_the_demo_jobs_without_error(open_job: OpenJob) -> None:
    at = open_job("")
    assert not at.error


@pytest.mark.parametrize(
    "pasted",
    [
        "https://eomer-api.onrender.com/jobs/{id}",
        '{{"job_id": "{id}", "status": "pending", "prediction_length": 24}}',
        "  {id}  ",
    ],
)
def test_pasted_url_or_json_opens_the_job_and_updates_the_link(
    open_job: OpenJob, pasted: str
) -> None:
    job_id = SCENARIO_IDS["failed_timeout"]
    at = open_job("")
    at.text_input[0].input(pasted.format(id=job_id))
    at.button[0].click().run()
    shown = at.query_params["job"]
    # AppTest gives a list after parsing the URL, a plain string when the script set it.
    assert (shown if isinstance(shown, list) else [shown]) == [job_id]
    assert status_heading("failed") in texts(at)


def test_watch_button_adds_the_job_to_the_watch_list(open_job: OpenJob) -> None:
    job_id = SCENARIO_IDS["failed_timeout"]
    at = open_job(job_id)
    at.button(key="job_watch").click().run()
    at.switch_page("pages/watchlist.py").run()
    frame = next(df for df in at.dataframe if df.key == "watchlist_table").value
    assert list(frame["Job ID"]) == [job_id]


def test_the_watch_button_shows_its_new_state_in_the_run_of_the_click(open_job: OpenJob) -> None:
    at = open_job(SCENARIO_IDS["failed_timeout"])
    at.button(key="job_watch").click().run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button if b.key in {"job_watch", "job_unwatch"}] == ["Unwatch"]
    links = [link.proto.label for link in at.get("page_link") if isinstance(link, PageLink)]
    assert "Watching: open the watch list" in links
    at.button(key="job_unwatch").click().run()
    assert [b.label for b in at.button if b.key in {"job_watch", "job_unwatch"}] == ["Watch"]


def test_share_link_carries_the_job_id_and_nothing_else(open_job: OpenJob) -> None:
    job_id = SCENARIO_IDS["failed_timeout"]
    at = open_job(job_id)
    assert at.code[0].value == f"/?job={job_id}"


@pytest.mark.parametrize(
    ("scenario", "label"),
    [
        ("pending_progressing", status_heading("pending")),
        ("running_progressing", status_heading("running")),
    ],
)
@pytest.mark.usefixtures("on_slow_demo")
def test_live_job_shows_its_status_and_when_it_was_updated(scenario: str, label: str) -> None:
    at = open_app(SCENARIO_IDS[scenario])
    page = texts(at)
    assert label in page
    assert "Live: updated 0 s ago." in page
    assert "so far" in page or label == status_heading("pending")
    assert "Forecast" not in [header.value for header in at.header]
