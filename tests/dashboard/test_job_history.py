"""Turning API answers into history facts, and writing each job at most once a minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from dashboard.caching.budgets import BUDGETS
from dashboard.jobs.job_history import (
    DEMO_ORIGIN,
    KnownTenant,
    WriteThrottle,
    facts_of,
    history_origin,
    job_facts,
)
from dashboard.series.observations import ITEM, TIME, VALUE, Observations, StartedForecast
from dashboard.session.connection_settings import ApiPreset
from eomer_client.models import Job
from store import JobFacts

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def completed_job() -> Job:
    return Job.model_validate_json(
        '{"job_id": "j1", "status": "completed", "created_at": "2026-11-30T10:00:00Z",'
        ' "completed_at": "2026-11-30T10:01:30Z", "elapsed_seconds": 90, "num_items": 12,'
        ' "prediction_length": 24, "dataset_hash": "d1", "config_hash": "c1",'
        ' "model_version": "m1"}'
    )


def started(job_id: str, preset: str) -> StartedForecast:
    history = Observations(pd.DataFrame(columns=[ITEM, TIME, VALUE]), "test")
    return StartedForecast(job_id, {"Preset": preset}, "abc", history, NOW)


def test_an_answer_becomes_the_facts_the_history_keeps() -> None:
    facts = job_facts(completed_job())
    assert facts == JobFacts(
        job_id="j1",
        status="completed",
        created_at=datetime(2026, 11, 30, 10, tzinfo=UTC),
        completed_at=datetime(2026, 11, 30, 10, 1, 30, tzinfo=UTC),
        elapsed_seconds=90.0,
        num_items=12,
        prediction_length=24,
        preset=None,
        dataset_hash="d1",
        config_hash="c1",
        model_version="m1",
    )


def test_the_preset_comes_from_the_form_when_this_session_started_the_job() -> None:
    facts = facts_of([completed_job()], {"j1": started("j1", "chronos_small")})
    assert [fact.preset for fact in facts] == ["chronos_small"]


def test_an_unknown_status_is_kept_as_written() -> None:
    facts = job_facts(Job.model_validate({"job_id": "j2", "status": "Queued"}))
    assert facts.status.lower() == "queued"


def test_a_job_is_written_again_only_on_a_new_status_or_after_a_minute() -> None:
    throttle = WriteThrottle(remember=BUDGETS.written_jobs)
    running = JobFacts("j1", "running")
    assert throttle.due("t", "o", [running], NOW) == [running]
    assert throttle.due("t", "o", [running], NOW + timedelta(seconds=30)) == []
    done = JobFacts("j1", "completed")
    assert throttle.due("t", "o", [done], NOW + timedelta(seconds=31)) == [done]
    assert throttle.due("t", "o", [done], NOW + timedelta(seconds=95)) == [done]


def test_the_throttle_is_per_tenant_and_forgets_failed_writes() -> None:
    throttle = WriteThrottle(remember=BUDGETS.written_jobs)
    facts = [JobFacts("j1", "running")]
    assert throttle.due("a", "o", facts, NOW) == facts
    assert throttle.due("b", "o", facts, NOW) == facts
    throttle.forget("a", "o", facts)
    assert throttle.due("a", "o", facts, NOW) == facts


def test_the_throttle_remembers_a_bounded_number_of_jobs() -> None:
    throttle = WriteThrottle(remember=2)
    for job_id in ("j1", "j2", "j3"):
        throttle.due("t", "o", [JobFacts(job_id, "running")], NOW)
    assert throttle.due("t", "o", [JobFacts("j1", "running")], NOW) != []


def test_the_demo_has_one_history_whatever_its_port_and_others_their_origin() -> None:
    assert history_origin("http://127.0.0.1:5123/api", True) == DEMO_ORIGIN
    assert history_origin("HTTPS://Api.Example.com:443/v1", False) == "https://api.example.com"
    assert history_origin(None, False) is None


def test_a_known_tenant_knows_which_sidebar_preset_reaches_it() -> None:
    demo = KnownTenant("t", DEMO_ORIGIN, None, "demo-token")
    cloud = KnownTenant(
        "t", "https://eomer-api.onrender.com", "https://eomer-api.onrender.com", "x"
    )
    custom = KnownTenant("t", "https://api.example.com", "https://api.example.com/v1", "s3cr3t")
    assert [k.preset for k in (demo, cloud, custom)] == [
        ApiPreset.DEMO,
        ApiPreset.CLOUD,
        ApiPreset.CUSTOM,
    ]
    assert "s3cr3t" not in repr(custom)
