"""Snapshots: random IDs; found, expired or deleted; listed and deleted by their owner only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store import (
    SnapshotError,
    SnapshotState,
    Store,
    create_snapshot,
    delete_snapshot,
    get_snapshot,
    list_snapshots,
)
from store.clock import utc_now
from store.snapshots import MAX_BODY_BYTES


def test_a_snapshot_is_found_by_its_id_with_its_body_and_author(store: Store) -> None:
    saved = create_snapshot(store, "owner-a", " Weekly run ", '{"x": 1}', created_by="Ana")
    found = get_snapshot(store, saved.snapshot_id)
    assert found.state is SnapshotState.FOUND
    assert found.snapshot is not None
    assert (found.snapshot.title, found.snapshot.body) == ("Weekly run", '{"x": 1}')
    assert found.snapshot.created_by == "Ana"
    assert found.snapshot.created_at.utcoffset() == timedelta(0)


def test_ids_carry_at_least_128_random_bits_and_never_repeat(store: Store) -> None:
    ids = {create_snapshot(store, "owner-a", "t", "{}").snapshot_id for _ in range(20)}
    assert len(ids) == 20
    # URL-safe base64: 6 bits a character.
    assert all(len(snapshot_id) * 6 >= 128 for snapshot_id in ids)


def test_a_guessed_id_is_missing(store: Store) -> None:
    saved = create_snapshot(store, "owner-a", "t", "{}")
    for guess in ("", "1", saved.snapshot_id[:-1], saved.snapshot_id + "x", "x" * 10_000):
        assert get_snapshot(store, guess).state is SnapshotState.MISSING


def test_an_expired_snapshot_says_so_and_gives_no_content(store: Store) -> None:
    saved = create_snapshot(store, "owner-a", "t", '{"x": 1}', expires_in_days=2)
    assert get_snapshot(store, saved.snapshot_id).state is SnapshotState.FOUND
    later = get_snapshot(store, saved.snapshot_id, now=utc_now() + timedelta(days=2, seconds=1))
    assert later.state is SnapshotState.EXPIRED
    assert later.snapshot is not None
    assert later.snapshot.body == ""


def test_only_the_owner_lists_and_deletes_and_a_deleted_one_keeps_a_tombstone(
    store: Store,
) -> None:
    mine = create_snapshot(store, "owner-a", "mine", '{"secret": 1}')
    theirs = create_snapshot(store, "owner-b", "theirs", "{}")
    assert [s.title for s in list_snapshots(store, "owner-a")] == ["mine"]
    assert not delete_snapshot(store, "owner-b", mine.snapshot_id)
    assert delete_snapshot(store, "owner-a", mine.snapshot_id)
    assert not delete_snapshot(store, "owner-a", mine.snapshot_id)
    found = get_snapshot(store, mine.snapshot_id)
    assert found.state is SnapshotState.DELETED
    assert found.snapshot is not None
    assert found.snapshot.body == ""
    assert list_snapshots(store, "owner-a") == []
    assert get_snapshot(store, theirs.snapshot_id).state is SnapshotState.FOUND


def test_lists_are_newest_first_without_content(store: Store) -> None:
    for title in ("first", "second"):
        create_snapshot(store, "owner-a", title, '{"big": 1}')
    listed = list_snapshots(store, "owner-a")
    assert [s.title for s in listed] == ["second", "first"]
    assert {s.body for s in listed} == {""}


@pytest.mark.parametrize(
    ("title", "body", "days", "says"),
    [
        ("  ", "{}", None, "title of 1 to 200"),
        ("t" * 201, "{}", None, "title of 1 to 200"),
        ("t", "x" * (MAX_BODY_BYTES + 1), None, "at most 8 MB"),
        ("t", "{}", 0, "1 to 366 days"),
        ("t", "{}", 367, "1 to 366 days"),
    ],
)
def test_an_unusable_snapshot_is_refused_with_what_to_change(
    store: Store, title: str, body: str, days: int | None, says: str
) -> None:
    with pytest.raises(SnapshotError, match=says):
        create_snapshot(store, "owner-a", title, body, expires_in_days=days)
    assert list_snapshots(store, "owner-a") == []
