"""Snapshots (issue 25): kept in the team store under a random ID, owned by a keyed hash.

Whoever holds the link reads a snapshot, and nothing of the session's connection goes in. Its
owner is a keyed hash of the signed-in analyst, else of this browser (as the demo's history is
kept), so only its creator lists and deletes it, and the store holds neither the subject nor the
browser's secret.
"""

from __future__ import annotations

import store as team_store
from dashboard.snapshot.snapshot_content import SnapshotContent, content_body
from deps.browser import browser_key
from deps.team import analyst, saving
from store import Store

_SNAPSHOT_OWNERS = "snapshots"


def _snapshot_owner(opened: Store) -> str:
    return opened.tenant_key(_SNAPSHOT_OWNERS, analyst() or browser_key())


def _author(opened: Store) -> str | None:
    """The signed-in analyst's name (or email) to show on the snapshot; None without sign-in."""
    subject = analyst()
    profile = None if subject is None else team_store.load_analyst(opened, subject)
    return None if profile is None else (profile.name or profile.email)


def create_snapshot(
    title: str, content: SnapshotContent, expires_in_days: int | None
) -> team_store.SavedSnapshot:
    """Keep `content` as a new snapshot of this analyst (or browser). Raises SettingsError."""
    with saving("Saving the snapshot") as opened:
        return team_store.create_snapshot(
            opened,
            _snapshot_owner(opened),
            title,
            content_body(content),
            created_by=_author(opened),
            expires_in_days=expires_in_days,
        )


def snapshot(snapshot_id: str) -> team_store.SnapshotLookup:
    """The snapshot a link names, for anyone holding it. Raises SettingsError."""
    with saving("Reading the snapshot") as opened:
        return team_store.get_snapshot(opened, snapshot_id)


def own_snapshots() -> list[team_store.SavedSnapshot]:
    """This analyst's (or browser's) snapshots, newest first. Raises SettingsError."""
    with saving("Your snapshots") as opened:
        return team_store.list_snapshots(opened, _snapshot_owner(opened))


def delete_snapshot(snapshot_id: str) -> bool:
    """Delete one of this analyst's (or browser's) snapshots. Raises SettingsError."""
    with saving("Deleting the snapshot") as opened:
        return team_store.delete_snapshot(opened, _snapshot_owner(opened), snapshot_id)
