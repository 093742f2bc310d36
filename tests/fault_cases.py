"""The fault matrix's cases: a fault on a running job's refresh, what the page must advise, and
how many requests the client may send for it. Page tests (AppTest) run them all; the browser
keeps one (tests/e2e/test_fault_matrix.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.jobs.explanations import explain, explain_error
from eomer_client.errors import ConnectError, ContentTooLargeError, ResponseError
from eomer_client.retry import RetryPolicy

ATTEMPTS = RetryPolicy().attempts
STALE = "the last refresh failed"
UNREADABLE = explain_error(ResponseError("x")).next_step
TRANSPORT = explain_error(ConnectError("x")).next_step


@dataclass(frozen=True)
class FaultCase:
    """A fault on the job's refresh, the next step the banner must show, the requests allowed."""

    fault: dict[str, Any]
    next_step: str
    fewest: int
    most: int


def status_fault(status: int, **extra: Any) -> dict[str, Any]:
    return {"kind": "status", "status": status, **extra}


def fault_cases(read_timeout: float) -> dict[str, FaultCase]:
    """Every case, for a client whose reads time out after `read_timeout` seconds."""
    some = (1, ATTEMPTS)
    return {
        "401": FaultCase(status_fault(401), explain("auth_failed").next_step, 1, 1),
        "404": FaultCase(status_fault(404), explain("job_not_found").next_step, 1, 1),
        "429 short Retry-After": FaultCase(
            status_fault(429, retry_after="1"), explain("rate_limited").next_step, *some
        ),
        "500": FaultCase(status_fault(500), explain("internal_error").next_step, *some),
        "502 HTML page": FaultCase({"kind": "html"}, explain(None, 502).next_step, *some),
        "503": FaultCase(status_fault(503), explain("server_overloaded").next_step, *some),
        "read timeout": FaultCase(
            {"kind": "latency", "latency_seconds": read_timeout + 2}, TRANSPORT, *some
        ),
        "dropped connection": FaultCase({"kind": "drop"}, TRANSPORT, *some),
        "truncated body": FaultCase({"kind": "truncated"}, UNREADABLE, 1, 1),
        "empty body": FaultCase({"kind": "empty"}, UNREADABLE, 1, 1),
        "oversized body": FaultCase(
            {"kind": "oversized", "size_bytes": 40 << 20},
            explain_error(ContentTooLargeError("x")).next_step,
            1,
            1,
        ),
    }
