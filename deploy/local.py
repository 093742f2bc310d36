"""Run N dashboard replicas behind HAProxy with PostgreSQL on one machine, for trials.

`python3 -m deploy.local --replicas N --port P [--database-url URL]` starts PostgreSQL (unless a
URL is given), the replicas and HAProxy on 127.0.0.1:P, prints what runs where, and stops
everything on Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url

from deploy.haproxy_config import ProxySettings, Server, local_servers, write_config
from deploy.processes import (
    DeploymentError,
    Managed,
    Replica,
    ensure_free,
    start_demo,
    start_haproxy,
    start_replica,
    stop,
)
from localserve.ports import free_port
from localserve.postgres import (
    PostgresServer,
    PostgresUnavailableError,
    start_postgres,
    stop_postgres,
)

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
WATCH_SECONDS = 0.5
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


def describe(deployment: Deployment) -> list[str]:
    """What runs where, one line each, for the person who started it."""
    lines = [f"Dashboard: {deployment.url}  (HAProxy, sticky cookie SERVERID)"]
    if deployment.haproxy is not None:
        user, password = deployment.stats_auth
        lines.append(f"  HAProxy pid {deployment.haproxy.pid}, status page {deployment.stats_url}")
        lines.append(f"    status page user {user}, password {password} (this run only)")
    for replica in deployment.replicas:
        pid = replica.running.pid if replica.running else "-"
        lines.append(f"  {replica.name}: {replica.url} pid {pid}, log {replica.log_path}")
    if deployment.demo is not None:
        shown = f"{deployment.demo_url} pid {deployment.demo.pid}, log {deployment.demo.log_path}"
        lines.append(f"  Demo API (one, shared by the replicas): {shown}")
    if deployment.postgres is not None:
        lines.append(f"  PostgreSQL: temporary cluster in {deployment.postgres.root}")
    lines.append(f"  Files: {deployment.workdir} (haproxy.cfg, haproxy.log)")
    return lines


def watch(deployment: Deployment, say: Say) -> int:
    """Report any child that exits; return 1 when nothing is left to serve the dashboard."""
    while True:
        for managed in _children(deployment):
            code = managed.process.poll()
            if code is not None and managed.name not in deployment.reported:
                deployment.reported.add(managed.name)
                say(f"{managed.name} (pid {managed.pid}) exited with code {code}; see its log")
        if deployment.haproxy is None or deployment.haproxy.process.poll() is not None:
            say("HAProxy is gone: stopping everything.")
            return 1
        if all(
            r.running is None or r.running.process.poll() is not None for r in deployment.replicas
        ):
            say("No replica is left: stopping everything.")
            return 1
        time.sleep(WATCH_SECONDS)  # a fixed interval: waiting is the point here


def _children(deployment: Deployment) -> list[Managed]:
    found = [r.running for r in deployment.replicas if r.running is not None]
    others = [deployment.haproxy, deployment.demo]
    return [*found, *(managed for managed in others if managed is not None)]


def say(message: str) -> None:
    """A line for the person at the terminal, at once (the output may be a pipe)."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m deploy.local", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, help="dashboard processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="HAProxy's port (default 8080)")
    parser.add_argument("--database-url", help="a PostgreSQL URL instead of a temporary server")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")

    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        deployment = start_deployment(
            args.replicas, args.port, database_url=args.database_url, say=say
        )
    except (DeploymentError, PostgresUnavailableError) as err:
        say(f"Could not start: {err}")
        return 1
    except KeyboardInterrupt:
        return 130
    try:
        say("\n".join(describe(deployment)))
        say("Ctrl-C stops everything.")
        return watch(deployment, say)
    except KeyboardInterrupt:
        say("Stopping HAProxy, the replicas, the demo API and the database ...")
        return 0
    finally:
        deployment.stop()
        say("Stopped.")


if __name__ == "__main__":
    sys.exit(main())
