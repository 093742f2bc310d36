"""Job-page components alone: escaping, status labels, tables, file names, the error box."""

from __future__ import annotations

import json

import pytest

from components.common.plain_text import escape_markdown, one_line
from components.job.job_summary import _flatten, delivery_failed, status_label
from components.job.remote_content import file_name_for
from eomer_client.models import Job
from tests.apptest import function_app


@pytest.mark.parametrize(
    "hostile",
    ["[x](javascript:alert(1))", "![b](http://beacon.test/x.png)", "<img src=x>", ":red[hi]"],
)
def test_escaped_markdown_keeps_no_unescaped_markup(hostile: str) -> None:
    escaped = escape_markdown(hostile)
    for char in "[]()<>!:":
        assert char not in escaped.replace(f"\\{char}", "")


def test_one_line_collapses_whitespace_and_cuts_long_text() -> None:
    assert one_line("a\n\n b\tc") == "a b c"
    assert len(one_line("x" * 500, limit=50)) == 50


def test_status_label_has_icon_and_word_and_keeps_unknown_status_raw() -> None:
    assert status_label("completed") == "✅ Completed"
    assert status_label("paused") == "❔ Unknown status: paused"


def test_nested_covariate_metadata_flattens_into_readable_rows() -> None:
    rows = dict(_flatten({"weather": {"source": "era5", "vars": ["t2m", "tp"]}, "holidays": None}))
    assert rows == {"weather > source": "era5", "weather > vars": "t2m, tp", "holidays": "—"}


@pytest.mark.parametrize(
    ("status", "error", "failed"),
    [
        ("failed", None, True),
        ("delivered", None, False),
        (None, "timeout", True),
        (None, None, False),
    ],
)
def test_delivery_failure_is_read_from_status_or_error(
    status: str | None, error: str | None, failed: bool
) -> None:
    job = Job(job_id="j", status="completed", delivery_status=status, delivery_error=error)
    assert delivery_failed(job) is failed


def test_download_file_name_is_the_last_safe_path_segment() -> None:
    assert file_name_for("https://x.test/a/report.html?sig=1", "f") == "report.html"
    assert file_name_for("https://x.test/", "fallback") == "fallback"
    assert file_name_for("https://x.test/%2e%2e%2f<evil>", "f") == "2e2e2fevil"


def _error_box_app() -> None:
    import streamlit as st

    from components.common.error_box import error_box
    from eomer_client.errors import NotFoundError

    err = NotFoundError("GET /jobs/x answered 404", status_code=404, request_id="req_[1]")
    if error_box(err, retry_key="retry"):
        st.text("retried")


def test_error_box_shows_message_explanation_next_step_and_retry() -> None:
    at = function_app(_error_box_app).run()
    shown = at.error[0].value
    assert "404" in shown
    assert "No job with this ID exists" in shown
    assert "Next step:" in shown
    assert "req\\_\\[1\\]" in shown
    at.button(key="retry").click().run()
    assert at.text[0].value == "retried"


def _status_header_of(answer: str) -> None:
    """An app that draws the status header of the job in the JSON `answer`."""
    from datetime import UTC, datetime

    from components.job.job_summary import status_header
    from eomer_client.models import Job

    status_header(Job.model_validate_json(answer), datetime.now(UTC), UTC)


@pytest.mark.parametrize(
    ("answer", "note"),
    [
        (
            '{"job_id": "j", "status": "completed", "explainability": {"warnings": ["ok", null]}}',
            "1 warning could not be read",
        ),
        (
            '{"job_id": "j", "status": "running", "created_at": "2026-11-29T10:00:00"}',
            "read as UTC",
        ),
    ],
)
def test_the_status_header_says_how_the_answer_was_read(answer: str, note: str) -> None:
    at = function_app(_status_header_of, args=(answer,)).run()
    assert not at.exception
    shown = " ".join(str(caption.value) for caption in at.caption)
    assert note in shown


def _header_texts(answer: str) -> str:
    at = function_app(_status_header_of, args=(answer,)).run()
    assert not at.exception
    return "\n".join(str(markdown.value) for markdown in at.markdown)


@pytest.mark.parametrize(
    ("status", "label", "wrong"),
    [
        ("completed", "**Completed**", ["**Failed at**", "Not finished yet"]),
        ("failed", "**Failed at**", ["**Completed**", "Not finished yet"]),
        ("running", "**Finished**  \nNot finished yet", ["**Completed**", "**Failed at**"]),
        ("pending", "**Finished**  \nNot finished yet", ["**Completed**", "**Failed at**"]),
        ("paused", "**Finished**", ["**Completed**", "**Failed at**", "Not finished yet"]),
    ],
)
def test_the_finish_time_is_labelled_by_the_status(
    status: str, label: str, wrong: list[str]
) -> None:
    shown = _header_texts(
        f'{{"job_id": "j", "status": "{status}", "created_at": "2026-01-01T10:00:00Z",'
        ' "completed_at": "2026-01-01T10:00:42Z", "elapsed_seconds": 42}'
    )
    assert label in shown
    assert [words for words in wrong if words in shown] == []


@pytest.mark.parametrize(
    ("status", "elapsed"),
    [
        ("completed", "**Elapsed**  \n42 s"),
        ("failed", "**Elapsed**  \n42 s"),
        ("running", " so far"),
        ("pending", "**Waiting**  \n"),
    ],
)
def test_elapsed_says_so_far_only_while_the_job_waits_or_runs(status: str, elapsed: str) -> None:
    shown = _header_texts(
        f'{{"job_id": "j", "status": "{status}", "created_at": "2026-01-01T10:00:00Z",'
        ' "elapsed_seconds": 42}'
    )
    assert elapsed in shown
    assert ("so far" in shown) is (status in {"running", "pending"})


def _facts_of(answer: str) -> None:
    from components.job.job_summary import covariates_table, delivery, provenance
    from eomer_client.models import Job

    job = Job.model_validate_json(answer)
    provenance(job)
    delivery(job)
    covariates_table(job.external_covariate_metadata)


LONG_ERROR = "Permission denied: role EOMER_WRITER cannot write to FORECASTS.PUBLIC.DEMO."
HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def test_delivery_and_provenance_values_are_wrapped_text_in_full_not_table_cells() -> None:
    answer = (
        f'{{"job_id": "j", "status": "completed", "dataset_hash": "{HASH}",'
        f' "delivery_status": "failed", "delivery_error": "{LONG_ERROR}",'
        ' "external_covariate_metadata": {"weather": {"reason": "No location [x](y)"}}}'
    )
    at = function_app(_facts_of, args=(answer,)).run()
    assert not at.exception
    assert not at.dataframe
    codes = {code.value: code.proto.wrap_lines for code in at.code}
    assert codes == {HASH: True, "failed": True, LONG_ERROR: True}
    assert [caption.value for caption in at.caption] == ["dataset\\_hash", "Status", "Error"]
    covariates = at.markdown[-1].value
    assert covariates.startswith("- **weather \\> reason**: No location")
    assert "[x](y)" not in covariates


def _raw_answer_of(answer: str | None, token: str | None, opened: bool) -> None:
    import streamlit as st

    from components.job.raw_answer import RAW_KEY, raw_answer
    from eomer_client.models import Job

    if opened:
        st.session_state.setdefault(RAW_KEY, True)
    job = Job(job_id="j", status="failed") if answer is None else Job.model_validate_json(answer)
    raw_answer(job, token)


RAW = '{"job_id": "j", "status": "failed", "error": "sent tok-5f2c\\u002f9", "unknown": [1, null]}'


def test_the_raw_answer_is_a_collapsed_expander_that_draws_nothing_until_opened() -> None:
    from components.job.raw_answer import RAW_LABEL

    at = function_app(_raw_answer_of, args=(RAW, "tok-5f2c/9", False)).run()
    assert [box.label for box in at.expander] == [RAW_LABEL]
    assert not at.code
    assert not at.get("download_button")


def test_the_opened_raw_answer_is_pretty_json_with_the_token_blanked_and_a_download() -> None:
    at = function_app(_raw_answer_of, args=(RAW, "tok-5f2c/9", True)).run()
    assert not at.exception
    shown = at.code[0]
    assert shown.language == "json"
    assert json.loads(shown.value) == {
        "job_id": "j",
        "status": "failed",
        "error": "sent ***",
        "unknown": [1, None],
    }
    assert '\n  "unknown": [\n' in shown.value
    assert "tok-5f2c" not in shown.value
    assert at.get("download_button")[0].proto.label == "Download the answer (JSON)"


def test_a_job_not_read_from_an_answer_says_there_is_no_raw_answer() -> None:
    at = function_app(_raw_answer_of, args=(None, None, True)).run()
    assert not at.code
    assert "not read from an API answer" in at.caption[0].value
