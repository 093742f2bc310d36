"""The body of one hostile job as a request sees it: a valid job, then its attacks on top."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import Request

from demo_api.state import DemoState
from demo_api.testing import hostile_payloads as attack
from demo_api.testing.hostile_bodies import BUILDERS
from demo_api.testing.hostile_scenarios import (
    HOSTILE_SCENARIOS,
    REDIRECTS,
    JobContext,
    hostile_ids,
)

__all__ = ["HOSTILE_SCENARIOS", "REDIRECTS", "StatusPolls", "hostile_ids", "hostile_job"]


class StatusPolls:
    """How often the hostile_status job was read, in one app."""

    def __init__(self) -> None:
        self.count = 0


def _status(c: JobContext, polls: StatusPolls) -> dict[str, Any]:
    # Alternating statuses make every poll a change, so the page announces each one.
    polls.count += 1
    status = "running" if polls.count % 2 else attack.hostile_text(c.beacon)
    return {"status": status, "completed_at": None}


def _base_job(c: JobContext, started: datetime) -> dict[str, Any]:
    created = started - timedelta(minutes=5)
    return {
        "job_id": c.job_id,
        "status": "completed",
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "completed_at": (created + timedelta(seconds=42)).isoformat().replace("+00:00", "Z"),
        "elapsed_seconds": 42.0,
        "num_items": 1,
        "prediction_length": 3,
        "error": None,
        "error_code": None,
        "download_url": None,
        "report_url": None,
        "external_covariate_metadata": {},
        "explainability": None,
        "explainability_url": None,
        "forecast_plot_url": None,
        "request_id": "req_hostile",
        "config_hash": "hostile",
        "dataset_hash": "hostile",
        "model_version": "hostile",
        "delivery_status": None,
        "delivery_connection_id": None,
        "delivery_uri": None,
        "delivery_error": None,
    }


def hostile_job(
    state: DemoState, request: Request, scenario: str, job_id: str, polls: StatusPolls
) -> dict[str, Any]:
    """The body of one hostile job as this request sees it."""
    context = JobContext(request, state.settings.hostile_beacon_url, job_id)
    body = _base_job(context, state.started_at)
    extra = _status(context, polls) if scenario == "hostile_status" else BUILDERS[scenario](context)
    return body | extra
