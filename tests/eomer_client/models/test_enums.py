"""Status and error code are matched whatever their case; unknown values stay as written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eomer_client.models import TERMINAL_STATUSES, ErrorCode, Job, JobStatus

SPELLINGS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "title": str.title,
    "capitalized": str.capitalize,
    "swapped": lambda text: text.title().swapcase(),
    "padded": lambda text: f"  {text.upper()}\t",
}


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("status", list(JobStatus))
def test_every_status_is_read_in_any_case(status: JobStatus, spelling: str) -> None:
    written = SPELLINGS[spelling](status.value)
    job = Job(job_id="j", status=written)
    assert job.status is status
    assert job.status_raw == written
    assert job.is_known_status
    assert job.is_terminal is (status in TERMINAL_STATUSES)
    assert job.notes == []


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_code_is_read_in_any_case(code: ErrorCode, spelling: str) -> None:
    job = Job(job_id="j", status="failed", error_code=SPELLINGS[spelling](code.value))
    assert job.error_code is code


@pytest.mark.parametrize("enum", [JobStatus, ErrorCode])
def test_the_enums_themselves_fold_case(enum: type[JobStatus] | type[ErrorCode]) -> None:
    for member in enum:
        assert enum(member.value.upper()) is member


@pytest.mark.parametrize("written", ["archived", "ARCHIVED", "in progress", "", "completed!"])
def test_an_unknown_status_is_kept_as_written_and_never_terminal(written: str) -> None:
    job = Job(job_id="j", status=written)
    assert (job.status, job.status_raw) == (written, written)
    assert not job.is_known_status
    assert not job.is_terminal
    assert job.notes == [f"unknown status, as written: {written!r}"]


@pytest.mark.parametrize("written", ["quota_exceeded", "QUOTA_EXCEEDED", "42"])
def test_an_unknown_error_code_is_kept_as_written(written: str) -> None:
    assert Job(job_id="j", status="failed", error_code=written).error_code == written


def test_a_numeric_error_code_is_kept_as_its_text() -> None:
    assert (
        Job.model_validate({"job_id": "j", "status": "failed", "error_code": 42}).error_code == "42"
    )
