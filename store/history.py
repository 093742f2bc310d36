"""Each tenant's job history: what its sessions saw of each job, and the recent jobs list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.clock import utc_now
from store.engine import Store
from store.keys import api_origin
from store.schema import JobRecord

MAX_JOB_ID_LENGTH = 200
MAX_TEXT_LENGTH = 200
MAX_STATUS_LENGTH = 50
MAX_RECENT = 1000
# Where a status stands in a job's life; unknown statuses sit between running and the end.
_RANKS = {"pending": 0, "running": 1, "completed": 2, "failed": 2}
_UNKNOWN_RANK = 1
_TERMINAL_RANK = 2


@dataclass(frozen=True)
class JobFacts:
    """What one answer of the API said about a job; every field but the first two may be None."""

    job_id: str
    status: str
    created_at: datetime | None = None
    completed_at: datetime | None = None
    elapsed_seconds: float | None = None
    num_items: int | None = None
    prediction_length: int | None = None
    preset: str | None = None
    dataset_hash: str | None = None
    config_hash: str | None = None
    model_version: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One job of a tenant's history, with when its sessions first and last saw it."""

    facts: JobFacts
    first_seen: datetime
    last_seen: datetime


_FACT_COLUMNS = tuple(field.name for field in fields(JobFacts))
# Facts that may fill in over a job's life; the others never change once known.
_CHANGING: tuple[str, ...] = ("completed_at", "elapsed_seconds", "num_items", "prediction_length")
_CHANGING += ("preset", "dataset_hash", "config_hash", "model_version")


def record_jobs(
    store: Store, tenant: str, origin: str, jobs: Iterable[JobFacts], *, now: datetime | None = None
) -> int:
    """Upsert what was seen of `jobs`: idempotent, a status only moves forward. Returns rows."""
    seen = now or utc_now()
    rows = [_row(tenant, api_origin(origin), facts, seen) for facts in _latest(jobs)]
    if not rows:
        return 0
    with store.transaction() as session:
        session.execute(_upsert(session), rows)
    return len(rows)


def recent_jobs(
    store: Store,
    tenant: str,
    origin: str,
    *,
    id_prefix: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[HistoryEntry]:
    """The tenant's jobs, newest first; `since` is inclusive, `until` exclusive."""
    chosen = filtered_rows(id_prefix=id_prefix, status=status, since=since, until=until)
    query = select(JobRecord).where(*_tenant_rows(tenant, origin), *chosen)
    query = query.order_by(JobRecord.dated_at.desc(), JobRecord.job_id)
    with store.transaction() as session:
        records = session.scalars(query.limit(max(0, min(limit, MAX_RECENT))))
        return [_entry(record) for record in records]


def adopt_previous_keys(store: Store, origin: str, token: str) -> int:
    """After a key rotation, move the tenant's history from its older names to the current one."""
    current = store.tenant_key(origin, token)
    older = store.secrets.previous_tenant_keys(origin, token)
    origin = api_origin(origin)
    with store.transaction() as session:
        known = select(JobRecord.job_id).where(*_tenant_rows(current, origin))
        mine = and_(JobRecord.api_origin == origin, JobRecord.tenant_key.in_(older))
        # Rows already recorded under the current name are newer; drop their older copies.
        session.execute(delete(JobRecord).where(mine, JobRecord.job_id.in_(known)))
        moved = session.execute(update(JobRecord).where(mine).values(tenant_key=current))
        return int(cast("CursorResult[Any]", moved).rowcount)


def filtered_rows(
    *,
    id_prefix: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ColumnElement[bool]]:
    """The conditions of the Recent jobs filters: one definition for its table and its trends."""
    conditions: list[ColumnElement[bool]] = []
    if id_prefix and id_prefix.strip():
        conditions.append(JobRecord.job_id.like(_like_prefix(id_prefix.strip()), escape="\\"))
    if status:
        conditions.append(JobRecord.status == status.strip().lower())
    if since is not None:
        conditions.append(JobRecord.dated_at >= since)
    if until is not None:
        conditions.append(JobRecord.dated_at < until)
    return conditions


def _tenant_rows(tenant: str, origin: str) -> tuple[ColumnElement[bool], ...]:
    return (JobRecord.tenant_key == tenant, JobRecord.api_origin == api_origin(origin))


def _latest(jobs: Iterable[JobFacts]) -> list[JobFacts]:
    """One fact per job ID (one statement may not touch a row twice): the furthest along."""
    chosen: dict[str, JobFacts] = {}
    for facts in jobs:
        if not facts.job_id or len(facts.job_id) > MAX_JOB_ID_LENGTH:
            continue
        previous = chosen.get(facts.job_id)
        if previous is None or _rank(facts.status) >= _rank(previous.status):
            chosen[facts.job_id] = facts
    return list(chosen.values())


def _rank(status: str) -> int:
    return _RANKS.get(status.strip().lower(), _UNKNOWN_RANK)


def _row(tenant: str, origin: str, facts: JobFacts, seen: datetime) -> dict[str, Any]:
    row = asdict(facts)
    row["status"] = facts.status.strip().lower()[:MAX_STATUS_LENGTH]
    for name in ("preset", "dataset_hash", "config_hash", "model_version"):
        row[name] = None if row[name] is None else str(row[name])[:MAX_TEXT_LENGTH]
    dated = facts.created_at or seen
    first = {"tenant_key": tenant, "api_origin": origin, "dated_at": dated}
    return first | row | {"first_seen": seen, "last_seen": seen}


def _upsert(session: Session) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE, spelled by the backend's dialect."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(JobRecord)
    new = statement.excluded
    table = JobRecord.__table__.c
    advances = _advances(new.status, table.status)
    changes: Mapping[str, Any] = {
        "status": case((advances, new.status), else_=table.status),
        "created_at": func.coalesce(table.created_at, new.created_at),
        "dated_at": func.coalesce(table.created_at, new.created_at, table.dated_at),
        "last_seen": new.last_seen,
    } | {
        name: case(
            (advances, func.coalesce(new[name], table[name])),
            else_=func.coalesce(table[name], new[name]),
        )
        for name in _CHANGING
    }
    return statement.on_conflict_do_update(
        index_elements=["tenant_key", "api_origin", "job_id"], set_=changes
    )


def _advances(new: ColumnElement[str], old: ColumnElement[str]) -> ColumnElement[bool]:
    """A new status replaces the old one when further along, or as far along and not final."""
    new_rank, old_rank = _rank_of(new), _rank_of(old)
    return or_(new_rank > old_rank, and_(new_rank == old_rank, old_rank < _TERMINAL_RANK))


def _rank_of(status: ColumnElement[str]) -> ColumnElement[int]:
    return case(_RANKS, value=status, else_=_UNKNOWN_RANK)


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _entry(record: JobRecord) -> HistoryEntry:
    facts = JobFacts(**{name: getattr(record, name) for name in _FACT_COLUMNS})
    return HistoryEntry(facts, record.first_seen, record.last_seen)
