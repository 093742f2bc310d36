"""The process-wide caches: bounded by weight, keyed by tenant, one request for many sessions."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import pytest

from dashboard.caching.budgets import BUDGETS
from dashboard.caching.shared_cache import JobAnswers, SharedForecasts
from dashboard.forecasts.forecast_csv import ReadOptions
from dashboard.jobs.polling import JOB_PAGE_POLICY, WATCHLIST_POLICY
from dashboard.safety.token_acceptance import ACCEPTED_WITHIN_SECONDS, TokenAcceptance
from eomer_client.errors import AuthError, ContentError, NotFoundError
from eomer_client.models import Job
from eomer_client.weighted_lru import WeightedLru

CSV = b"item_id,timestamp,mean\na,2026-01-01T00:00:00,1.0\na,2026-01-01T01:00:00,2.0\n"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def job(job_id: str, status: str) -> Job:
    return Job.model_validate({"job_id": job_id, "status": status})


def accepting(clock: Callable[[], float] | None = None) -> TokenAcceptance:
    if clock is None:
        return TokenAcceptance(max_tenants=BUDGETS.tenants)
    return TokenAcceptance(max_tenants=BUDGETS.tenants, clock=clock)


def answers_of(clock: Callable[[], float] | None = None) -> JobAnswers:
    """Job answers within the process's budget, on `clock` (the real one by default)."""
    if clock is None:
        return JobAnswers(max_bytes=BUDGETS.job_answers_bytes, acceptance=accepting())
    return JobAnswers(max_bytes=BUDGETS.job_answers_bytes, acceptance=accepting(clock), clock=clock)


def forecasts_of(acceptance: TokenAcceptance | None = None) -> SharedForecasts:
    return SharedForecasts(
        files_bytes=BUDGETS.forecast_files_bytes,
        readings_bytes=BUDGETS.forecast_readings_bytes,
        acceptance=acceptance or accepting(),
    )


def counting(answer: Callable[[str], Job]) -> tuple[list[str], Callable[[str], Job]]:
    asked: list[str] = []

    def fetch(job_id: str) -> Job:
        asked.append(job_id)
        return answer(job_id)

    return asked, fetch


def test_the_least_recently_used_goes_first_when_the_weight_is_exceeded() -> None:
    cache: WeightedLru[str, bytes] = WeightedLru(10, len)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # a is now the most recently used
    cache.put("c", b"1234")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1234", None, b"1234")
    assert cache.weight == 8


def test_a_value_heavier_than_the_whole_cache_is_not_kept() -> None:
    cache: WeightedLru[str, bytes] = WeightedLru(3, len)
    assert not cache.put("big", b"1234")
    assert len(cache) == 0


def test_entries_older_than_their_age_are_gone() -> None:
    clock = Clock()
    cache: WeightedLru[str, bytes] = WeightedLru(10, len, max_age=5, clock=clock)
    cache.put("a", b"1")
    clock.now = 6
    assert cache.get("a") is None
    assert cache.weight == 0


def test_a_running_job_is_asked_again_once_its_answer_is_older_than_the_job_page_interval() -> None:
    clock = Clock()
    answers = answers_of(clock)
    asked, fetch = counting(lambda job_id: job(job_id, "running"))
    interval = JOB_PAGE_POLICY.interval
    for now, session in ((0.0, "s1"), (1.0, "s2"), (interval, "s3")):
        clock.now = now
        answers.get("tenant", "j1", fetch, session, fresh_for=interval)
    clock.now = interval + 0.1
    answers.get("tenant", "j1", fetch, "s2", fresh_for=interval)
    assert asked == ["j1", "j1"]


def test_without_an_interval_a_running_answer_is_kept_for_the_shortest_poll_interval() -> None:
    clock = Clock()
    answers = answers_of(clock)
    asked, fetch = counting(lambda job_id: job(job_id, "running"))
    answers.get("tenant", "j1", fetch, "s1")
    clock.now = min(JOB_PAGE_POLICY.interval, WATCHLIST_POLICY.interval)
    answers.get("tenant", "j1", fetch, "s2")
    clock.now += 0.1
    answers.get("tenant", "j1", fetch, "s3")
    assert asked == ["j1", "j1"]


def test_the_watch_list_reuses_a_running_answer_for_its_own_longer_interval() -> None:
    clock = Clock()
    answers = answers_of(clock)
    asked, fetch = counting(lambda job_id: job(job_id, "running"))
    answers.get("tenant", "j1", fetch, "s1", fresh_for=JOB_PAGE_POLICY.interval)
    clock.now = WATCHLIST_POLICY.interval - 0.5
    answers.get("tenant", "j1", fetch, "s2", fresh_for=WATCHLIST_POLICY.interval)
    clock.now = WATCHLIST_POLICY.interval - 0.4
    answers.get("tenant", "j1", fetch, "s3", fresh_for=JOB_PAGE_POLICY.interval)
    assert asked == ["j1", "j1"]


def poll_running_job(sessions: int, period: float, seconds: float) -> tuple[int, float]:
    """Sessions asking every `period` s from staggered starts: the API's requests, oldest age."""
    clock = Clock()
    answers = answers_of(clock)
    fetched: list[tuple[Job, float]] = []  # kept alive, so no two answers share an id()

    def fetch(job_id: str) -> Job:
        fetched.append((job(job_id, "running"), clock.now))
        return fetched[-1][0]

    due = {f"s{n}": n * period / sessions for n in range(sessions)}
    oldest = 0.0
    while min(due.values()) < seconds:
        session = min(due, key=due.__getitem__)
        clock.now = due[session]
        answer = answers.get("t", "j1", fetch, session, fresh_for=JOB_PAGE_POLICY.interval)
        oldest = max(oldest, clock.now - next(at for made, at in fetched if made is answer))
        due[session] = clock.now + period
    return len(fetched), oldest


def test_however_many_sessions_watch_a_running_job_the_api_is_asked_once_per_interval() -> None:
    # A job page asks when its 3 s are up, at its next 1 s tick: about every 3.4 s.
    period, minute = JOB_PAGE_POLICY.interval + 0.4, 60.0
    alone, _ = poll_running_job(1, period, minute)
    ten, oldest = poll_running_job(10, period, minute)
    assert alone == math.ceil(minute / period)
    assert ten <= minute / JOB_PAGE_POLICY.interval + 1
    assert ten / alone < 1.25
    assert oldest <= JOB_PAGE_POLICY.interval


def test_a_session_asking_again_itself_always_reaches_the_api() -> None:
    answers = answers_of(Clock())
    asked, fetch = counting(lambda job_id: job(job_id, "running"))
    answers.get("tenant", "j1", fetch, "s1")
    answers.get("tenant", "j1", fetch, "s1")
    assert asked == ["j1", "j1"]


def test_a_finished_job_is_reused_for_minutes_while_its_token_keeps_being_accepted() -> None:
    clock = Clock()
    answers = answers_of(clock)
    asked, fetch = counting(lambda job_id: job(job_id, "completed"))
    answers.get("tenant", "j1", fetch)
    for second in range(5, 300, 5):  # other jobs of the tenant: the API keeps accepting it
        clock.now = second
        answers.get("tenant", f"other-{second}", fetch)
    clock.now = 299
    answers.get("tenant", "j1", fetch)
    clock.now = 301
    answers.get("tenant", "j1", fetch)
    assert asked.count("j1") == 2


def test_a_kept_answer_is_served_only_to_a_token_accepted_within_ten_seconds() -> None:
    clock = Clock()
    answers = answers_of(clock)
    revoked: list[bool] = []

    def answer(job_id: str) -> Job:
        if revoked:
            raise AuthError("The API refused the token.", status_code=401)
        return job(job_id, "completed")

    asked, fetch = counting(answer)
    answers.get("tenant", "j1", fetch, "s1")
    clock.now = ACCEPTED_WITHIN_SECONDS - 0.1
    assert answers.get("tenant", "j1", fetch, "s2").job_id == "j1"
    assert asked == ["j1"]  # accepted lately: the kept answer, no request
    revoked.append(True)  # the token is revoked at the API
    clock.now = ACCEPTED_WITHIN_SECONDS + 0.1
    with pytest.raises(AuthError):
        answers.get("tenant", "j1", fetch, "s3")
    clock.now += 1  # and not later either, though the answer is still kept
    with pytest.raises(AuthError):
        answers.get("tenant", "j1", fetch, "s4")
    assert asked == ["j1", "j1", "j1"]


def test_a_refused_token_is_not_served_what_another_session_just_got() -> None:
    acceptance = accepting(Clock())
    answers = JobAnswers(max_bytes=BUDGETS.job_answers_bytes, acceptance=acceptance, clock=Clock())
    answers.get("tenant", "j1", lambda job_id: job(job_id, "completed"))

    def refused(job_id: str) -> Job:
        raise AuthError("The API refused the token.", status_code=401)

    with pytest.raises(AuthError):
        acceptance.asked("tenant", lambda: refused("j2"))
    with pytest.raises(AuthError):
        answers.get("tenant", "j1", refused)


def test_answers_never_cross_tenants() -> None:
    answers = answers_of()
    asked, fetch = counting(lambda job_id: job(job_id, "completed"))
    answers.get("tenant-a", "j1", fetch)
    answers.get("tenant-b", "j1", fetch)
    assert asked == ["j1", "j1"]
    assert answers.kept("tenant-c", "j1") is None


def test_errors_are_not_kept() -> None:
    answers = answers_of()

    def missing(job_id: str) -> Job:
        raise NotFoundError(f"no job {job_id}", status_code=404)

    with pytest.raises(NotFoundError):
        answers.get("tenant", "j1", missing)
    assert answers.kept("tenant", "j1") is None


def test_ten_sessions_asking_at_once_share_one_request() -> None:
    answers = answers_of()
    release = threading.Event()

    def slow(job_id: str) -> Job:
        release.wait(5)
        return job(job_id, "running")

    asked, fetch = counting(slow)
    results: list[Job] = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(answers.get("t", "j1", fetch, f"s{n}")))
        for n in range(10)
    ]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
    assert asked == ["j1"]
    assert len(results) == 10


def test_a_forecast_is_downloaded_and_read_once_per_tenant() -> None:
    shared = forecasts_of()
    requests: list[str] = []

    def download() -> bytes:
        requests.append("download")
        return CSV

    def revalidate() -> object:
        requests.append("job")
        return None

    first = shared.reading("tenant-a", "j1", ReadOptions(), download, 10**9, revalidate)
    again = shared.reading("tenant-a", "j1", ReadOptions(), download, 10**9, revalidate)
    other = shared.reading("tenant-b", "j1", ReadOptions(), download, 10**9, revalidate)
    assert first is again
    assert other is not first
    # A tenant not accepted lately is revalidated first, then served for ten seconds.
    assert requests == ["job", "download", "job", "download"]


def test_a_kept_forecast_is_served_only_to_a_token_accepted_within_ten_seconds() -> None:
    clock = Clock()
    shared = forecasts_of(accepting(clock))
    revoked: list[bool] = []

    def revalidate() -> object:
        if revoked:
            raise AuthError("The API refused the token.", status_code=401)
        return None

    kept = shared.reading("t", "j1", ReadOptions(), lambda: CSV, 10**9, revalidate)
    revoked.append(True)
    clock.now = ACCEPTED_WITHIN_SECONDS - 0.1
    assert shared.reading("t", "j1", ReadOptions(), lambda: CSV, 10**9, revalidate) is kept
    clock.now = ACCEPTED_WITHIN_SECONDS + 0.1
    with pytest.raises(AuthError):
        shared.reading("t", "j1", ReadOptions(), lambda: CSV, 10**9, revalidate)


def test_a_forecast_over_the_budget_is_refused_and_not_kept() -> None:
    shared = forecasts_of()
    with pytest.raises(ContentError, match="more than the"):
        shared.reading("t", "j1", ReadOptions(), lambda: CSV, 10, lambda: None)
    assert len(shared.readings) == 0
