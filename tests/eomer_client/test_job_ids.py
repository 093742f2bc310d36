"""Job IDs are validated after decoding and sent as one percent-encoded segment."""

from __future__ import annotations

import httpx
import pytest

from eomer_client.errors import InvalidJobIdError
from eomer_client.job_ids import job_path, validate_job_id
from tests.eomer_client.conftest import JOB_ID, Harness, job_json


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (JOB_ID, JOB_ID),
        (JOB_ID.upper(), JOB_ID.upper()),
        ("job_123", "job_123"),
        ("abc-DEF.1", "abc-DEF.1"),
        ("a" * 128, "a" * 128),
        ("job%5F123", "job_123"),
    ],
)
def test_reasonable_ids_are_accepted_and_decoded(raw: str, expected: str) -> None:
    assert validate_job_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("a" * 129, "129 characters"),
        ("a" * 5000, "far too long"),
        (".", "'.' or '..'"),
        ("..", "'.' or '..'"),
        ("%2e%2e", "'.' or '..'"),
        ("../x", "slash"),
        ("..%2fx", "slash"),
        ("..%252fx", "slash"),
        ("..%25252fx", "slash"),
        ("a/b", "slash"),
        ("a\\b", "backslash"),
        ("a%5cb", "backslash"),
        ("a?b", "question mark"),
        ("a%3Fb", "question mark"),
        ("a#b", "hash"),
        ("a%23b", "hash"),
        ("a%zzb", "percent sign"),
        ("a\x00b", "control character"),
        ("a%00b", "control character"),
        ("a\nb", "control character"),
        ("a b", "space"),
        ("a%20b", "space"),
        ("a\u202eb", "control character"),
        ("a%ffb", "not text"),
        ("a<b>", "'<'"),
        ("%2525252525252f", "too many times"),
    ],
)
def test_unsafe_ids_are_rejected_with_the_rule_they_break(raw: str, reason: str) -> None:
    with pytest.raises(InvalidJobIdError, match=reason.replace("?", r"\?").replace(".", r"\.")):
        validate_job_id(raw)


def test_job_path_percent_encodes_the_id_as_one_segment() -> None:
    assert job_path("abc:1", "/download") == "/jobs/abc%3A1/download"


def test_invalid_ids_are_rejected_before_any_request(harness: Harness) -> None:
    client, recorder = harness.client(lambda request: httpx.Response(200, json=job_json()))
    for raw in ["../x", "..%2fx", "a/b", "a?b", "a#b", "a\x00b", "", "x" * 200]:
        with pytest.raises(InvalidJobIdError):
            client.get_job(raw)
    assert recorder.requests == []


def test_a_valid_id_is_requested_as_a_single_path_segment(harness: Harness) -> None:
    client, recorder = harness.client(
        lambda request: httpx.Response(200, json=job_json("job_1.a~b:c"))
    )
    client.get_job("job_1.a~b:c")
    assert recorder.requests[0].url.raw_path == b"/jobs/job_1.a~b%3Ac"
