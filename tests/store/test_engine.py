"""Opening the store: which database, migrations to head, replicas opening at once, its errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from subprocess import PIPE

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from localserve.ports import free_port
from store import (
    Store,
    StoreConfigError,
    StoreError,
    StoreUnansweredError,
    open_store,
    save_connection,
)
from store.engine import database_url_for
from store.migration import current_revision, upgrade_to_head
from store.schema import Analyst, Base
from tests.conftest import ROOT
from tests.store.conftest import TEST_KEY, Database, OpenStore

REPLICAS = 4
TABLES = {"alembic_version", "analysts", "connections", "watchlists", "job_history", "snapshots"}
# The replicas: one interpreter imports the store once (pandas included, seconds of CPU), then
# forks them before any database is opened, so each opens its own engine, files and connections
# as a replica's process does. Each waits for its byte of "go", so all open at the same moment,
# and prints its figures; the parent ends with their exit codes.
REPLICAS_AT_ONCE = """
import os
import sys
import traceback
from pathlib import Path
from store import open_store
from store.migration import current_revision

def replica(go):
    if os.read(go, 1) != b"g":  # the parent ended without saying "go"
        raise SystemExit(1)
    store = open_store(sys.argv[1], Path(sys.argv[2]))
    figures = f"{current_revision(store.engine)} {store.tenant_key('https://api.example', 't')}"
    os.write(1, f"{figures}\\n".encode())  # one write: lines of replicas never interleave

go_read, go_write = os.pipe()
children = []
for _ in range(int(sys.argv[3])):
    pid = os.fork()
    if pid == 0:
        os.close(go_write)  # so that a parent's end is an end of file here
        code = 0
        try:
            replica(go_read)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stderr.flush()
        os._exit(code)
    children.append(pid)
print("ready", flush=True)
sys.stdin.readline()
os.write(go_write, b"g" * len(children))
codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
print("exit codes", *codes, flush=True)
"""


# Empty: what is proven is the migrations' own work, from no table to head.
def test_migrations_bring_an_empty_database_to_head(open_on_empty: OpenStore) -> None:
    store = open_on_empty()
    assert set(inspect(store.engine).get_table_names()) == TABLES
    assert current_revision(store.engine) == "0003"


# Empty: the first of the two migrations is the one that builds the tables.
def test_migrating_twice_changes_nothing(open_on_empty: OpenStore) -> None:
    store = open_on_empty()
    with store.engine.connect() as connection:
        before = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    upgrade_to_head(store.engine)
    again = open_on_empty()
    with again.engine.connect() as connection:
        after = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert before == after == [("0003",)]


# Empty: the tables compared must be the migrations' own, not a copy's.
def test_migrations_create_exactly_the_tables_the_models_describe(open_on_empty: OpenStore) -> None:
    store = open_on_empty()
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_an_empty_database_has_no_table_until_a_store_opens_it(empty_database: Database) -> None:
    """The migration tests prove their point only on a database no migration has touched."""
    assert _tables_and_revision(empty_database) == (set(), None)


def test_a_tests_database_is_already_at_head_before_a_store_opens_it(database: Database) -> None:
    """Every other test starts from the session's migrated template, not from migrating."""
    assert _tables_and_revision(database) == (TABLES, "0003")


def _tables_and_revision(database: Database) -> tuple[set[str], str | None]:
    engine = create_engine(database.url)
    try:
        return set(inspect(engine).get_table_names()), current_revision(engine)
    finally:
        engine.dispose()


def test_a_query_the_database_cannot_answer_raises_the_stores_own_error(store: Store) -> None:
    with pytest.raises(StoreUnansweredError) as caught, store.transaction() as session:
        session.execute(text("SELECT * FROM no_such_table"))
    assert isinstance(caught.value, StoreError)
    assert isinstance(caught.value.__cause__, SQLAlchemyError)
    assert f"did not answer ({caught.value.kind})" in str(caught.value)
    assert "no_such_table" not in str(caught.value)  # the query is for the log only
    assert "no_such_table" in caught.value.detail


def test_a_commit_the_database_refuses_raises_the_stores_own_error(store: Store) -> None:
    now = datetime.now(UTC)
    with pytest.raises(StoreUnansweredError) as caught, store.transaction() as session:
        # Flushed only at the commit, where the unique subject refuses the second row.
        session.add_all([Analyst(subject="same", created_at=now, last_seen=now) for _ in "ab"])
    assert caught.value.kind == "IntegrityError"
    with store.transaction() as session:
        assert session.query(Analyst).count() == 0


# Empty: the replicas race to run the first migration (and to write the first key file).
def test_replicas_opening_at_once_all_reach_head_with_one_key(empty_database: Database) -> None:
    out, err = _replicas_at_once(empty_database)
    *figures, codes = out.splitlines() or [""]
    assert codes == "exit codes" + " 0" * REPLICAS, (out, err)
    assert len(figures) == REPLICAS, (out, err)
    assert len(set(figures)) == 1, (out, err)
    assert figures[0].startswith("0003 ")


def _replicas_at_once(database: Database) -> tuple[str, str]:
    """What REPLICAS_AT_ONCE prints (out, err); it is killed if it outlives its deadline."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    if database.backend == "postgresql":
        environment["EOMER_SECRET_KEY"] = TEST_KEY
    command = [sys.executable, "-c", REPLICAS_AT_ONCE, database.url, str(database.data_dir)]
    with subprocess.Popen(
        [*command, str(REPLICAS)], stdin=PIPE, stdout=PIPE, stderr=PIPE, env=environment, text=True
    ) as replicas:
        try:
            assert replicas.stdout is not None
            assert replicas.stdout.readline() == "ready\n", replicas.communicate()
            return replicas.communicate("go\n", timeout=120)
        finally:
            replicas.kill()  # does nothing once it has ended


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    store = open_store(data_dir=tmp_path / "data")
    with store.engine.connect() as connection:
        mode = connection.execute(text("PRAGMA journal_mode")).scalar()
        timeout = connection.execute(text("PRAGMA busy_timeout")).scalar()
    store.close()
    assert (mode, timeout) == ("wal", 10_000)


def test_default_database_is_sqlite_in_a_private_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "nested" / "data"
    monkeypatch.setenv("EOMER_DATA_DIR", str(folder))
    store = open_store()
    store.close()
    assert store.engine.url.database == str(folder / "eomer.db")
    assert (folder / "eomer.db").is_file()
    assert folder.stat().st_mode & 0o777 == 0o700


def test_database_url_comes_from_the_environment(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EOMER_DATABASE_URL", database.url)
    monkeypatch.setenv("EOMER_SECRET_KEY", TEST_KEY)
    store = open_store(data_dir=database.data_dir)
    store.close()
    assert store.engine.dialect.name == database.backend
    assert store.shared is (database.backend == "postgresql")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_postgresql_urls_use_psycopg(scheme: str, tmp_path: Path) -> None:
    url = database_url_for(f"{scheme}://user:pw@db.example:5433/eomer", tmp_path)
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql+psycopg",
        "db.example",
        5433,
        "eomer",
    )


def test_an_unsupported_database_is_refused_with_what_to_use(tmp_path: Path) -> None:
    with pytest.raises(StoreConfigError, match=r"PostgreSQL \(postgresql://"):
        database_url_for("mysql://user@db.example/eomer", tmp_path)


def test_postgresql_without_a_shared_secret_key_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(StoreConfigError, match="EOMER_SECRET_KEY is not set") as caught:
        open_store("postgresql://eomer@127.0.0.1:1/eomer", tmp_path)
    assert "every replica" in str(caught.value)
    assert not (tmp_path / "secret.key").exists()


def test_the_stores_files_are_owner_only_in_a_shared_folder_under_any_umask(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    (folder / "eomer.db").touch()
    (folder / "eomer.db").chmod(0o644)  # left by an older release
    with _umask(0):
        store = open_store(data_dir=folder)
        try:
            save_connection(store, "idp|ana", "https://api.example", "token-1")
            with store.engine.connect():  # while open, so that the -wal and -shm files exist
                modes = {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()}
        finally:
            store.close()
    assert {"eomer.db", "eomer.db-wal", "eomer.db-shm", "secret.key"} <= set(modes), modes
    assert {name: oct(mode) for name, mode in modes.items() if mode & 0o077} == {}


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    """The process's umask for the block; the tests run in one thread, so none else sees it."""
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_store_that_cannot_open_names_no_part_of_its_url_but_logs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EOMER_SECRET_KEY", TEST_KEY)
    port = free_port()
    url = f"postgresql://sentinel_user:sentinel_pw@127.0.0.3:{port}/sentinel_db"
    with pytest.raises(StoreError) as caught:
        open_store(url, tmp_path)
    shown = str(caught.value)
    for part in ("sentinel_user", "sentinel_pw", "127.0.0.3", str(port), "sentinel_db"):
        assert part not in shown
    assert "EOMER_DATABASE_URL" in shown  # what to check, without the value
    assert all(
        part in caught.value.detail for part in ("sentinel_user", "127.0.0.3", "sentinel_db")
    )
    assert "sentinel_pw" not in caught.value.detail
