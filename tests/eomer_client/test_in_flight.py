"""One client's requests in flight are bounded, and a client whose caller has gone stops."""

from __future__ import annotations

import threading
import time

import pytest

from eomer_client.client import EomerClient
from eomer_client.errors import RequestTimeoutError
from eomer_client.in_flight import InFlightLimit
from eomer_client.retry import Deadline, RetryPolicy
from harness.drip_api import drip_server

TOKEN = "in-flight-test-token"


def test_a_client_never_has_more_requests_open_than_its_bound() -> None:
    with drip_server() as server, EomerClient(server.url, TOKEN, max_in_flight=3) as client:
        ids = [f"job-{index}" for index in range(12)]
        done = threading.Thread(target=client.get_jobs, args=(ids,), kwargs={"max_concurrency": 8})
        done.start()
        while server.open_now < 3:
            time.sleep(0.02)
        time.sleep(0.3)  # room for a fourth request to open, were the bound broken
        assert server.open_now == 3
        server.release.set()
        done.join(timeout=30)
        assert server.most_open == 3


def test_a_request_waiting_for_a_slot_gives_up_at_its_deadline_saying_why() -> None:
    limit = InFlightLimit(1)
    deadline = Deadline.after(0.2, time.monotonic)
    with (
        limit.slot(deadline, "first"),
        pytest.raises(RequestTimeoutError, match="earlier requests"),
        limit.slot(deadline, "https://api.example.com/jobs/x"),
    ):
        pass


def test_a_slot_is_given_back_when_the_request_fails() -> None:
    limit = InFlightLimit(1)
    deadline = Deadline.after(5.0, time.monotonic)
    with pytest.raises(ValueError, match="failed"), limit.slot(deadline, "first"):
        raise ValueError("the request failed")
    with limit.slot(Deadline.after(0.1, time.monotonic), "second"):
        pass


def test_requests_stop_soon_after_their_caller_has_gone_instead_of_at_the_deadline() -> None:
    gone = threading.Event()
    policy = RetryPolicy(attempts=4, deadline=60.0)
    with (
        drip_server(drip_seconds=0.05) as server,
        EomerClient(server.url, TOKEN, retry=policy, abandoned=gone.is_set) as client,
    ):
        threading.Timer(0.5, gone.set).start()
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            client.get_job("endless")
        # Without the check it drips until the 60 s deadline, then retries.
        assert time.monotonic() - started < 10.0
        for _ in range(100):
            if server.gone_early or not server.open_now:
                break
            time.sleep(0.05)
        assert server.open_now == 0


def test_a_gone_callers_waiting_requests_are_never_sent() -> None:
    with (
        drip_server() as server,
        EomerClient(server.url, TOKEN, max_in_flight=1, abandoned=lambda: True) as client,
    ):
        with pytest.raises(RequestTimeoutError):
            client.get_job("never-sent")
        assert server.most_open == 0
