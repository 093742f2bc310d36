"""Job-page components alone: escaping, status labels, tables, file names, the error box."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components.job_summary import _flatten, delivery_failed, status_label
from components.plain_text import escape_markdown, one_line
from components.remote_content import file_name_for
from eomer_client.models import Job


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

    from components.error_box import error_box
    from eomer_client.errors import NotFoundError

    err = NotFoundError("GET /jobs/x answered 404", status_code=404, request_id="req_[1]")
    if error_box(err, retry_key="retry"):
        st.text("retried")


def test_error_box_shows_message_explanation_next_step_and_retry() -> None:
    at = AppTest.from_function(_error_box_app).run()
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

    from components.job_summary import status_header
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
    at = AppTest.from_function(_status_header_of, args=(answer,)).run()
    assert not at.exception
    shown = " ".join(str(caption.value) for caption in at.caption)
    assert note in shown
