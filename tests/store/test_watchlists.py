"""Named watch lists: saved per analyst, replaced by name, listed, loaded and deleted."""

from __future__ import annotations

import pytest

from store import (
    Store,
    WatchlistError,
    delete_watchlist,
    list_watchlists,
    load_watchlist,
    save_watchlist,
)


def test_a_saved_watch_list_loads_back_in_order_without_duplicates(store: Store) -> None:
    save_watchlist(store, "ana", "  Daily runs ", ["job-2", "job-1", "job-2"])
    saved = load_watchlist(store, "ana", "Daily runs")
    assert saved is not None
    assert (saved.name, saved.job_ids) == ("Daily runs", ("job-2", "job-1"))


def test_saving_under_the_same_name_replaces_the_list(store: Store) -> None:
    save_watchlist(store, "ana", "daily", ["job-1"])
    save_watchlist(store, "ana", "daily", ["job-9"])
    assert [(saved.name, saved.job_ids) for saved in list_watchlists(store, "ana")] == [
        ("daily", ("job-9",))
    ]


def test_lists_are_listed_by_name_and_belong_to_their_analyst(store: Store) -> None:
    save_watchlist(store, "ana", "weekly", ["job-1"])
    save_watchlist(store, "ana", "daily", [])
    save_watchlist(store, "ben", "daily", ["job-7"])
    assert [saved.name for saved in list_watchlists(store, "ana")] == ["daily", "weekly"]
    ben = load_watchlist(store, "ben", "daily")
    assert ben is not None
    assert ben.job_ids == ("job-7",)
    assert load_watchlist(store, "carl", "daily") is None


def test_deleting_a_list_removes_only_that_list(store: Store) -> None:
    save_watchlist(store, "ana", "daily", ["job-1"])
    save_watchlist(store, "ben", "daily", ["job-1"])
    assert delete_watchlist(store, "ana", "daily") is True
    assert delete_watchlist(store, "ana", "daily") is False
    assert delete_watchlist(store, "nobody", "daily") is False
    assert load_watchlist(store, "ana", "daily") is None
    assert load_watchlist(store, "ben", "daily") is not None


@pytest.mark.parametrize(
    ("name", "jobs"),
    [("   ", ["job-1"]), ("x" * 201, []), ("ok", [f"job-{n}" for n in range(501)])],
)
def test_an_unusable_watch_list_is_refused_with_what_to_change(
    store: Store, name: str, jobs: list[str]
) -> None:
    with pytest.raises(WatchlistError, match=r"name of 1 to 200|at most 500 jobs"):
        save_watchlist(store, "ana", name, jobs)
    assert list_watchlists(store, "ana") == []
