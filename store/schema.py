"""The store's tables (SQLAlchemy typed declarative); migrations/ creates and changes them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints, so later migrations can drop or alter them on both backends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on both backends (SQLite keeps no zone, so it is added back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("The store keeps aware datetimes only; attach a time zone.")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Analyst(Base):
    """A person who signed in (subject from the OIDC issuer and `sub`), or the local user."""

    __tablename__ = "analysts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(512), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)


class ConnectionRecord(Base):
    """An analyst's saved API and token; the token is kept encrypted only."""

    __tablename__ = "connections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analyst_id: Mapped[int] = mapped_column(
        ForeignKey("analysts.id", ondelete="CASCADE"), unique=True
    )
    api_url: Mapped[str] = mapped_column(String(2048))
    token_ciphertext: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WatchlistRecord(Base):
    """A named list of job IDs an analyst keeps."""

    __tablename__ = "watchlists"
    __table_args__ = (UniqueConstraint("analyst_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analyst_id: Mapped[int] = mapped_column(ForeignKey("analysts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    job_ids: Mapped[list[str]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class JobRecord(Base):
    """What a tenant (API origin + keyed hash of its token) has seen of one job."""

    __tablename__ = "job_history"
    __table_args__ = (
        UniqueConstraint("tenant_key", "api_origin", "job_id"),
        # Recent jobs and daily trends read one tenant's jobs in date order.
        Index("ix_job_history_tenant_dated", "tenant_key", "api_origin", "dated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_key: Mapped[str] = mapped_column(String(64))
    api_origin: Mapped[str] = mapped_column(String(2048))
    job_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    elapsed_seconds: Mapped[float | None] = mapped_column(Float)
    num_items: Mapped[int | None] = mapped_column(Integer)
    prediction_length: Mapped[int | None] = mapped_column(Integer)
    preset: Mapped[str | None] = mapped_column(String(200))
    dataset_hash: Mapped[str | None] = mapped_column(String(200))
    config_hash: Mapped[str | None] = mapped_column(String(200))
    model_version: Mapped[str | None] = mapped_column(String(200))
    # created_at when the API gave it, else first_seen: what lists sort and days group by.
    dated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)


class Snapshot(Base):
    """A frozen, read-only copy of what a page showed, opened by anyone holding its ID.

    A deleted snapshot keeps its row without its content (a tombstone), so its link says
    "deleted" instead of "not found".
    """

    __tablename__ = "snapshots"
    __table_args__ = (Index("ix_snapshots_owner_created", "owner_key", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # A keyed hash of the creator (analyst or browser): only the creator lists and deletes.
    owner_key: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    body: Mapped[str] = mapped_column(Text)
