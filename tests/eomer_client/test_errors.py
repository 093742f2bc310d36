"""The exception tree is drawn in its module docstring and every error explains itself."""

from __future__ import annotations

import pytest

import eomer_client.errors as errors
from eomer_client.explanations import UNKNOWN, explain
from eomer_client.models import ErrorCode


def error_classes() -> list[type[errors.EomerError]]:
    return [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.EomerError)
    ]


def test_the_module_docstring_draws_every_error_class() -> None:
    doc = errors.__doc__ or ""
    missing = [cls.__name__ for cls in error_classes() if f" {cls.__name__} " not in doc]
    assert missing == []


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_code_has_its_own_explanation_and_next_step(code: ErrorCode) -> None:
    explanation = explain(code.value)
    assert explanation is not UNKNOWN
    assert explanation.summary
    assert explanation.next_step


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503, 504])
def test_every_http_status_class_has_an_explanation(status: int) -> None:
    assert explain(status_code=status) is not UNKNOWN


def test_an_unknown_error_code_falls_back_to_its_http_status() -> None:
    assert explain("quota_exceeded", 404) == explain("job_not_found")
    assert explain("quota_exceeded") is UNKNOWN


def test_api_errors_carry_their_fields_and_explain_by_error_code_first() -> None:
    err = errors.ServerError(
        "m", status_code=503, error_code="gpu_offload_unavailable", request_id="r", retry_after=2
    )
    assert (err.status_code, err.request_id, err.retry_after) == (503, "r", 2)
    assert err.explanation == explain("gpu_offload_unavailable")
    assert err.next_step == err.explanation.next_step
