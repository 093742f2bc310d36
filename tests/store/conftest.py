"""Store fixtures: each test runs on SQLite in a temporary folder and on a real PostgreSQL."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Database:
    """An empty database of one backend, and the data folder a store opened on it uses."""

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


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        return Database("sqlite", f"sqlite+pysqlite:///{tmp_path / 'eomer.db'}", data_dir, None)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database(f"store_{uuid.uuid4().hex[:12]}")
    return Database("postgresql", url, data_dir, server)


@pytest.fixture
def open_on(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenStore]:
    """Open stores on the test's database (PostgreSQL gets the shared key it requires)."""
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
