"""get_job and get_jobs read the contract tolerantly and turn every failure into a clear error."""

from __future__ import annotations

import gzip
import json
import threading
from datetime import UTC, datetime

import httpx
import pytest

from dashboard.jobs.explanations import explain_error
from eomer_client.errors import (
    ApiError,
    AuthError,
    EomerError,
    InvalidJobIdError,
    JobNotCompletedError,
    NotFoundError,
    ResponseError,
    ServerError,
    ValidationError,
)
from eomer_client.models import ErrorCode, Job, JobStatus
from tests.eomer_client.conftest import JOB_ID, TOKEN, Harness, job_json

FULL_JOB = job_json(
    created_at="2023-11-07T05:31:56Z",
    completed_at="2023-11-07T05:41:56+00:00",
    elapsed_seconds=123,
    num_items=3,
    prediction_length=24,
    download_url="/jobs/x/download",
    explainability={"enabled": True, "artifacts": [{"artifact_id": "a1", "format": "png"}]},
    delivery_status="delivered",
)


def answer(body: object, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


def get(harness: Harness, response: httpx.Response) -> Job:
    client, _ = harness.client(lambda request: response, attempts=1)
    return client.get_job(JOB_ID)


def test_a_full_job_parses_with_both_timestamp_spellings(harness: Harness) -> None:
    job = get(harness, answer(FULL_JOB))
    assert job.status is JobStatus.COMPLETED
    assert job.created_at == datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)
    assert job.completed_at == datetime(2023, 11, 7, 5, 41, 56, tzinfo=UTC)
    assert job.explainability is not None
    assert job.explainability.artifacts[0].artifact_id == "a1"


def test_the_request_carries_the_token_and_asks_for_the_job_path(harness: Harness) -> None:
    client, recorder = harness.client(lambda request: answer(job_json()))
    client.get_job(JOB_ID)
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("GET", f"/jobs/{JOB_ID}")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_every_optional_field_may_be_null(harness: Harness) -> None:
    nulls = dict.fromkeys(FULL_JOB, None) | {"job_id": JOB_ID, "status": "running"}
    nulls["explainability"] = dict.fromkeys(("artifacts", "warnings", "enabled"))
    job = get(harness, answer(nulls))
    assert job.created_at is None
    assert job.explainability is not None
    assert job.explainability.artifacts == []


def test_unknown_status_and_error_code_are_kept_raw_and_not_terminal(harness: Harness) -> None:
    job = get(harness, answer(job_json(status="archived", error_code="quota_exceeded")))
    assert (job.status, job.error_code) == ("archived", "quota_exceeded")
    assert not job.is_terminal
    assert not job.is_known_status


def test_known_error_codes_become_the_enum(harness: Harness) -> None:
    job = get(harness, answer(job_json(status="failed", error_code="pipeline_failed")))
    assert job.error_code is ErrorCode.PIPELINE_FAILED
    assert job.is_terminal


def test_extra_nested_fields_are_ignored(harness: Harness) -> None:
    body = job_json(surprise={"deep": [1, {"x": None}]}, explainability={"new": {"a": 1}})
    assert get(harness, answer(body)).job_id == JOB_ID


def test_numbers_sent_as_strings_parse(harness: Harness) -> None:
    body = job_json(num_items="12", prediction_length="24", elapsed_seconds="1.5")
    job = get(harness, answer(body))
    assert (job.num_items, job.prediction_length, job.elapsed_seconds) == (12, 24, 1.5)


def test_ten_thousand_artifacts_parse(harness: Harness) -> None:
    artifacts = [{"artifact_id": f"a{i}", "display_order": str(i)} for i in range(10_000)]
    job = get(harness, answer(job_json(explainability={"artifacts": artifacts})))
    assert job.explainability is not None
    assert len(job.explainability.artifacts) == 10_000
    assert job.explainability.artifacts[-1].display_order == 9_999


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(200, html="<html><body>Login</body></html>"), "HTML page"),
        (httpx.Response(200, content=b""), "empty body"),
        (httpx.Response(200, content=b'{"job_id": "0b6f'), "not a readable job"),
        (answer([job_json()]), "not a readable job"),
        (answer("completed"), "not a readable job"),
        (answer({"job_id": JOB_ID}), r"status: Field required"),
        (httpx.Response(200, content=b"\xff\xfe{}"), "not a readable job"),
        (answer(job_json(job_id="someone-else")), "another job"),
        (httpx.Response(204), "empty body"),
        (httpx.Response(304), "HTTP 304 unexpectedly"),
    ],
)
def test_unreadable_success_answers_are_response_errors(
    harness: Harness, response: httpx.Response, message: str
) -> None:
    with pytest.raises(ResponseError, match=message):
        get(harness, response)


def test_a_body_that_does_not_decompress_is_a_response_error(harness: Harness) -> None:
    raw = httpx.ByteStream(b"not gzip")
    response = httpx.Response(200, stream=raw, headers={"content-encoding": "gzip"})
    with pytest.raises(ResponseError, match="could not be decoded"):
        get(harness, response)


def test_a_gzip_encoded_job_parses(harness: Harness) -> None:
    raw = httpx.ByteStream(gzip.compress(json.dumps(job_json()).encode()))
    assert get(harness, httpx.Response(200, stream=raw, headers={"content-encoding": "gzip"}))


def test_fastapi_error_bodies_give_status_code_message_and_request_id(harness: Harness) -> None:
    body = {"detail": "Job not found", "error_code": "job_not_found", "request_id": "req-1"}
    with pytest.raises(NotFoundError) as caught:
        get(harness, answer(body, 404))
    err = caught.value
    assert (err.status_code, err.error_code, err.server_message) == (
        404,
        "job_not_found",
        body["detail"],
    )
    assert err.request_id == "req-1"
    assert "[job_not_found]: Job not found" in err.message
    assert explain_error(err).summary.startswith("No job with this ID")


def test_validation_error_lists_are_joined_into_one_message(harness: Harness) -> None:
    detail = [
        {"loc": ["path", "job_id"], "msg": "bad id", "type": "x"},
        {"loc": ["query", "x"], "msg": "too big", "type": "y"},
    ]
    with pytest.raises(ApiError) as caught:
        get(harness, answer({"detail": detail}, 422))
    assert caught.value.server_message == "path.job_id: bad id; query.x: too big"
    assert isinstance(caught.value, ValidationError)
    assert caught.value.problems == ("path.job_id: bad id", "query.x: too big")


def test_an_html_502_from_a_proxy_is_a_server_error_with_a_short_plain_message(
    harness: Harness,
) -> None:
    page = "<html><head><style>p{}</style><script>x()</script></head>"
    page += "<body><h1>502 Bad Gateway</h1>" + "<p>nginx</p>" * 200 + "</body></html>"
    response = httpx.Response(502, html=page, headers={"x-request-id": "edge-7"})
    with pytest.raises(ServerError) as caught:
        get(harness, response)
    message = caught.value.server_message or ""
    assert message.startswith("502 Bad Gateway nginx")
    assert len(message) <= 200
    assert "<" not in message
    assert "x()" not in message
    assert caught.value.request_id == "edge-7"


@pytest.mark.parametrize(
    ("status", "kind"), [(401, AuthError), (403, AuthError), (500, ServerError), (409, ApiError)]
)
def test_error_statuses_map_to_their_error_class_even_with_an_empty_body(
    harness: Harness, status: int, kind: type[ApiError]
) -> None:
    with pytest.raises(kind) as caught:
        get(harness, httpx.Response(status))
    assert caught.value.status_code == status
    assert caught.value.server_message is None
    assert f"HTTP {status}" in caught.value.message


def test_get_jobs_keys_results_by_input_ids_in_order_without_duplicates(harness: Harness) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        job_id = request.url.path.rsplit("/", 1)[1]
        if job_id == "missing":
            return answer({"detail": "nope", "error_code": "job_not_found"}, 404)
        return answer(job_json(job_id, status="running"))

    client, recorder = harness.client(handler)
    results = client.get_jobs(["b", "missing", "../etc", "a", "b"])
    assert list(results) == ["b", "missing", "../etc", "a"]
    assert isinstance(results["a"], Job)
    assert isinstance(results["b"], Job)
    assert isinstance(results["missing"], NotFoundError)
    assert isinstance(results["../etc"], InvalidJobIdError)
    assert sorted(r.url.path for r in recorder.requests) == ["/jobs/a", "/jobs/b", "/jobs/missing"]


def test_get_jobs_of_nothing_is_an_empty_dict(harness: Harness) -> None:
    client, recorder = harness.client(lambda request: answer(job_json()))
    assert client.get_jobs([]) == {}
    assert recorder.requests == []


def test_get_jobs_runs_exactly_max_concurrency_requests_at_once(harness: Harness) -> None:
    limit = 3
    # Each request waits until `limit` are in flight together: fewer would break the barrier.
    barrier = threading.Barrier(limit, timeout=10)
    lock = threading.Lock()
    in_flight = [0, 0]

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight)
        barrier.wait()
        with lock:
            in_flight[0] -= 1
        return answer(job_json(request.url.path.rsplit("/", 1)[1]))

    client, _ = harness.client(handler)
    results = client.get_jobs([f"job{i}" for i in range(9)], max_concurrency=limit)
    assert all(isinstance(result, Job) for result in results.values())
    assert in_flight[1] == limit


def test_downloading_a_job_without_download_url_uses_the_download_path(harness: Harness) -> None:
    csv = httpx.Response(
        200, content=b"item_id,timestamp,mean\n", headers={"content-type": "text/csv"}
    )
    client, recorder = harness.client(lambda request: csv)
    fetched = client.download_forecast(Job(job_id=JOB_ID, status="completed"))
    assert fetched.content_type == "text/csv"
    assert recorder.requests[0].url.path == f"/jobs/{JOB_ID}/download"
    assert recorder.authorizations() == [f"Bearer {TOKEN}"]


def test_downloading_uses_a_presigned_download_url_without_the_token(harness: Harness) -> None:
    client, recorder = harness.client(lambda request: httpx.Response(200, content=b"a,b\n"))
    url = "https://bucket.example.com/f.csv?X-Amz-Signature=abc"
    client.download_forecast(Job(job_id=JOB_ID, status="completed", download_url=url))
    assert str(recorder.requests[0].url) == url
    assert recorder.authorizations() == [None]


@pytest.mark.parametrize("status", ["pending", "running", "failed"])
def test_downloading_a_job_that_is_not_completed_is_refused_without_a_request(
    harness: Harness, status: str
) -> None:
    client, recorder = harness.client(lambda request: httpx.Response(200))
    with pytest.raises(JobNotCompletedError, match=f"is {status}, not completed") as caught:
        client.download_forecast(Job(job_id=JOB_ID, status=status))
    assert explain_error(caught.value).summary.startswith("The job has not completed")
    assert recorder.requests == []


def test_downloading_a_job_with_an_unknown_status_lets_the_api_decide(harness: Harness) -> None:
    body = {"detail": "Job is archived", "error_code": "job_not_completed"}
    client, recorder = harness.client(lambda request: answer(body, 409))
    with pytest.raises(ApiError, match="Job is archived") as caught:
        client.download_forecast(Job(job_id=JOB_ID, status="archived"))
    assert caught.value.error_code == "job_not_completed"
    assert len(recorder.requests) == 1


def test_every_error_a_caller_meets_is_an_eomer_error(harness: Harness) -> None:
    assert issubclass(JobNotCompletedError, EomerError)


def test_get_job_keeps_the_parsed_answer_with_an_echoed_token_already_blanked(
    harness: Harness,
) -> None:
    body = FULL_JOB | {"error": f"bad token {TOKEN}", "unknown_field": {"kept": True}}
    job = get(harness, answer(body))
    assert job.raw_answer == body | {"error": "bad token ***"}
