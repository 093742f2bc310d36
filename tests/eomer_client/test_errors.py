"""The exception tree is drawn in its docstring, carries data not advice, and owns the error map."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import eomer_client.errors as errors
from eomer_client.errors import (
    API_ERROR_CLASSES,
    ApiError,
    AuthError,
    EomerError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UploadTooLargeError,
    ValidationError,
    api_error_class,
)
from eomer_client.failures import SERVER_MESSAGE_LIMIT, plain_text


def error_classes() -> list[type[EomerError]]:
    return [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, EomerError)
    ]


def test_the_module_docstring_draws_every_error_class() -> None:
    doc = errors.__doc__ or ""
    missing = [cls.__name__ for cls in error_classes() if f" {cls.__name__} " not in doc]
    assert missing == []


@pytest.mark.parametrize("cls", error_classes(), ids=lambda cls: cls.__name__)
def test_no_error_carries_advice_for_a_user_interface(cls: type[EomerError]) -> None:
    assert not {"explanation", "next_step"} & set(dir(cls))


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, ApiError),
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (409, ApiError),
        (413, UploadTooLargeError),
        (422, ValidationError),
        (429, RateLimitedError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (599, ServerError),
    ],
)
def test_the_status_alone_chooses_the_class(status: int, expected: type[ApiError]) -> None:
    assert api_error_class(status) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("auth_failed", AuthError),
        ("AUTH_FAILED", AuthError),
        ("job_not_found", NotFoundError),
        (" Job_Not_Found ", NotFoundError),
        ("rate_limited", RateLimitedError),
        ("job_not_completed", ApiError),
        ("quota_exceeded", ApiError),
        (None, ApiError),
    ],
)
def test_an_error_code_refines_a_status_that_only_says_refused(
    code: str | None, expected: type[ApiError]
) -> None:
    assert api_error_class(400, code) is expected


@pytest.mark.parametrize("status", [401, 404, 429, 500, 503])
def test_the_status_wins_over_the_error_code(status: int) -> None:
    # A 5xx stays retryable and a 401 stays final, whatever code came with them.
    assert api_error_class(status, "rate_limited") is API_ERROR_CLASSES[status]


def test_every_class_in_the_map_is_an_api_error() -> None:
    assert all(issubclass(cls, ApiError) for cls in API_ERROR_CLASSES.values())


def test_api_errors_carry_their_fields() -> None:
    err = ServerError(
        "m",
        status_code=503,
        error_code="gpu_offload_unavailable",
        request_id="r",
        retry_after=2,
        url="https://eomer.test/jobs/1",
    )
    fields = (err.message, err.status_code, err.error_code, err.request_id, err.retry_after)
    assert fields == ("m", 503, "gpu_offload_unavailable", "r", 2)
    assert err.url == "https://eomer.test/jobs/1"


@pytest.mark.parametrize("words", ["sidebar", "live refresh", "Next step", "button", "Paste"])
def test_the_client_gives_no_user_interface_advice(words: str) -> None:
    package = Path(errors.__file__).parent
    speaking = [path.name for path in package.rglob("*.py") if words in path.read_text()]
    assert speaking == []


def _cpu_seconds(body: bytes) -> float:
    started = time.process_time()
    for _ in range(5):
        plain_text(body)
    return time.process_time() - started


@pytest.mark.parametrize("unit", [b"<script", b"<style", b"<", b"<a ", b"<!--", b"<p>x"])
def test_a_hostile_error_body_eight_times_larger_costs_no_more_to_clean(unit: bytes) -> None:
    small = unit * (8_192 // len(unit))
    large = unit * (65_536 // len(unit))
    # CPU time as a ratio, not a wall-clock limit: quadratic patterns made this about 64.
    ratio = min(_cpu_seconds(large) for _ in range(3)) / min(_cpu_seconds(small) for _ in range(3))
    assert ratio < 3
    assert len(plain_text(large)) <= SERVER_MESSAGE_LIMIT


def test_an_html_error_page_reads_as_its_words_without_scripts_or_styles() -> None:
    page = b"<html><style>x{}</style><script>alert(1)</script><h1>Bad &amp; gateway</h1><p>later"
    assert plain_text(page) == "Bad & gateway later"
