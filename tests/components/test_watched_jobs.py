"""The session's watched job IDs: each once, in the order first watched."""

from __future__ import annotations

from dashboard.jobs.watched_jobs import WatchedJobs


def test_adding_keeps_the_first_order_and_says_which_were_new() -> None:
    watched = WatchedJobs(["a"])
    assert watched.add(["b", "a", "c", "b"]) == ["b", "c"]
    assert watched.ids == ["a", "b", "c"]


def test_removing_says_whether_the_job_was_watched() -> None:
    watched = WatchedJobs(["a", "b"])
    assert watched.remove("a") is True
    assert watched.remove("a") is False
    assert watched.ids == ["b"]
    assert "b" in watched
    assert "a" not in watched


def test_replacing_drops_repeats() -> None:
    watched = WatchedJobs(["a"])
    watched.replace(["c", "d", "c"])
    assert watched.ids == ["c", "d"]
