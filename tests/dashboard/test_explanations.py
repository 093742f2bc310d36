"""Every client error and every failed job's error code gets what happened and what to do."""

from __future__ import annotations

import pytest

import eomer_client.errors as errors
from dashboard.jobs.answer_explanations import FOR_ANSWER_CODE, UNKNOWN
from dashboard.jobs.explanations import explain, explain_error, explain_job_failure
from dashboard.jobs.failure_explanations import FOR_FAILED_JOB
from eomer_client.errors import ApiError, EomerError, ServerError
from eomer_client.models import ErrorCode


def concrete_errors() -> list[EomerError]:
    """One instance of every class in the client's tree, the API errors with a bare 4xx."""
    made: list[EomerError] = []
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, EomerError) and value is not EomerError:
            made.append(value("m", status_code=400) if issubclass(value, ApiError) else value("m"))
    return made


@pytest.mark.parametrize("err", concrete_errors(), ids=lambda err: type(err).__name__)
def test_every_client_error_is_explained(err: EomerError) -> None:
    explanation = explain_error(err)
    assert explanation is not UNKNOWN
    assert explanation.summary
    assert explanation.next_step


def test_the_bare_base_error_gets_the_fallback() -> None:
    assert explain_error(EomerError("m")) is UNKNOWN


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_code_has_an_explanation_for_an_answer_and_for_a_failed_job(
    code: ErrorCode,
) -> None:
    for explanation in (explain(code.value), explain_job_failure(code.value)):
        assert explanation is not UNKNOWN
        assert explanation.summary
        assert explanation.next_step


# Advice that only makes sense for an HTTP answer: on a failed job's own page the job exists,
# the token worked, nothing is left to download and no live refresh runs.
HTTP_ANSWER_ADVICE = (
    "sidebar",
    "live refresh",
    "no job with this id",
    "download again",
    "try again",
    "sign up",
    "your token",
    "right now",
)


@pytest.mark.parametrize(
    "code",
    [
        ErrorCode.AUTH_FAILED,
        ErrorCode.JOB_NOT_FOUND,
        ErrorCode.JOB_NOT_COMPLETED,
        ErrorCode.RATE_LIMITED,
    ],
)
def test_a_failed_job_is_not_given_the_explanation_of_an_http_answer(code: ErrorCode) -> None:
    assert FOR_FAILED_JOB[code] != FOR_ANSWER_CODE[code]


@pytest.mark.parametrize("code", list(ErrorCode))
def test_no_failed_job_is_given_advice_meant_for_an_http_answer(code: ErrorCode) -> None:
    for_job = explain_job_failure(code.value)
    wording = f"{for_job.summary} {for_job.next_step}".lower()
    assert [words for words in HTTP_ANSWER_ADVICE if words in wording] == []


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_failed_job_explanation_is_about_the_job(code: ErrorCode) -> None:
    for_job = explain_job_failure(code.value)
    assert "job" in for_job.summary.lower()
    # The way forward from a failed job is a new submission (or an account that allows one).
    assert any(word in for_job.next_step.lower() for word in ("submit", "upgrade"))


@pytest.mark.parametrize("spelling", ["timeout", "TIMEOUT", " Timeout "])
def test_error_codes_are_explained_whatever_their_case(spelling: str) -> None:
    assert explain_job_failure(spelling) == FOR_FAILED_JOB[ErrorCode.TIMEOUT]
    assert explain(spelling) == FOR_ANSWER_CODE[ErrorCode.TIMEOUT]


@pytest.mark.parametrize("code", [None, "quota_exceeded", ""])
def test_an_unknown_or_missing_job_error_code_gets_the_fallback(code: str | None) -> None:
    assert explain_job_failure(code) is UNKNOWN


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503, 504])
def test_every_http_status_class_has_an_explanation(status: int) -> None:
    assert explain(status_code=status) is not UNKNOWN


def test_an_unknown_error_code_falls_back_to_its_http_status() -> None:
    assert explain("quota_exceeded", 404) == explain("job_not_found")
    assert explain("quota_exceeded") is UNKNOWN


def test_an_api_error_is_explained_by_its_error_code_first_then_its_status() -> None:
    coded = ServerError("m", status_code=503, error_code="gpu_offload_unavailable")
    uncoded = ServerError("m", status_code=504)
    assert explain_error(coded) == explain("gpu_offload_unavailable")
    assert explain_error(uncoded) == explain(status_code=504)


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (401, "Enter a valid API token in the sidebar."),
        (404, "No job with this ID exists for your API key."),
        (429, "live refresh slows down on its own"),
    ],
)
def test_the_http_answers_keep_their_wording(status: int, text: str) -> None:
    explanation = explain(status_code=status)
    assert text in f"{explanation.summary} {explanation.next_step}"


def test_a_lost_upload_answer_warns_against_sending_the_file_again_blindly() -> None:
    lost = explain_error(errors.AnswerLostError("no answer"))
    assert "may have started" in lost.summary
    assert "before sending the file again" in lost.next_step
    assert lost != explain_error(errors.ConnectError("refused"))
