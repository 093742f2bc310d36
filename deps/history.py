"""The session tenant's job history in the team store: its jobs, daily trends, other sightings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any, Protocol, TypeVar

import store as team_store
from dashboard.jobs.job_history import Sighting
from deps.resources import store
from deps.tenants import history_tenant, known_tenants, session_tenant
from store import Store, StoreError, StoreUnansweredError

_log = logging.getLogger(__name__)
_SIGHTINGS_LIMIT = 5
T = TypeVar("T")


def _history_store() -> Store:
    opened = store()
    if isinstance(opened, StoreError):
        raise opened
    return opened


class JobFilter(Protocol):
    """The Recent jobs filters (components/history/history_table.HistoryFilter is one)."""

    @property
    def id_prefix(self) -> str | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def since(self) -> datetime | None: ...
    @property
    def until(self) -> datetime | None: ...


def _filters(chosen: JobFilter | None) -> dict[str, Any]:
    if chosen is None:
        return {}
    return {
        "id_prefix": chosen.id_prefix,
        "status": chosen.status,
        "since": chosen.since,
        "until": chosen.until,
    }


def _tenant_read(read: Callable[[Store, str, str], list[T]]) -> list[T]:
    """`read(store, tenant, origin)` for the session's tenant; empty when not connected.

    Raises StoreError, with the words for a database that did not answer.
    """
    known = session_tenant()
    if known is None:
        return []
    try:
        return read(_history_store(), history_tenant(known), known.origin)
    except StoreUnansweredError as err:
        raise StoreError(_unanswered(err)) from err


def job_history(
    chosen: JobFilter | None = None, *, limit: int = 500
) -> list[team_store.HistoryEntry]:
    """The session tenant's jobs that `chosen` names, newest first. Raises StoreError."""
    filters = _filters(chosen)
    return _tenant_read(
        lambda opened, tenant, origin: team_store.recent_jobs(
            opened, tenant, origin, limit=limit, **filters
        )
    )


def history_trends(
    *, days: int, by_preset: bool, zone: tzinfo, chosen: JobFilter | None = None
) -> list[team_store.DailyTrend]:
    """The session tenant's daily figures in `zone`, of the jobs `job_history(chosen)` lists
    (over `days` days when `chosen` has no start). Raises StoreError."""
    filters = _filters(chosen)
    return _tenant_read(
        lambda opened, tenant, origin: team_store.daily_trends(
            opened, tenant, origin, days=days, by_preset=by_preset, zone=zone, **filters
        )
    )


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
