"""start_forecast over a fake transport: the request it sends, and what each answer becomes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP

import httpx
import pytest

from dashboard.jobs.explanations import explain_error
from eomer_client.errors import (
    AnswerLostError,
    ConnectError,
    EomerError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseError,
    ServerError,
    UploadTooLargeError,
    ValidationError,
)
from eomer_client.models import AcceptedJob, ForecastUpload
from tests.eomer_client.conftest import API, JOB_ID, TOKEN, Harness

CSV = b"item_id,timestamp,target\na,2024-01-01,1\na,2024-01-02,2\n"
UPLOAD = ForecastUpload(file=CSV, filename="sales.csv")
ACCEPTED = {
    "job_id": JOB_ID,
    "status": "pending",
    "created_at": "2024-05-01T10:00:00Z",
    "prediction_length": 24,
}
Handler = Callable[[httpx.Request], httpx.Response]


def accepted(request: httpx.Request) -> httpx.Response:
    return httpx.Response(202, json=ACCEPTED)


def parts(request: httpx.Request) -> dict[str, tuple[str | None, str, bytes]]:
    """The multipart body's parts by field name: (filename, content type, bytes)."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.read())
    found = {}
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found[str(part.get_param("name", header="content-disposition"))] = (
            part.get_filename(),
            part.get_content_type(),
            payload,
        )
    return found


def fields(request: httpx.Request) -> dict[str, str]:
    return {
        name: body.decode() for name, (filename, _, body) in parts(request).items() if not filename
    }


def test_the_upload_is_a_multipart_post_to_forecast_with_the_token(harness: Harness) -> None:
    client, recorder = harness.client(accepted)
    job = client.start_forecast(UPLOAD)
    [request] = recorder.requests
    assert (request.method, str(request.url)) == ("POST", f"{API}/forecast")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert parts(request)["file"] == ("sales.csv", "text/csv", CSV)
    assert fields(request) == {
        "prediction_length": "24",
        "presets": "chronos_small",
        "item_id_column": "item_id",
        "timestamp_column": "timestamp",
        "target_column": "target",
        "explainability": "false",
    }
    assert job == AcceptedJob(JOB_ID, "pending", datetime(2024, 5, 1, 10, tzinfo=UTC), 24)


def test_every_option_is_sent_as_a_form_field(harness: Harness) -> None:
    client, recorder = harness.client(accepted)
    upload = ForecastUpload(
        file=b"PK\x03\x04",
        filename="Sales.XLSX",
        prediction_length=7,
        presets="chronos_base",
        item_id_column="sku",
        timestamp_column="day",
        target_column="units",
        freq="D",
        quantile_levels=(0.1, 0.5, 0.9),
        explainability=True,
        explainability_analyses=("forecast", "shap"),
    )
    client.start_forecast(upload)
    request = recorder.requests[0]
    assert parts(request)["file"][1] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert fields(request) == {
        "prediction_length": "7",
        "presets": "chronos_base",
        "item_id_column": "sku",
        "timestamp_column": "day",
        "target_column": "units",
        "freq": "D",
        "quantile_levels": "0.1,0.5,0.9",
        "explainability": "true",
        "explainability_analyses": "forecast,shap",
    }


def test_a_tolerant_reading_of_the_202_needs_only_a_usable_job_id(harness: Harness) -> None:
    client, _ = harness.client(
        lambda r: httpx.Response(202, json={"job_id": JOB_ID, "created_at": "soon", "x": 1})
    )
    assert client.start_forecast(UPLOAD) == AcceptedJob(JOB_ID, "pending", None, None)


@pytest.mark.parametrize(
    "body",
    [{"status": "pending"}, {"job_id": "../etc/passwd"}, {"job_id": ""}, [ACCEPTED], "x"],
    ids=["no job_id", "unsafe job_id", "empty job_id", "an array", "a string"],
)
def test_a_2xx_without_a_usable_job_id_is_a_response_error(harness: Harness, body: object) -> None:
    client, recorder = harness.client(lambda r: httpx.Response(202, json=body))
    with pytest.raises(ResponseError) as caught:
        client.start_forecast(UPLOAD)
    assert "job_id" in caught.value.message
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "body", [b'{"job_id": "0b6f4c2e', b"", b"<html>Accepted</html>"], ids=["cut", "empty", "html"]
)
def test_an_unreadable_2xx_body_is_an_answer_lost_error(harness: Harness, body: bytes) -> None:
    client, recorder = harness.client(lambda r: httpx.Response(202, content=body))
    with pytest.raises(AnswerLostError) as caught:
        client.start_forecast(UPLOAD)
    assert "may have started the job" in caught.value.message
    assert len(recorder.requests) == 1


def test_a_422_lists_each_problem_by_field(harness: Harness) -> None:
    detail = [
        {"loc": ["body", "prediction_length"], "msg": "Input should be greater than 0"},
        {"loc": ["body", "quantile_levels"], "msg": "1.5 is not between 0 and 1"},
        {"loc": [], "msg": "the file is empty"},
    ]
    client, recorder = harness.client(
        lambda r: httpx.Response(422, json={"detail": detail, "error_code": "validation_error"})
    )
    with pytest.raises(ValidationError) as caught:
        client.start_forecast(UPLOAD)
    assert caught.value.problems == (
        "prediction_length: Input should be greater than 0",
        "quantile_levels: 1.5 is not between 0 and 1",
        "the file is empty",
    )
    assert caught.value.message.startswith(f"POST {API}/forecast answered HTTP 422")
    assert len(recorder.requests) == 1


def test_a_422_whose_detail_is_a_string_has_that_one_problem(harness: Harness) -> None:
    body = {"detail": "Unknown preset 'x'", "error_code": "invalid_preset"}
    client, _ = harness.client(lambda r: httpx.Response(422, json=body))
    with pytest.raises(ValidationError) as caught:
        client.start_forecast(UPLOAD)
    assert caught.value.problems == ("Unknown preset 'x'",)


def test_a_413_is_upload_too_large(harness: Harness) -> None:
    client, _ = harness.client(lambda r: httpx.Response(413, json={"detail": "too big"}))
    with pytest.raises(UploadTooLargeError) as caught:
        client.start_forecast(UPLOAD)
    assert caught.value.status_code == 413


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(429, headers={"retry-after": "1"}), RateLimitedError),
        (httpx.Response(500), ServerError),
        (httpx.Response(503, json={"detail": "busy"}), ServerError),
    ],
    ids=["429", "500", "503"],
)
def test_refusals_and_server_errors_are_never_sent_again(
    harness: Harness, answer: httpx.Response, error: type[EomerError]
) -> None:
    client, recorder = harness.client(lambda r: answer)
    with pytest.raises(error) as caught:
        client.start_forecast(UPLOAD)
    assert len(recorder.requests) == 1
    if isinstance(caught.value, RateLimitedError):
        assert caught.value.retry_after == 1.0


def failing(*errors: Exception) -> Handler:
    """Raise each error in turn, then accept."""
    queue = list(errors)

    def handler(request: httpx.Request) -> httpx.Response:
        if queue:
            raise queue.pop(0)
        return accepted(request)

    return handler


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")],
    ids=["refused", "connect timeout", "pool timeout"],
)
def test_a_connection_that_never_opened_is_tried_again(harness: Harness, error: Exception) -> None:
    client, recorder = harness.client(failing(error, error))
    assert client.start_forecast(UPLOAD).job_id == JOB_ID
    assert len(recorder.requests) == 3


def test_a_connection_that_never_opens_fails_after_the_policy_s_attempts(
    harness: Harness,
) -> None:
    client, recorder = harness.client(failing(*[httpx.ConnectError("refused")] * 9), attempts=3)
    with pytest.raises(ConnectError):
        client.start_forecast(UPLOAD)
    assert len(recorder.requests) == 3


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("slow"),
        httpx.WriteTimeout("stuck"),
        httpx.ReadError("reset"),
        httpx.WriteError("broken pipe"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=["read timeout", "write timeout", "read error", "write error", "closed"],
)
def test_once_the_request_may_have_arrived_it_is_never_sent_again(
    harness: Harness, error: Exception
) -> None:
    client, recorder = harness.client(failing(error))
    with pytest.raises(AnswerLostError) as caught:
        client.start_forecast(UPLOAD)
    assert len(recorder.requests) == 1
    assert not isinstance(caught.value, ConnectError | RequestTimeoutError)
    assert "may have started the job" in caught.value.message
    assert explain_error(caught.value).summary


def test_a_redirect_is_not_followed_and_the_upload_stays_with_the_api(harness: Harness) -> None:
    other = "https://uploads.example.com/forecast"
    client, recorder = harness.client(
        lambda r: (
            httpx.Response(307, headers={"location": other})
            if r.url.host == "eomer.test"
            else accepted(r)
        )
    )
    with pytest.raises(ResponseError):
        client.start_forecast(UPLOAD)
    assert [str(r.url) for r in recorder.requests] == [f"{API}/forecast"]


def test_the_token_goes_to_the_api_under_a_path_prefix_too(harness: Harness) -> None:
    client, recorder = harness.client(accepted, base_url=f"{API}/v1/")
    client.start_forecast(UPLOAD)
    assert str(recorder.requests[0].url) == f"{API}/v1/forecast"
    assert recorder.authorizations() == [f"Bearer {TOKEN}"]


ECHO = f"bad token {TOKEN}"
HOSTILE: list[httpx.Response | Exception] = [
    httpx.Response(401, json={"detail": ECHO, "error_code": TOKEN}),
    httpx.Response(413, text=ECHO),
    httpx.Response(422, json={"detail": [{"loc": ["body", TOKEN], "msg": ECHO}]}),
    httpx.Response(422, json={"detail": ECHO}),
    httpx.Response(429, json={"detail": ECHO}, headers={"retry-after": "5"}),
    httpx.Response(503, html=f"<p>{ECHO}</p>"),
    httpx.Response(202, json={"job_id": TOKEN}),
    httpx.Response(202, text=ECHO),
    httpx.Response(307, headers={"location": f"https://evil.example/{TOKEN}"}),
    httpx.ConnectError(ECHO),
    httpx.ReadTimeout(ECHO),
    httpx.RemoteProtocolError(ECHO),
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_upload_error_ever_contains_the_token(
    harness: Harness, hostile: httpx.Response | Exception
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(hostile, Exception):
            raise hostile
        return hostile

    client, _ = harness.client(handler, attempts=2)
    with pytest.raises(EomerError) as caught:
        client.start_forecast(UPLOAD)
    err = caught.value
    explanation = explain_error(err)
    texts = [str(err), repr(err), err.message, explanation.summary, explanation.next_step]
    texts += [str(value) for value in vars(err).values()]
    texts += [str(err.__cause__), str(err.__context__)]
    assert not [text for text in texts if TOKEN in text]
