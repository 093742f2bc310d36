"""POST /forecast: validation answers, and a real job that runs to completion."""

from __future__ import annotations

import time

import httpx
import pytest

from demo_api.settings import Settings
from demo_api.testing.clock import ManualClock
from tests.demo_api.conftest import UPLOAD_STEP_SECONDS


def _csv(points: int = 30, items: tuple[str, ...] = ("a", "b")) -> bytes:
    rows = ["item_id,timestamp,target"]
    for item in items:
        rows += [
            f"{item},2024-01-{day + 1:02d},{10 + day % 7 + len(item)}" for day in range(points)
        ]
    return "\n".join(rows).encode()


def _post(api: httpx.Client, body: bytes, name: str = "data.csv", **form: str) -> httpx.Response:
    return api.post("/forecast", files={"file": (name, body, "text/csv")}, data=form)


def test_upload_answers_202_and_runs_pending_running_completed(
    api: httpx.Client, demo_clock: ManualClock
) -> None:
    response = _post(api, _csv(), prediction_length="5", presets="chronos_tiny")
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"job_id", "status", "created_at", "prediction_length"}
    assert (body["status"], body["prediction_length"]) == ("pending", 5)
    seen: list[str] = []
    # One step of the clock after each of the first two reads: pending, then running; after
    # that only the real forecast is awaited (its deadline is real time).
    steps = iter([UPLOAD_STEP_SECONDS, UPLOAD_STEP_SECONDS])
    deadline = time.monotonic() + 60
    while not seen or seen[-1] not in ("completed", "failed"):
        assert time.monotonic() < deadline
        status = api.get(f"/jobs/{body['job_id']}").json()["status"]
        seen += [status] if not seen or seen[-1] != status else []
        demo_clock.advance(next(steps, 0.0))
    assert seen == ["pending", "running", "completed"]
    csv = api.get(f"/jobs/{body['job_id']}/download").text.splitlines()
    assert csv[0].startswith("item_id,timestamp,mean,0.1")
    assert len(csv) == 1 + 2 * 5


def test_upload_with_custom_column_names_is_accepted(api: httpx.Client) -> None:
    body = _csv().replace(b"item_id,timestamp,target", b"sku,date,sales")
    response = _post(
        api, body, item_id_column="sku", timestamp_column="date", target_column="sales"
    )
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("body", "form", "code"),
    [
        (_csv().replace(b"target", b"value"), {}, "validation_error"),
        (_csv(points=1), {}, "validation_error"),
        (_csv(), {"presets": "chronos_huge"}, "invalid_preset"),
        (_csv(), {"prediction_length": "0"}, "validation_error"),
        (b"item_id,timestamp,target\na,not-a-date,1\na,2024-01-02,2\n", {}, "validation_error"),
    ],
)
def test_invalid_uploads_are_refused_with_their_error_code(
    api: httpx.Client, body: bytes, form: dict[str, str], code: str
) -> None:
    response = _post(api, body, **form)
    assert (response.status_code, response.json()["error_code"]) == (422, code)


def test_upload_over_the_size_limit_is_413_file_too_large(api: httpx.Client) -> None:
    response = _post(api, b"x" * (Settings().max_upload_bytes + 1))
    assert (response.status_code, response.json()["error_code"]) == (413, "file_too_large")


def test_upload_without_token_is_401(anonymous: httpx.Client) -> None:
    response = anonymous.post("/forecast", files={"file": ("d.csv", _csv(), "text/csv")})
    assert response.status_code == 401


def test_another_tenant_cannot_see_an_uploaded_job(api: httpx.Client, demo_url: str) -> None:
    job_id = _post(api, _csv()).json()["job_id"]
    other = httpx.get(
        f"{demo_url}/jobs/{job_id}", headers={"Authorization": "Bearer other-token"}, timeout=60
    )
    assert other.status_code == 404
