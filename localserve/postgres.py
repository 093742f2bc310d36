"""A real PostgreSQL server from Debian's binaries, in a temporary folder on a loopback port."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from localserve.ports import free_port

DEBIAN_POSTGRES = Path("/usr/lib/postgresql")
SERVER_USER = "eomer"
# Debian's postgresql package creates this system user; postgres refuses to run as root.
SYSTEM_USER = "postgres"
START_TIMEOUT_SECONDS = 60
INSTALL_HINT = "install Debian's server with `apt-get install -y postgresql` (scripts/check does)"
# Servers started and not yet stopped, so a failing test can show their logs.
RUNNING: list[PostgresServer] = []


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL's server binaries are missing or the server would not start."""


@dataclass
class PostgresServer:
    """A running server on loopback; `eomer` signs in with a generated password (scram-sha-256).

    No connection is trusted without it, by TCP or by the Unix socket: any local user could
    otherwise connect as the superuser.
    """

    bin_dir: Path
    root: Path
    port: int
    password: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL, password included: hand it to processes, never print it."""
        # token_urlsafe gives letters, digits, - and _: nothing to escape in a URL.
        return (
            f"postgresql+psycopg://{SERVER_USER}:{self.password}@127.0.0.1:{self.port}/{database}"
        )

    def connect(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SERVER_USER,
            password=self.password,
            dbname=database,
            autocommit=True,
        )

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create a database, empty or a copy of `template`, and return its SQLAlchemy URL.

        PostgreSQL refuses to copy a template anyone is connected to: dispose of its engines.
        """
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.connect() as connection:
            connection.execute(statement)
        return self.url(name)

    def dump(self, database: str) -> str:
        """`pg_dump` of the database as SQL text: schema and every row."""
        command = [str(self.bin_dir / "pg_dump"), "-h", "127.0.0.1", "-p", str(self.port)]
        command += ["-U", SERVER_USER, "--no-password", database]
        env = dict(os.environ, PGPASSWORD=self.password)
        return subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def postgres_bin_dir(base: Path = DEBIAN_POSTGRES) -> Path:
    """The newest `/usr/lib/postgresql/<version>/bin` holding a server."""
    versions = [path for path in base.glob("*/bin") if (path / "initdb").is_file()]
    if not versions:
        raise PostgresUnavailableError(
            f"No PostgreSQL server under {base}/<version>/bin (initdb, pg_ctl); {INSTALL_HINT}."
        )
    return max(versions, key=lambda path: _version_key(path.parent.name))


def start_postgres() -> PostgresServer:
    """initdb a fresh cluster in a temporary folder and start it; wait until it answers."""
    server = PostgresServer(postgres_bin_dir(), Path(tempfile.mkdtemp(prefix="eomer-pg-")), 0)
    server.port = free_port()
    (server.root / "socket").mkdir()
    if os.geteuid() == 0:
        shutil.chown(server.root, SYSTEM_USER, SYSTEM_USER)
        shutil.chown(server.root / "socket", SYSTEM_USER, SYSTEM_USER)
    _initdb(server)
    options = f"-c listen_addresses=127.0.0.1 -p {server.port} -c fsync=off "
    options += "-c password_encryption=scram-sha-256 "
    options += f"-c unix_socket_directories={server.root / 'socket'}"
    RUNNING.append(server)
    _as_server_user(
        server,
        "pg_ctl",
        "start",
        "-w",
        "-t",
        str(START_TIMEOUT_SECONDS),
        "-D",
        str(server.data_dir),
        "-l",
        str(server.log_path),
        "-o",
        options,
    )
    _wait_accepting(server)
    return server


def _initdb(server: PostgresServer) -> None:
    """A cluster whose superuser has the generated password, asked on every connection."""
    password_file = server.root / "password"
    descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(server.password + "\n")
    if os.geteuid() == 0:
        shutil.chown(password_file, SYSTEM_USER, SYSTEM_USER)
    try:
        _as_server_user(
            server,
            "initdb",
            "-D",
            str(server.data_dir),
            "-U",
            SERVER_USER,
            f"--pwfile={password_file}",
            "--auth-host=scram-sha-256",
            "--auth-local=scram-sha-256",
        )
    finally:
        password_file.unlink()


def stop_postgres(server: PostgresServer) -> None:
    """Fast shutdown (ends sessions), then remove the cluster."""
    if server in RUNNING:
        RUNNING.remove(server)
    if (server.data_dir / "postmaster.pid").exists():
        _as_server_user(server, "pg_ctl", "stop", "-w", "-m", "fast", "-D", str(server.data_dir))
    shutil.rmtree(server.root, ignore_errors=True)


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        stop_postgres(server)


def _as_server_user(server: PostgresServer, program: str, *arguments: str) -> None:
    command: Sequence[str] = [str(server.bin_dir / program), *arguments]
    if os.geteuid() == 0:
        command = ["runuser", "-u", SYSTEM_USER, "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, cwd=server.root, check=False)
    if result.returncode != 0:
        raise PostgresUnavailableError(
            f"`{' '.join(command)}` failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            f"\nserver log:\n{server.output()}"
        )


def _wait_accepting(server: PostgresServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            server.connect().close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise PostgresUnavailableError(
                    f"PostgreSQL did not accept connections on port {server.port} within "
                    f"{START_TIMEOUT_SECONDS} s; its log:\n{server.output()}"
                ) from None
        time.sleep(0.05)  # polling the connection condition above with a deadline


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())
