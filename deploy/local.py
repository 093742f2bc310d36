"""Run N dashboard replicas behind HAProxy with PostgreSQL on one machine, for trials.

`python3 -m deploy.local --replicas N --port P [--database-url URL]` starts PostgreSQL (unless a
URL is given), the replicas and HAProxy on 127.0.0.1:P, prints what runs where, and stops
everything on Ctrl-C. What it starts, and how, is deploy/deployment.py's.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Sequence

from deploy.deployment import Deployment, Say, start_deployment
from deploy.processes import DeploymentError, Managed
from localserve.postgres import PostgresUnavailableError

WATCH_SECONDS = 0.5


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
