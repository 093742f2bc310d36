"""Job history: idempotent upserts, statuses only moving forward, tenants kept apart, filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet

from store import JobFacts, Store, adopt_previous_keys, open_store, recent_jobs, record_jobs
from tests.store.conftest import Database, OpenStore

API = "https://api.example"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def tenant(store: Store, token: str = "token-a", origin: str = API) -> str:
    return store.tenant_key(origin, token)


def ids(
    store: Store,
    key: str,
    origin: str = API,
    *,
    id_prefix: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[str]:
    entries = recent_jobs(
        store,
        key,
        origin,
        id_prefix=id_prefix,
        status=status,
        since=since,
        until=until,
        limit=limit,
    )
    return [entry.facts.job_id for entry in entries]


def test_recording_the_same_answer_twice_keeps_one_row_and_moves_last_seen(store: Store) -> None:
    facts = JobFacts("job-1", "running", created_at=T0, num_items=3, preset="chronos_tiny")
    record_jobs(store, tenant(store), API, [facts], now=T0 + timedelta(minutes=1))
    record_jobs(store, tenant(store), API, [facts], now=T0 + timedelta(minutes=5))
    [entry] = recent_jobs(store, tenant(store), API)
    assert entry.facts == facts
    assert (entry.first_seen, entry.last_seen) == (
        T0 + timedelta(minutes=1),
        T0 + timedelta(minutes=5),
    )


def test_a_status_only_moves_forward_and_facts_fill_in(store: Store) -> None:
    key = tenant(store)
    record_jobs(store, key, API, [JobFacts("job-1", "pending", created_at=T0)], now=T0)
    done = JobFacts("job-1", "completed", created_at=T0, completed_at=T0 + timedelta(seconds=42))
    record_jobs(store, key, API, [JobFacts("job-1", "running", elapsed_seconds=10.0)], now=T0)
    record_jobs(store, key, API, [JobFacts(**{**done.__dict__, "elapsed_seconds": 42.0})], now=T0)
    # A stale answer from a replica that polled earlier arrives last: it changes nothing.
    record_jobs(store, key, API, [JobFacts("job-1", "running", elapsed_seconds=11.0)], now=T0)
    record_jobs(store, key, API, [JobFacts("job-1", "failed")], now=T0)
    [entry] = recent_jobs(store, key, API)
    assert (entry.facts.status, entry.facts.elapsed_seconds) == ("completed", 42.0)
    assert (entry.facts.created_at, entry.facts.completed_at) == (T0, done.completed_at)


def test_one_batch_naming_a_job_twice_keeps_the_furthest_answer(store: Store) -> None:
    batch = [JobFacts("job-1", "completed"), JobFacts("job-1", "running"), JobFacts("", "running")]
    assert record_jobs(store, tenant(store), API, batch, now=T0) == 1
    assert [entry.facts.status for entry in recent_jobs(store, tenant(store), API)] == ["completed"]


def test_an_unknown_status_is_kept_as_it_came_until_the_job_ends(store: Store) -> None:
    key = tenant(store)
    record_jobs(store, key, API, [JobFacts("job-1", "Queued")], now=T0)
    assert [entry.facts.status for entry in recent_jobs(store, key, API)] == ["queued"]
    record_jobs(store, key, API, [JobFacts("job-1", "failed")], now=T0)
    record_jobs(store, key, API, [JobFacts("job-1", "queued")], now=T0)
    assert [entry.facts.status for entry in recent_jobs(store, key, API)] == ["failed"]


def test_a_tenants_history_is_invisible_to_other_tokens_and_other_origins(store: Store) -> None:
    record_jobs(store, tenant(store, "token-a"), API, [JobFacts("job-a", "running")], now=T0)
    other_origin = "https://staging.example"
    record_jobs(
        store, tenant(store, "token-a", other_origin), other_origin, [JobFacts("job-s", "running")]
    )
    record_jobs(store, tenant(store, "token-b"), API, [JobFacts("job-b", "running")], now=T0)
    assert ids(store, tenant(store, "token-a")) == ["job-a"]
    assert ids(store, tenant(store, "token-b")) == ["job-b"]
    # The same key asked about another origin, and another key on this origin, see nothing.
    assert ids(store, tenant(store, "token-a"), other_origin) == []
    assert ids(store, tenant(store, "token-a", other_origin), API) == []
    assert ids(store, tenant(store, "token-c")) == []


def test_the_same_job_id_under_two_tenants_is_two_histories(store: Store) -> None:
    record_jobs(store, tenant(store, "token-a"), API, [JobFacts("job-1", "completed")], now=T0)
    record_jobs(store, tenant(store, "token-b"), API, [JobFacts("job-1", "pending")], now=T0)
    [a] = recent_jobs(store, tenant(store, "token-a"), API)
    [b] = recent_jobs(store, tenant(store, "token-b"), API)
    assert (a.facts.status, b.facts.status) == ("completed", "pending")


@pytest.fixture
def filled(store: Store) -> Store:
    """Five jobs a day apart, newest last; one has no creation time and dates from when seen."""
    jobs = [
        JobFacts("abc-1", "completed", created_at=T0),
        JobFacts("abc-2", "failed", created_at=T0 + timedelta(days=1)),
        JobFacts("abd-3", "running", created_at=T0 + timedelta(days=2)),
        JobFacts("a%c_4", "completed", created_at=T0 + timedelta(days=3)),
    ]
    record_jobs(store, tenant(store), API, jobs, now=T0 + timedelta(days=3, hours=1))
    record_jobs(
        store, tenant(store), API, [JobFacts("zzz-5", "pending")], now=T0 + timedelta(days=4)
    )
    return store


def test_recent_jobs_are_newest_first(filled: Store) -> None:
    assert ids(filled, tenant(filled)) == ["zzz-5", "a%c_4", "abd-3", "abc-2", "abc-1"]
    assert ids(filled, tenant(filled), limit=2) == ["zzz-5", "a%c_4"]


def test_recent_jobs_filter_by_id_prefix_literally(filled: Store) -> None:
    assert ids(filled, tenant(filled), id_prefix="abc") == ["abc-2", "abc-1"]
    assert ids(filled, tenant(filled), id_prefix=" ab ") == ["abd-3", "abc-2", "abc-1"]
    # % and _ are characters of the ID, not wildcards.
    assert ids(filled, tenant(filled), id_prefix="a%") == ["a%c_4"]
    assert ids(filled, tenant(filled), id_prefix="a_") == []


def test_recent_jobs_filter_by_status_and_dates(filled: Store) -> None:
    key = tenant(filled)
    assert ids(filled, key, status="Completed") == ["a%c_4", "abc-1"]
    assert ids(filled, key, since=T0 + timedelta(days=1), until=T0 + timedelta(days=3)) == [
        "abd-3",
        "abc-2",
    ]
    assert ids(filled, key, since=T0 + timedelta(days=3, minutes=1)) == ["zzz-5"]
    assert ids(filled, key, status="failed", since=T0 + timedelta(days=2)) == []


def test_history_follows_its_tenant_through_a_key_rotation(
    database: Database, open_on: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("EOMER_SECRET_KEY", old)
    before = open_on()
    record_jobs(
        before, tenant(before), API, [JobFacts("job-1", "running"), JobFacts("job-2", "running")]
    )
    monkeypatch.setenv("EOMER_SECRET_KEY", f"{new},{old}")
    after = open_store(database.url, database.data_dir)
    record_jobs(after, tenant(after), API, [JobFacts("job-2", "completed")], now=T0)
    assert adopt_previous_keys(after, API, "token-a") == 1
    assert adopt_previous_keys(after, API, "token-a") == 0
    statuses = {
        entry.facts.job_id: entry.facts.status for entry in recent_jobs(after, tenant(after), API)
    }
    after.close()
    assert statuses == {"job-1": "running", "job-2": "completed"}
