"""The page kept across sign-in: built from our own pages and query keys, checked on return."""

from __future__ import annotations

import pytest

from dashboard.caching.budgets import BUDGETS
from dashboard.session.return_to import (
    KEEP_SECONDS,
    PendingReturns,
    read_return_path,
    return_path,
)
from dashboard.session.routes import JOB_PAGE, SNAPSHOT_PAGE, WATCHLIST_PAGE


def test_a_page_and_its_query_make_a_relative_path_that_reads_back() -> None:
    path = return_path("watchlist", {"job": ["job-a", "job b"], "item": ["x&y"]})
    assert path == "/watchlist?job=job-a&job=job+b&item=x%26y"
    target = read_return_path(path)
    assert target is not None
    assert target.route == WATCHLIST_PAGE
    assert target.query_params == {"job": ["job-a", "job b"], "item": ["x&y"]}


def test_the_root_job_page_and_a_snapshot_read_back() -> None:
    root = read_return_path(return_path("", {"job": ["j1"]}))
    assert root is not None
    assert (root.route, root.query_params) == (JOB_PAGE, {"job": ["j1"]})
    snapshot = read_return_path("/snapshot?id=abc")
    assert snapshot is not None
    assert snapshot.route == SNAPSHOT_PAGE


def test_query_keys_the_pages_do_not_read_are_never_kept() -> None:
    assert return_path("", {"job": ["j1"], "token": ["secret"], "api": ["https://x"]}) == (
        "/?job=j1"
    )
    target = read_return_path("/?job=j1&token=secret&next=//evil.example")
    assert target is not None
    assert target.query_params == {"job": ["j1"]}


def test_an_unknown_page_is_not_kept() -> None:
    assert return_path("admin", {}) is None
    assert read_return_path("/admin?job=j1") is None
    assert read_return_path("/watchlist/extra") is None


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/watchlist",
        "http:/watchlist",
        "javascript:alert(1)",
        "//evil.example/watchlist",
        "///evil.example",
        "/\\evil.example/watchlist",
        "\\\\evil.example",
        "/watchlist\\..\\x",
        "watchlist?job=a",
        "/watchlist?job=a#frag",
        "/%2F%2Fevil.example",
        "/ /evil.example",
        "/\tevil",
        "/watchlist\r\nSet-Cookie:x",
        "",
        "/" + "a" * 9000,
        None,
        42,
    ],
)
def test_a_path_that_could_leave_the_dashboard_is_refused(hostile: object) -> None:
    assert read_return_path(hostile) is None


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


MAX_BROWSERS = BUDGETS.pending_returns


def test_a_kept_path_is_given_once_and_only_to_its_browser() -> None:
    pending = PendingReturns(MAX_BROWSERS, FakeTime())
    pending.remember("browser-1", "/watchlist?job=a")
    assert pending.take("browser-2") is None
    assert pending.take("browser-1") == "/watchlist?job=a"
    assert pending.take("browser-1") is None


def test_a_kept_path_is_forgotten_after_a_while() -> None:
    clock = FakeTime()
    pending = PendingReturns(MAX_BROWSERS, clock)
    pending.remember("browser-1", "/watchlist?job=a")
    clock.now += KEEP_SECONDS + 1
    assert pending.take("browser-1") is None


def test_past_the_bound_the_oldest_browser_is_dropped() -> None:
    pending = PendingReturns(MAX_BROWSERS, FakeTime())
    for index in range(MAX_BROWSERS + 1):
        pending.remember(f"browser-{index}", "/")
    assert pending.take("browser-0") is None
    assert pending.take(f"browser-{MAX_BROWSERS}") == "/"
