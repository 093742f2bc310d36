"""Uploaded forecasts are fitted a few at a time; past the queue's places a clear 503 busy."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
from fastapi import FastAPI

from demo_api.app import create_app
from demo_api.errors import DemoApiError
from demo_api.models.fit_queue import FitQueue
from demo_api.settings import Settings
from demo_api.state import DemoState

CSV = "item_id,timestamp,target\n" + "".join(f"a,2024-01-{d:02d},{d % 5}\n" for d in range(1, 29))


def _wait(event: threading.Event) -> None:
    event.wait(timeout=60)


def test_fits_run_in_turn_and_past_the_waiting_places_the_queue_is_busy() -> None:
    fits = FitQueue(workers=1, waiting=1, retry_after=30)
    release, ran = threading.Event(), threading.Event()
    fits.reserve()
    fits.run(lambda: _wait(release))
    fits.reserve()
    fits.run(ran.set)
    with pytest.raises(DemoApiError) as busy:
        fits.reserve()
    assert busy.value.error_code == "server_overloaded"
    assert busy.value.headers == {"Retry-After": "30"}
    assert not ran.is_set()  # the second fit waits for the first
    release.set()
    assert ran.wait(timeout=60)
    fits.reserve()  # places free again once fits end
    fits.release()


def _post(app: FastAPI, body: str) -> httpx.Response:
    """POST /forecast to the app in this process (no server: the app's state is at hand)."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": "Bearer demo-token"}
        async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
            files = {"file": ("a.csv", body, "text/csv")}
            return await client.post("/forecast", files=files, headers=headers)

    return asyncio.run(send())


def _busy_demo() -> tuple[FastAPI, DemoState]:
    """A demo fitting one forecast at a time with no place to wait."""
    app = create_app(Settings(fit_workers=1, fit_waiting=0, warm_up=False))
    state: DemoState = app.state.demo
    return app, state


def test_an_upload_past_the_queue_is_answered_503_with_retry_after_and_makes_no_job() -> None:
    app, state = _busy_demo()
    state.fits.reserve()  # the one place, taken as a fit in progress would take it
    try:
        answer = _post(app, CSV)
    finally:
        state.fits.release()
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "30"
    body = answer.json()
    assert body["error_code"] == "server_overloaded"
    assert "1 forecast(s) at a time" in body["detail"]
    assert state.uploads == {}
    assert _post(app, CSV).status_code == 202


def test_a_refused_file_gives_its_place_back() -> None:
    app, _ = _busy_demo()
    for _ in range(3):
        assert _post(app, "x,y\n1,2\n").status_code == 422
    assert _post(app, CSV).status_code == 202
