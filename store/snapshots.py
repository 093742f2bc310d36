"""Snapshots: frozen copies of a page under unguessable IDs, listed and deleted by their creator."""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from store.clock import utc_now
from store.engine import Store
from store.errors import SnapshotError
from store.schema import Snapshot

MAX_TITLE_LENGTH = 200
MAX_AUTHOR_LENGTH = 200
# A snapshot holds one chart and a few texts; a bigger body is refused before it is written.
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_EXPIRY_DAYS = 366
MAX_LISTED = 200
# 32 random bytes (256 bits): an ID cannot be guessed or enumerated (issue 25 asks >= 128).
ID_BYTES = 32
_MAX_ID_LENGTH = 64


class SnapshotState(enum.Enum):
    """What a link's ID finds: the snapshot, or why not."""

    FOUND = "found"
    EXPIRED = "expired"
    DELETED = "deleted"
    MISSING = "missing"


@dataclass(frozen=True)
class SavedSnapshot:
    """A snapshot's facts; `body` is empty for a deleted one."""

    snapshot_id: str
    title: str
    created_at: datetime
    created_by: str | None
    expires_at: datetime | None
    deleted_at: datetime | None
    body: str


@dataclass(frozen=True)
class SnapshotLookup:
    """What a link found: its state, and the snapshot unless it is missing."""

    state: SnapshotState
    snapshot: SavedSnapshot | None


def create_snapshot(
    store: Store,
    owner_key: str,
    title: str,
    body: str,
    *,
    created_by: str | None = None,
    expires_in_days: int | None = None,
) -> SavedSnapshot:
    """Keep `body` under a new random ID; only `owner_key` may list or delete it."""
    title = _checked_title(title)
    size = len(body.encode())
    if size > MAX_BODY_BYTES:
        raise SnapshotError(
            f"A snapshot holds at most {MAX_BODY_BYTES >> 20} MB; this one has "
            f"{size / (1 << 20):.1f} MB. Leave the chart out or pick a smaller job."
        )
    now = utc_now()
    row = Snapshot(
        id=secrets.token_urlsafe(ID_BYTES),
        owner_key=owner_key,
        title=title,
        created_at=now,
        created_by=(created_by or "")[:MAX_AUTHOR_LENGTH] or None,
        expires_at=_expiry(now, expires_in_days),
        deleted_at=None,
        body=body,
    )
    with store.transaction() as session:
        session.add(row)
        return _saved(row)


def get_snapshot(store: Store, snapshot_id: str, *, now: datetime | None = None) -> SnapshotLookup:
    """The snapshot a link names: found, expired or deleted (without content), or missing."""
    if not snapshot_id or len(snapshot_id) > _MAX_ID_LENGTH:
        return SnapshotLookup(SnapshotState.MISSING, None)
    with store.transaction() as session:
        row = session.get(Snapshot, snapshot_id)
        if row is None:
            return SnapshotLookup(SnapshotState.MISSING, None)
        saved = _saved(row)
    if saved.deleted_at is not None:
        return SnapshotLookup(SnapshotState.DELETED, saved)
    if saved.expires_at is not None and saved.expires_at <= (now or utc_now()):
        return SnapshotLookup(SnapshotState.EXPIRED, _without_body(saved))
    return SnapshotLookup(SnapshotState.FOUND, saved)


def list_snapshots(store: Store, owner_key: str) -> list[SavedSnapshot]:
    """The owner's snapshots not deleted, newest first, without their content."""
    with store.transaction() as session:
        rows = session.scalars(
            select(Snapshot)
            .where(Snapshot.owner_key == owner_key, Snapshot.deleted_at.is_(None))
            .order_by(Snapshot.created_at.desc())
            .limit(MAX_LISTED)
        )
        return [_without_body(_saved(row)) for row in rows]


def delete_snapshot(store: Store, owner_key: str, snapshot_id: str) -> bool:
    """Drop the snapshot's content and mark it deleted; False unless the owner holds it."""
    with store.transaction() as session:
        row = session.get(Snapshot, snapshot_id)
        if row is None or row.owner_key != owner_key or row.deleted_at is not None:
            return False
        row.deleted_at = utc_now()
        row.body = ""
        return True


def _checked_title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > MAX_TITLE_LENGTH:
        raise SnapshotError(
            f"A snapshot needs a title of 1 to {MAX_TITLE_LENGTH} characters; "
            f"this one has {len(title)}."
        )
    return title


def _expiry(now: datetime, days: int | None) -> datetime | None:
    if days is None:
        return None
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise SnapshotError(
            f"A snapshot expires after 1 to {MAX_EXPIRY_DAYS} days, or never; {days} was asked."
        )
    return now + timedelta(days=days)


def _saved(row: Snapshot) -> SavedSnapshot:
    return SavedSnapshot(
        row.id,
        row.title,
        row.created_at,
        row.created_by,
        row.expires_at,
        row.deleted_at,
        row.body,
    )


def _without_body(saved: SavedSnapshot) -> SavedSnapshot:
    return replace(saved, body="")
