"""Store fixtures: each test runs on SQLite in a temporary folder and on a real PostgreSQL.

A test's `database` is a copy of one migrated once per backend and session, so opening a store
on it finds the newest revision; a test of migrating itself asks for `empty_database` instead.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from localserve.postgres import RUNNING, PostgresServer, running_postgres
from store import Store, open_store

BACKENDS = ["sqlite", "postgresql"]
# How much of the server log a failure report shows: the end, where the failure is.
LOG_TAIL_CHARS = 20_000
TEST_KEY = Fernet.generate_key().decode("ascii")
DATABASE_FILE = "eomer.db"
TEMPLATE_NAME = "store_template"


@dataclass(frozen=True)
class Database:
    """A database of one backend, and the data folder a store opened on it uses."""

    backend: str
    url: str
    data_dir: Path
    server: PostgresServer | None

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def sqlite_file(self) -> Path:
        return Path(self.url.split("///", 1)[1])


OpenStore = Callable[[], Store]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No store setting leaks in from the shell that runs the tests."""
    for name in ("EOMER_DATABASE_URL", "EOMER_SECRET_KEY", "EOMER_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL for the run; each test gets its own database on it."""
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_template(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A PostgreSQL database migrated to head once, which each test's database copies."""
    _migrate(postgres_server.create_database(TEMPLATE_NAME), tmp_path_factory.mktemp("pg-data"))
    return TEMPLATE_NAME


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once, which each test's database copies."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / DATABASE_FILE
    _migrate(_sqlite_url(path), folder / "data")
    # Closing the last connection moves the WAL into the file and deletes it: the file is whole.
    assert not Path(f"{path}-wal").exists(), "the template's WAL was left beside it"
    return path


def _migrate(url: str, data_dir: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EOMER_SECRET_KEY", TEST_KEY)
        # Closing disposes of the engine: PostgreSQL copies no database anyone is connected to.
        open_store(url, data_dir).close()


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """The test's own database, already at head: a copy of the session's migrated template."""
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        path = tmp_path / DATABASE_FILE
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        path.chmod(0o600)  # as the store creates it
        return Database("sqlite", _sqlite_url(path), data_dir, None)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database(
        _unique_name(), template=request.getfixturevalue("postgres_template")
    )
    return Database("postgresql", url, data_dir, server)


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """The test's own database with no table yet, for tests of migrating itself."""
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        return Database("sqlite", _sqlite_url(tmp_path / DATABASE_FILE), data_dir, None)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return Database("postgresql", server.create_database(_unique_name()), data_dir, server)


def _sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def _unique_name() -> str:
    return f"store_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def open_on(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenStore]:
    """Open stores on the test's migrated database."""
    yield from _stores_on(database, monkeypatch)


@pytest.fixture
def open_on_empty(empty_database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenStore]:
    """Open stores on the test's empty database: the first one migrates it."""
    yield from _stores_on(empty_database, monkeypatch)


def _stores_on(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenStore]:
    """Open stores on `database` (PostgreSQL gets the shared key it requires); close them after."""
    if database.backend == "postgresql":
        monkeypatch.setenv("EOMER_SECRET_KEY", TEST_KEY)
    opened: list[Store] = []

    def open_one() -> Store:
        opened.append(open_store(database.url, database.data_dir))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(open_on: OpenStore) -> Store:
    return open_on()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """A failing store test carries the PostgreSQL server's log in its own report."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if report.failed:
        report.sections.extend(
            (f"postgres log (port {server.port})", server.output()[-LOG_TAIL_CHARS:])
            for server in RUNNING
        )
