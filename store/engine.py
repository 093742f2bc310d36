"""Opening the store: which database, its engine, its keys, and migrations to the newest."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from store.errors import StoreConfigError, StoreError, StoreUnansweredError
from store.files import private_sqlite_file
from store.keys import Secrets, load_secrets
from store.migration import upgrade_to_head

DATABASE_URL_ENV = "EOMER_DATABASE_URL"
DATA_DIR_ENV = "EOMER_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATABASE_FILE_NAME = "eomer.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000
_POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Store:
    """An open store: the engine, the keys, and a way to run one transaction."""

    engine: Engine
    secrets: Secrets
    _sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed at the end of the block, rolled back if it raises.

        Any SQLAlchemy error (a database down, a lock timeout, a failed commit) leaves as
        StoreUnansweredError: the one place the store's callers learn of SQLAlchemy's errors.
        """
        try:
            with self._sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreUnansweredError(
                type(exc).__name__, detail=f"{type(exc).__name__}: {exc}"
            ) from exc

    def tenant_key(self, origin: str, token: str) -> str:
        """The keyed hash under which this API origin and token's history is kept."""
        return self.secrets.tenant_key(origin, token)

    @property
    def shared(self) -> bool:
        """True on PostgreSQL, the database several replicas share."""
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, data_dir: Path | None = None) -> Store:
    """Open (and migrate to the newest revision) the store named by `url` or the environment."""
    folder = data_dir or Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    database_url = database_url_for(url or os.environ.get(DATABASE_URL_ENV), folder)
    shared = database_url.get_backend_name() == "postgresql"
    if not shared:
        _make_private_folder(folder)
        private_sqlite_file(database_url)
    secrets = load_secrets(folder, shared_database=shared)
    engine = _create_engine(database_url)
    try:
        upgrade_to_head(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        # Viewers read this message: no user, host, port or database name; the log has them.
        raise StoreError(
            f"The store's database cannot be opened or migrated ({type(exc).__name__}); check "
            f"that it is reachable and that {DATABASE_URL_ENV} names the right database and "
            "user. The server log names the database and the reason.",
            detail=(
                f"The store's database at {database_url.render_as_string(hide_password=True)} "
                f"cannot be opened or migrated: {_without_password(str(exc), database_url)}"
            ),
        ) from exc
    return Store(engine, secrets, sessionmaker(engine, expire_on_commit=False))


def _without_password(text: str, url: URL) -> str:
    return text.replace(url.password, "***") if url.password else text


def database_url_for(url: str | None, data_dir: Path) -> URL:
    """The URL to use: `url` (PostgreSQL mapped to psycopg) or SQLite in `data_dir`."""
    if not url:
        return URL.create("sqlite+pysqlite", database=str(data_dir / DATABASE_FILE_NAME))
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreConfigError(
            f"{DATABASE_URL_ENV} is not a database URL; use postgresql://user:password@host/db."
        ) from exc
    if parsed.drivername in _POSTGRES_SCHEMES:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() in {"sqlite", "postgresql"}:
        return parsed
    raise StoreConfigError(
        f"{DATABASE_URL_ENV} names a database the store does not run on; use PostgreSQL "
        "(postgresql://...) or SQLite (sqlite:///path/to/file.db).",
        detail=f"{DATABASE_URL_ENV} names the driver {parsed.drivername}.",
    )


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url)
    event.listen(engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers work while one replica writes; the timeout waits out short locks."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _make_private_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreConfigError(
            f"The data folder cannot be created ({exc.strerror}); set {DATA_DIR_ENV} to a "
            "folder this process may write.",
            detail=f"The data folder {folder} cannot be created: {exc}.",
        ) from exc
    if folder.stat().st_mode & 0o022:
        _log.warning(
            "The data folder %s may be written by other users; the store's files in it are "
            "owner-only, but another user could delete or replace them. Use a private folder.",
            folder,
        )
