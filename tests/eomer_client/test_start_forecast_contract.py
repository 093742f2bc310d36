"""start_forecast against the demo API over loopback: real uploads, real forecasts, real faults."""

from __future__ import annotations

import csv
import io
import math
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pandas as pd
import pytest

from demo_api.server import DemoServer, start_demo_server
from eomer_client.client import EomerClient
from eomer_client.errors import (
    AnswerLostError,
    ConnectError,
    EomerError,
    RateLimitedError,
    ServerError,
    UploadTooLargeError,
    ValidationError,
)
from eomer_client.models import ForecastUpload, Job
from eomer_client.retry import RetryPolicy
from tests.conftest import loopback

TOKEN = "upload-secret-Q7x2m9"
MAX_UPLOAD_BYTES = 64 * 1024
ATTEMPTS = RetryPolicy().attempts
TIMEOUT_SECONDS = 1.0
DAYS = 42


@dataclass
class Sleeps:
    """The retry waits the policy asked for; nothing really waits."""

    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class CountingTransport(httpx.HTTPTransport):
    """A real transport that counts the requests it was asked to send (for closed ports)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return super().handle_request(request)


def _value(item: int, day: int) -> float:
    """A trend, a weekly season and a little deterministic noise: every model reads it apart."""
    return 50 + 10 * item + 0.8 * day + 6 * math.sin(2 * math.pi * day / 7) + (day * 37 % 11) / 5


def _rows(items: int) -> list[tuple[str, datetime, float]]:
    start = datetime(2024, 1, 1)
    return [
        (f"store_{item}", start + timedelta(days=day), _value(item, day))
        for item in range(items)
        for day in range(DAYS)
    ]


def _csv(items: int = 2) -> bytes:
    lines = ["item_id,timestamp,target"]
    lines += [f"{i},{t.date().isoformat()},{v:.4f}" for i, t, v in _rows(items)]
    return "\n".join(lines).encode()


def _xlsx(items: int = 3) -> bytes:
    """A workbook written by openpyxl (through pandas), with its own column names."""
    frame = pd.DataFrame(_rows(items), columns=["shop", "day", "units"])
    out = io.BytesIO()
    frame.to_excel(out, index=False, engine="openpyxl")
    return out.getvalue()


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    """A demo API with faults, a small upload limit, and uploads that finish once computed."""
    with start_demo_server(
        faults=True,
        tokens={TOKEN: "uploads"},
        upload_step_seconds=0.0,
        max_upload_bytes=MAX_UPLOAD_BYTES,
    ) as running:
        yield running


@pytest.fixture
def demo(server: DemoServer) -> Iterator[str]:
    """The server's URL, without faults and with an empty request log before and after."""
    loopback().post(f"{server.url}/_demo/faults/reset", timeout=30).raise_for_status()
    yield server.url
    loopback().post(f"{server.url}/_demo/faults/reset", timeout=30).raise_for_status()


Connect = Callable[..., EomerClient]


@pytest.fixture
def connect(demo: str) -> Iterator[Connect]:
    """Builds clients of the demo (fake retry sleeps), closed when the test ends."""
    made: list[EomerClient] = []

    def client(sleeps: Sleeps | None = None, timeout: float = 30.0) -> EomerClient:
        policy = RetryPolicy(sleep=sleeps or Sleeps())
        made.append(EomerClient(demo, TOKEN, timeout=timeout, retry=policy))
        return made[-1]

    yield client
    for client_made in made:
        client_made.close()


def _fault(url: str, **spec: Any) -> None:
    loopback().post(f"{url}/_demo/faults", json=spec, timeout=30).raise_for_status()


def _posts(url: str) -> int:
    log = loopback().get(f"{url}/_demo/requests", timeout=30).json()
    return sum(entry["method"] == "POST" and entry["path"] == "/forecast" for entry in log)


def _uploads_named(url: str, filename: str) -> list[dict[str, str]]:
    answer = loopback().get(
        f"{url}/_demo/uploads", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    answer.raise_for_status()
    return [job for job in answer.json() if job["filename"] == filename]


def _finished(client: EomerClient, job_id: str) -> Job:
    deadline = time.monotonic() + 90
    while True:
        job = client.get_job(job_id)
        if job.is_terminal:
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job.status}"
        time.sleep(0.05)  # polling the job's status with a deadline, not waiting a fixed time


def _forecast_rows(client: EomerClient, job: Job) -> list[dict[str, str]]:
    text = client.download_forecast(job).content.decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_a_csv_upload_is_accepted_and_its_job_completes_with_the_asked_quantiles(
    demo: str,
    connect: Connect,
) -> None:
    client = connect()
    upload = ForecastUpload(
        _csv(items=2), "sales.csv", prediction_length=5, quantile_levels=(0.05, 0.5, 0.95)
    )
    accepted = client.start_forecast(upload)
    assert (accepted.status, accepted.prediction_length) == ("pending", 5)
    assert accepted.created_at is not None
    job = _finished(client, accepted.job_id)
    assert (job.status, job.num_items, job.prediction_length) == ("completed", 2, 5)
    rows = _forecast_rows(client, job)
    assert list(rows[0]) == ["item_id", "timestamp", "mean", "0.05", "0.5", "0.95"]
    assert len(rows) == 2 * 5
    assert {row["item_id"] for row in rows} == {"store_0", "store_1"}
    assert all(float(r["0.05"]) < float(r["0.5"]) < float(r["0.95"]) for r in rows)


def test_an_xlsx_upload_with_its_own_column_names_completes_with_every_item(
    demo: str, connect: Connect
) -> None:
    client = connect()
    upload = ForecastUpload(
        _xlsx(items=3),
        "sales.xlsx",
        prediction_length=4,
        item_id_column="shop",
        timestamp_column="day",
        target_column="units",
    )
    job = _finished(client, client.start_forecast(upload).job_id)
    assert (job.status, job.num_items) == ("completed", 3)
    rows = _forecast_rows(client, job)
    assert list(rows[0]) == ["item_id", "timestamp", "mean", *(f"0.{n}" for n in range(1, 10))]
    assert len(rows) == 3 * 4


def test_two_presets_on_one_file_share_the_dataset_hash_and_differ_in_all_else(
    demo: str,
    connect: Connect,
) -> None:
    client = connect()
    data = _csv(items=1)
    jobs = [
        _finished(client, client.start_forecast(ForecastUpload(data, "same.csv", 7, preset)).job_id)
        for preset in ("chronos_tiny", "chronos_base")
    ]
    tiny, base = jobs
    assert tiny.dataset_hash == base.dataset_hash is not None
    assert tiny.config_hash != base.config_hash
    assert tiny.model_version != base.model_version
    means = [[row["mean"] for row in _forecast_rows(client, job)] for job in jobs]
    assert means[0] != means[1]


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"prediction_length": 0}, "prediction_length"),
        ({"quantile_levels": (0.5, 1.5)}, "quantile_levels"),
        ({"quantile_levels": tuple(n / 100 for n in range(1, 21))}, "quantile_levels"),
        ({"target_column": "revenue"}, "target_column"),
        ({"presets": "chronos_huge"}, "presets"),
    ],
    ids=["horizon 0", "level 1.5", "20 levels", "missing column", "unknown preset"],
)
def test_a_refused_upload_is_a_validation_error_naming_the_field(
    demo: str, connect: Connect, changes: dict[str, Any], field_name: str
) -> None:
    upload = ForecastUpload(_csv(), f"{uuid.uuid4()}.csv", **changes)
    with pytest.raises(ValidationError) as caught:
        connect().start_forecast(upload)
    assert caught.value.status_code == 422
    assert [p for p in caught.value.problems if p.startswith(f"{field_name}: ")]
    assert _uploads_named(demo, upload.filename) == []


def test_an_upload_over_the_limit_is_upload_too_large(demo: str, connect: Connect) -> None:
    upload = ForecastUpload(b"x" * (MAX_UPLOAD_BYTES + 1), "big.csv")
    with pytest.raises(UploadTooLargeError) as caught:
        connect().start_forecast(upload)
    assert (caught.value.status_code, caught.value.error_code) == (413, "file_too_large")


def test_a_429_gives_its_retry_after_and_is_not_sent_again(demo: str, connect: Connect) -> None:
    _fault(demo, kind="status", path_prefix="/forecast", status=429, retry_after="1")
    sleeps = Sleeps()
    with pytest.raises(RateLimitedError) as caught:
        connect(sleeps).start_forecast(ForecastUpload(_csv(), "limited.csv"))
    assert caught.value.retry_after == 1.0
    assert caught.value.error_code == "rate_limited"
    assert (_posts(demo), sleeps.waits) == (1, [])


def test_a_503_is_a_server_error_and_is_not_sent_again(demo: str, connect: Connect) -> None:
    code = "gpu_offload_unavailable"
    _fault(demo, kind="status", path_prefix="/forecast", status=503, error_code=code)
    with pytest.raises(ServerError) as caught:
        connect().start_forecast(ForecastUpload(_csv(), "busy.csv"))
    assert (caught.value.status_code, caught.value.error_code) == (503, code)
    assert _posts(demo) == 1


def test_a_refused_connection_is_tried_again_up_to_the_policy() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    transport = CountingTransport()
    with httpx.Client(transport=transport) as http:
        client = EomerClient(
            f"http://127.0.0.1:{port}", TOKEN, http=http, retry=RetryPolicy(sleep=Sleeps())
        )
        with pytest.raises(ConnectError):
            client.start_forecast(ForecastUpload(_csv(), "refused.csv"))
    assert transport.sent == ATTEMPTS


def test_a_read_timeout_is_an_answer_lost_and_is_not_sent_again(
    demo: str, connect: Connect
) -> None:
    _fault(demo, kind="latency", path_prefix="/forecast", latency_seconds=3 * TIMEOUT_SECONDS)
    client = connect(timeout=TIMEOUT_SECONDS)
    with pytest.raises(AnswerLostError) as caught:
        client.start_forecast(ForecastUpload(_csv(), "slow.csv"))
    assert "may have started the job" in caught.value.message
    assert _posts(demo) == 1


def test_latency_within_the_timeout_still_gets_the_job(demo: str, connect: Connect) -> None:
    _fault(demo, kind="latency", path_prefix="/forecast", latency_seconds=0.2)
    name = f"{uuid.uuid4()}.csv"
    accepted = connect().start_forecast(ForecastUpload(_csv(), name))
    assert [job["job_id"] for job in _uploads_named(demo, name)] == [accepted.job_id]


@pytest.mark.parametrize("kind", ["accept_then_drop", "drop"])
def test_a_lost_answer_is_answer_lost_and_exactly_one_job_was_made(
    demo: str, connect: Connect, kind: str
) -> None:
    _fault(demo, kind=kind, path_prefix="/forecast", count=1)
    name = f"{uuid.uuid4()}.csv"
    with pytest.raises(AnswerLostError) as caught:
        connect().start_forecast(ForecastUpload(_csv(), name, presets="chronos_mini"))
    assert "may have started the job" in caught.value.message
    made = _uploads_named(demo, name)
    assert [(job["filename"], job["presets"]) for job in made] == [(name, "chronos_mini")]
    assert _posts(demo) == 1


def test_the_job_of_a_lost_answer_is_real_and_completes(demo: str, connect: Connect) -> None:
    _fault(demo, kind="accept_then_drop", path_prefix="/forecast", count=1)
    name = f"{uuid.uuid4()}.csv"
    client = connect()
    with pytest.raises(AnswerLostError):
        client.start_forecast(ForecastUpload(_csv(items=2), name, prediction_length=3))
    [made] = _uploads_named(demo, name)
    job = _finished(client, made["job_id"])
    assert (job.status, job.num_items) == ("completed", 2)


def test_no_upload_error_from_the_demo_contains_the_token(demo: str, connect: Connect) -> None:
    errors: list[EomerError] = []
    cases: list[tuple[dict[str, Any], ForecastUpload]] = [
        ({}, ForecastUpload(_csv(), "a.csv", target_column=TOKEN)),
        ({}, ForecastUpload(_csv(), "b.csv", presets=TOKEN)),
        ({"kind": "status", "status": 429, "retry_after": "3"}, ForecastUpload(_csv(), "c.csv")),
        ({"kind": "accept_then_drop"}, ForecastUpload(_csv(), "d.csv")),
        ({"kind": "html"}, ForecastUpload(_csv(), "e.csv")),
    ]
    for fault, upload in cases:
        if fault:
            _fault(demo, path_prefix="/forecast", count=1, **fault)
        with pytest.raises(EomerError) as caught:
            connect().start_forecast(upload)
        errors.append(caught.value)
    assert [type(e).__name__ for e in errors] == [
        "ValidationError",
        "ValidationError",
        "RateLimitedError",
        "AnswerLostError",
        "ServerError",
    ]
    texts = [text for e in errors for text in (str(e), repr(e), *map(str, vars(e).values()))]
    assert not [text for text in texts if TOKEN in text]
