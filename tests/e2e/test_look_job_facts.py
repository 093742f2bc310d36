"""A job's facts as an analyst reads them, on a desktop and a phone, light and dark.

One page per viewport and colour scheme, reused by the module's tests: a failed job's own page
explains its error code as a job's failure (never as an HTTP answer), its end is labelled by its
status, delivery and provenance values show in full instead of cut in a table cell, the raw
answer of the API is one click away, and a flat forecast says it is flat instead of "0 %".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from components.job.raw_answer import RAW_LABEL
from dashboard.jobs.explanations import explain_job_failure
from demo_api.seeded.scenarios import FAILURE_MESSAGES, SCENARIO_IDS
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard
from tests.advice_texts import HTTP_ADVICE
from tests.e2e.views import VIEWS, Window, open_window, show_top, window_params

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]
DEMO_TOKEN = "demo-token"
DELIVERY_ERROR = "Permission denied: role EOMER_WRITER cannot write to FORECASTS.PUBLIC.DEMO."
DELIVERY_URI = "snowflake://demo-account/FORECASTS/PUBLIC/DEMO"
COVARIATE_LINE = "weather > reason: The dataset has no location column."
FLAT_FORECAST = "Every item's point forecast is flat"
# Where a text and the box it is drawn in start and end, in CSS pixels from the window's left.
_EDGES_JS = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const text = range.getBoundingClientRect();
    const box = element.getBoundingClientRect();
    return {textLeft: text.left, textRight: text.right, left: box.left, right: box.right};
}"""


@pytest.fixture(scope="module", params=window_params(VIEWS))
def window(request: pytest.FixtureRequest, warm_pages: WarmPages) -> Iterator[Window]:
    """One page per view, shared by the module's tests; each test opens the URL it needs."""
    yield from open_window(request, warm_pages)


def open_job(page: Page, dashboard: Dashboard, scenario: str, heading: str) -> Locator:
    """The main region of the job page of `scenario`, once its status heading shows."""
    page.goto(f"{dashboard.url}/?job={SCENARIO_IDS[scenario]}")
    wait_for_app(page)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name=re.compile(f"{heading}$"))).to_be_visible(
        timeout=60_000
    )
    wait_for_app(page)
    return main


def expect_whole(window: Window, element: Locator, text: str) -> None:
    """`text` in full, its lines inside the box drawn for it and the box inside the window."""
    expect(element).to_contain_text(text)
    element.scroll_into_view_if_needed()
    edges = element.evaluate(_EDGES_JS)
    assert edges["left"] >= 0, edges
    assert edges["right"] <= window.view.width, edges
    # Text cut by a cell, an ellipsis or a scroll box reaches past the box that shows it.
    assert edges["textLeft"] >= edges["left"] - 1, edges
    assert edges["textRight"] <= edges["right"] + 1, edges


def code_block(main: Locator, text: str | re.Pattern[str]) -> Locator:
    return main.get_by_test_id("stCode").filter(has_text=text)


@pytest.mark.parametrize("code", list(HTTP_ADVICE))
def test_a_failed_jobs_page_explains_its_error_code_as_the_jobs_failure(
    window: Window, dashboard: Dashboard, screenshots: Path, code: str
) -> None:
    main = open_job(window.page, dashboard, f"failed_{code}", "Failed")
    explanation = explain_job_failure(code)
    alert = main.get_by_test_id("stAlert").filter(has_text=f"The job failed ({code}).")
    expect_whole(window, alert, explanation.summary)
    expect_whole(window, alert, f"Next step: {explanation.next_step}")
    expect(main.get_by_text(FAILURE_MESSAGES[code])).to_be_visible()
    expect(main).not_to_contain_text(HTTP_ADVICE[code])
    # The end of a failed job is labelled by its status, not as "Completed".
    expect(main.get_by_text("Failed at", exact=True)).to_be_visible()
    expect(main.get_by_text("Completed", exact=True)).to_have_count(0)
    expect(main).not_to_contain_text("Not finished yet")
    if code == "auth_failed":
        window.page.screenshot(path=screenshots / window.view.shot("job-failed"))


def test_delivery_and_provenance_values_show_in_full(
    window: Window, dashboard: Dashboard, screenshots: Path
) -> None:
    main = open_job(window.page, dashboard, "completed_delivery_failed", "Completed")
    expect(main.get_by_text("Completed", exact=True)).to_be_visible()
    expect(main.get_by_text("Failed at", exact=True)).to_have_count(0)
    details = main.get_by_role("heading", name="Details")
    show_top(window.page, details)
    expect_whole(window, code_block(main, DELIVERY_ERROR), DELIVERY_ERROR)
    expect_whole(window, code_block(main, DELIVERY_URI), DELIVERY_URI)
    dataset_hash = code_block(main, re.compile(r"^\s*[0-9a-f]{64}\s*$"))
    expect(dataset_hash).to_have_count(1)
    expect_whole(window, dataset_hash, dataset_hash.inner_text().strip())
    show_top(window.page, main.get_by_role("heading", name="Provenance"))
    window.page.screenshot(path=screenshots / window.view.shot("job-details"))


def test_covariate_settings_show_in_full(
    window: Window, dashboard: Dashboard, screenshots: Path
) -> None:
    main = open_job(window.page, dashboard, "completed_covariates", "Completed")
    line = main.get_by_role("listitem").filter(has_text="The dataset has no location column.")
    expect_whole(window, line, COVARIATE_LINE)
    show_top(window.page, main.get_by_role("heading", name="External covariates"))
    window.page.screenshot(path=screenshots / window.view.shot("job-covariates"))


def test_the_raw_answer_of_the_api_opens_from_a_collapsed_expander(
    window: Window, dashboard: Dashboard, screenshots: Path
) -> None:
    main = open_job(window.page, dashboard, "failed_auth_failed", "Failed")
    expander = main.get_by_test_id("stExpander").filter(has_text=RAW_LABEL)
    expect(expander.get_by_test_id("stCode")).to_have_count(0)  # collapsed until asked
    expander.get_by_text(RAW_LABEL).click()
    answer = expander.get_by_test_id("stCode")
    expect_whole(window, answer, '"error_code": "auth_failed"')
    expect(answer).to_contain_text(f'"job_id": "{SCENARIO_IDS["failed_auth_failed"]}"')
    expect(answer).not_to_contain_text(DEMO_TOKEN)
    expect(expander.get_by_role("button", name="Download the answer (JSON)")).to_be_visible()
    show_top(window.page, expander)
    window.page.screenshot(path=screenshots / window.view.shot("job-raw-answer"))


def test_a_flat_forecast_says_it_is_flat_instead_of_a_zero_change(
    window: Window, dashboard: Dashboard, screenshots: Path
) -> None:
    page = window.page
    page.goto(f"{dashboard.url}/forecast?job={SCENARIO_IDS['many_artifacts']}")
    wait_for_app(page)
    main = page.get_by_role("main")
    flat = main.get_by_test_id("stCaptionContainer").filter(has_text=FLAT_FORECAST)
    expect(flat).to_be_visible(timeout=60_000)
    expect_whole(window, flat, f"{FLAT_FORECAST}: no change from the first to the last step.")
    show_top(page, main.get_by_text("Largest change, first to last step"))
    page.screenshot(path=screenshots / window.view.shot("forecast-flat"))
