"""A local deployment for trials: PostgreSQL, N dashboard replicas and HAProxy, started and stopped.

`python3 -m deploy.local` (deploy/local.py) runs one from the terminal; harness/ runs them for
tests and benchmarks.
"""

from __future__ import annotations

import os
import secrets
import signal
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url

from deploy.haproxy_config import ProxySettings, Server, local_servers, write_config
from deploy.processes import (
    Managed,
    Replica,
    ensure_free,
    start_demo,
    start_haproxy,
    start_replica,
    stop,
)
from localserve.ports import free_port
from localserve.postgres import PostgresServer, start_postgres, stop_postgres

DATABASE_URL_ENV = "EOMER_DATABASE_URL"
SECRET_KEY_ENV = "EOMER_SECRET_KEY"
# Streamlit signs its XSRF cookie with this; every replica must accept a tab another one served.
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
# Where the replicas find the built-in demo (dashboard/session/connection_settings.py reads it): one
# process for all, so a job seen on a replica that dies is the same job, at the same point, on
# another.
DEMO_API_URL_ENV = "EOMER_DEMO_API_URL"
# A deployment preset on another API never offers the demo: none is started then.
API_URL_ENV = "EOMER_API_URL"
DATABASE_NAME = "eomer"
Say = Callable[[str], None]


@dataclass
class Deployment:
    """A running set: HAProxy at `url`, the replicas, and the PostgreSQL it started (if any)."""

    url: str
    stats_port: int
    workdir: Path
    replicas: list[Replica]
    haproxy: Managed | None = None
    demo: Managed | None = None
    demo_url: str | None = None
    postgres: PostgresServer | None = None
    reported: set[str] = field(default_factory=set)
    # The status page's user and password, generated per run: shown to the operator only.
    stats_auth: tuple[str, str] = field(
        default_factory=lambda: ("eomer", secrets.token_urlsafe(18)), repr=False
    )

    @property
    def stats_url(self) -> str:
        """HAProxy's status page as CSV (behind `stats_auth`): one row per replica, its state."""
        return f"http://127.0.0.1:{self.stats_port}/;csv"

    def replica(self, name: str) -> Replica:
        return next(replica for replica in self.replicas if replica.name == name)

    def kill(self, name: str) -> None:
        """End a replica at once (SIGKILL), as a crash or a lost machine would."""
        running = self.replica(name).running
        if running is not None:
            stop(running, signal.SIGKILL)

    def restart(self, name: str) -> None:
        """Stop the replica gracefully and start it again on the same port; wait for health."""
        replica = self.replica(name)
        if replica.running is not None:
            stop(replica.running)
        start_replica(replica)

    def stop(self) -> None:
        """HAProxy first (no new requests), then the replicas, the demo API, the database."""
        if self.haproxy is not None:
            stop(self.haproxy)
        for replica in self.replicas:
            if replica.running is not None:
                stop(replica.running)
        if self.demo is not None:
            stop(self.demo)
        if self.postgres is not None:
            stop_postgres(self.postgres)
            self.postgres = None


def replica_env(
    base: Mapping[str, str], database_url: str, secret_key: str, cookie_secret: str
) -> dict[str, str]:
    """The environment every replica gets: the shared store, its key, Streamlit's cookie secret."""
    env = dict(base)
    env[DATABASE_URL_ENV] = database_url
    env[SECRET_KEY_ENV] = secret_key
    env[COOKIE_SECRET_ENV] = cookie_secret
    return env


def start_deployment(
    replicas: int,
    port: int,
    *,
    database_url: str | None = None,
    base_env: Mapping[str, str] | None = None,
    replica_flags: Sequence[str] = (),
    say: Say = lambda _: None,
) -> Deployment:
    """Start PostgreSQL (unless `database_url`), `replicas` dashboards and HAProxy on `port`.

    `replica_flags` are more `streamlit run` options for every replica.
    """
    env = dict(os.environ if base_env is None else base_env)
    ensure_free(port)
    workdir = Path(tempfile.mkdtemp(prefix="eomer-deploy-"))
    ports = [free_port() for _ in range(replicas)]
    deployment = Deployment(f"http://127.0.0.1:{port}", free_port(), workdir, [])
    try:
        if database_url is None:
            deployment.postgres = start_postgres()
            database_url = deployment.postgres.create_database(DATABASE_NAME)
            shown = make_url(database_url).render_as_string(hide_password=True)
            say(f"PostgreSQL (temporary, ends with this run, generated password): {shown}")
        shared = replica_env(env, database_url, _secret_key(env, say), _cookie_secret(env))
        if not env.get(API_URL_ENV, "").strip():
            shared[DEMO_API_URL_ENV] = _start_shared_demo(deployment, env)
        for server in local_servers(ports):
            log = workdir / f"{server.name}.log"
            replica = Replica(server.name, server.port, shared, log, flags=tuple(replica_flags))
            deployment.replicas.append(replica)
            start_replica(replica)
        _start_proxy(deployment, port)
    except BaseException:
        # A failed start or a Ctrl-C while starting leaves nothing running behind.
        deployment.stop()
        raise
    return deployment


def _start_shared_demo(deployment: Deployment, env: Mapping[str, str]) -> str:
    """One demo API for every replica (each would otherwise start its own, in its process)."""
    port = free_port()
    deployment.demo = start_demo(port, env, deployment.workdir / "demo-api.log")
    deployment.demo_url = f"http://127.0.0.1:{port}"
    return deployment.demo_url


def _start_proxy(deployment: Deployment, port: int) -> None:
    servers = [Server(replica.name, "127.0.0.1", replica.port) for replica in deployment.replicas]
    auth = deployment.stats_auth
    settings = ProxySettings("127.0.0.1", port, servers, deployment.stats_port, stats_auth=auth)
    config_path = write_config(settings, deployment.workdir / "haproxy.cfg")
    log = deployment.workdir / "haproxy.log"
    deployment.haproxy = start_haproxy(config_path, log, deployment.url)


def _secret_key(env: Mapping[str, str], say: Say) -> str:
    configured = env.get(SECRET_KEY_ENV, "").strip()
    if configured:
        return configured
    say(
        f"{SECRET_KEY_ENV} is not set: generated one for this run only (not shown). Tokens "
        f"saved in a lasting database need the same key next time: set {SECRET_KEY_ENV}."
    )
    return Fernet.generate_key().decode("ascii")


def _cookie_secret(env: Mapping[str, str]) -> str:
    return env.get(COOKIE_SECRET_ENV) or secrets.token_urlsafe(32)
