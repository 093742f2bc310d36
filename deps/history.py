"""The session tenant's job history in the team store: its jobs, daily trends, other sightings."""

from __future__ import annotations

import logging
from datetime import datetime, tzinfo

import store as team_store
from dashboard.job_history import Sighting
from deps.resources import store
from deps.tenants import history_tenant, known_tenants, session_tenant
from store import Store, StoreError, StoreUnansweredError

_log = logging.getLogger(__name__)
_SIGHTINGS_LIMIT = 5


def _history_store() -> Store:
    opened = store()
    if isinstance(opened, StoreError):
        raise opened
    return opened


def job_history(
    *,
    id_prefix: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[team_store.HistoryEntry]:
    """The session tenant's jobs, newest first; empty when not connected. Raises StoreError."""
    known = session_tenant()
    if known is None:
        return []
    try:
        return team_store.recent_jobs(
            _history_store(),
            history_tenant(known),
            known.origin,
            id_prefix=id_prefix,
            status=status,
            since=since,
            until=until,
            limit=limit,
        )
    except StoreUnansweredError as err:
        raise StoreError(_unanswered(err)) from err


def history_trends(
    *,
    days: int,
    by_preset: bool,
    zone: tzinfo,
    id_prefix: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[team_store.DailyTrend]:
    """The session tenant's daily figures in `zone`, of the jobs `job_history` lists with the
    same filters (over `days` days without `since`). Raises StoreError."""
    known = session_tenant()
    if known is None:
        return []
    try:
        return team_store.daily_trends(
            _history_store(),
            history_tenant(known),
            known.origin,
            days=days,
            by_preset=by_preset,
            zone=zone,
            id_prefix=id_prefix,
            status=status,
            since=since,
            until=until,
        )
    except StoreUnansweredError as err:
        raise StoreError(_unanswered(err)) from err


def _unanswered(err: StoreUnansweredError) -> str:
    return (
        f"The job history's database did not answer ({err.kind}). "
        "Try again in a moment; the rest of the dashboard works meanwhile."
    )


def sightings(job_id: str) -> list[Sighting]:
    """Where else (another API or token this session held) the job was seen; newest first."""
    current = session_tenant()
    opened = store()
    if not isinstance(opened, Store):
        return []
    found: list[Sighting] = []
    for known in known_tenants():
        if current is not None and known.tenant == current.tenant:
            continue
        # The built-in demo's history is the session's own; what was seen before it was, shared.
        tenants = dict.fromkeys((history_tenant(known), known.tenant))
        try:
            entries = [
                entry
                for tenant in tenants
                for entry in team_store.recent_jobs(
                    opened, tenant, known.origin, id_prefix=job_id, limit=_SIGHTINGS_LIMIT
                )
            ]
        except StoreError as err:
            _log.warning("Job history not read (%s): %s", type(err).__name__, err.detail)
            return found
        found += [Sighting(known, e) for e in entries if e.facts.job_id.lower() == job_id.lower()]
    return sorted(found, key=lambda sighting: sighting.entry.last_seen, reverse=True)
