"""Named watch lists: the job IDs an analyst keeps an eye on, under names they choose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from store.analysts import analyst_id, analyst_row
from store.clock import utc_now
from store.engine import Store
from store.errors import WatchlistError
from store.schema import Analyst, WatchlistRecord

MAX_NAME_LENGTH = 200
MAX_JOBS = 500


@dataclass(frozen=True)
class SavedWatchlist:
    name: str
    job_ids: tuple[str, ...]
    updated_at: datetime


def save_watchlist(
    store: Store,
    subject: str,
    name: str,
    job_ids: Sequence[str],
    *,
    since: datetime | None = None,
) -> SavedWatchlist:
    """Create or replace the analyst's watch list called `name`.

    With `since` (when the session's analyst row was created), an analyst forgotten meanwhile
    is not created again: AnalystGoneError.
    """
    name = _checked_name(name)
    unique_ids = list(dict.fromkeys(job_ids))
    if len(unique_ids) > MAX_JOBS:
        raise WatchlistError(
            f"A watch list holds at most {MAX_JOBS} jobs; this one has {len(unique_ids)}. "
            "Split it into several lists."
        )
    with store.transaction() as session:
        owner = analyst_row(session, subject, since=since)
        saved = session.scalar(
            select(WatchlistRecord).where(
                WatchlistRecord.analyst_id == owner.id, WatchlistRecord.name == name
            )
        )
        if saved is None:
            saved = WatchlistRecord(analyst_id=owner.id, name=name)
            session.add(saved)
        saved.job_ids = unique_ids
        saved.updated_at = utc_now()
        return _saved(saved)


def list_watchlists(store: Store, subject: str) -> list[SavedWatchlist]:
    """The analyst's watch lists by name."""
    with store.transaction() as session:
        rows = session.scalars(
            select(WatchlistRecord)
            .join(Analyst)
            .where(Analyst.subject == subject)
            .order_by(WatchlistRecord.name)
        )
        return [_saved(row) for row in rows]


def load_watchlist(store: Store, subject: str, name: str) -> SavedWatchlist | None:
    with store.transaction() as session:
        row = session.scalar(
            select(WatchlistRecord)
            .join(Analyst)
            .where(Analyst.subject == subject, WatchlistRecord.name == name.strip())
        )
        return None if row is None else _saved(row)


def delete_watchlist(store: Store, subject: str, name: str) -> bool:
    """Delete the named list; False when the analyst had no list of that name."""
    with store.transaction() as session:
        owner = analyst_id(session, subject)
        if owner is None:
            return False
        result = session.execute(
            delete(WatchlistRecord).where(
                WatchlistRecord.analyst_id == owner, WatchlistRecord.name == name.strip()
            )
        )
        return bool(cast("CursorResult[Any]", result).rowcount)


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise WatchlistError(
            f"A watch list needs a name of 1 to {MAX_NAME_LENGTH} characters; "
            f"this one has {len(name)}."
        )
    return name


def _saved(row: WatchlistRecord) -> SavedWatchlist:
    return SavedWatchlist(row.name, tuple(row.job_ids), row.updated_at)
