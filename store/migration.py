"""Bring the database to the newest revision, one process at a time."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, text

from store.files import open_private

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant shared by every replica; pg_advisory_xact_lock takes a bigint.
_ADVISORY_LOCK_ID = 0x454F4D4552  # "EOMER"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's settings without an alembic.ini, lending it `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Run every migration not yet applied; concurrent callers wait for the first."""
    with _file_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends, so a second replica waits, then finds head.
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _ADVISORY_LOCK_ID})
        command.upgrade(alembic_config(connection), "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None before the first migration)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """For a SQLite file, a lock file beside it: SQLite has no advisory locks of its own."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    descriptor = open_private(Path(f"{database}.migrate.lock"), os.O_WRONLY | os.O_APPEND)
    with os.fdopen(descriptor, "a", encoding="ascii") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
