"""Dashboard replicas behind a real HAProxy (deploy.local's set) for tests and benchmarks."""

from __future__ import annotations

import csv
import io
import os
import tempfile
import time
from collections.abc import Mapping, Sequence

import httpx

from deploy.deployment import Deployment, start_deployment
from harness.dashboard import KEPT_ENV
from localserve.ports import free_port

STATE_TIMEOUT_SECONDS = 30.0
# Sets started and not yet stopped, so a failing test can show their logs.
RUNNING: list[Deployment] = []


def start_replica_set(
    replicas: int,
    database_url: str,
    extra_env: Mapping[str, str] | None = None,
    *,
    port: int | None = None,
    replica_flags: Sequence[str] = (),
) -> Deployment:
    """`replicas` dashboards sharing `database_url`, behind HAProxy on `port` (else a free one).

    `replica_flags` are more `streamlit run` options for every replica.
    """
    env = {key: os.environ[key] for key in KEPT_ENV if key in os.environ}
    # The store is PostgreSQL; the folder only keeps the replicas off the project's data/.
    env["EOMER_DATA_DIR"] = tempfile.mkdtemp(prefix="eomer-data-")
    env.update(extra_env or {})
    deployment = start_deployment(
        replicas,
        port or free_port(),
        database_url=database_url,
        base_env=env,
        replica_flags=replica_flags,
    )
    RUNNING.append(deployment)
    wait_for_states(deployment, {replica.name: "UP" for replica in deployment.replicas})
    return deployment


def stop_replica_set(deployment: Deployment) -> None:
    if deployment in RUNNING:
        RUNNING.remove(deployment)
    deployment.stop()


def server_states(deployment: Deployment) -> dict[str, str]:
    """Replica name -> HAProxy's view of it (UP, DOWN, `UP 1/2` while it changes)."""
    answer = httpx.get(deployment.stats_url, auth=deployment.stats_auth, timeout=5, trust_env=False)
    text = answer.raise_for_status().text
    rows = csv.DictReader(io.StringIO(text.removeprefix("# ")))
    return {
        row["svname"]: row["status"]
        for row in rows
        if row["pxname"] == "replicas" and row["svname"] not in {"FRONTEND", "BACKEND"}
    }


def wait_for_states(
    deployment: Deployment, wanted: Mapping[str, str], timeout: float = STATE_TIMEOUT_SECONDS
) -> None:
    """Wait until HAProxy reports every named replica in the wanted state."""
    deadline = time.monotonic() + timeout
    states = server_states(deployment)
    while any(states.get(name) != state for name, state in wanted.items()):
        if time.monotonic() > deadline:
            raise AssertionError(f"HAProxy reports {states}, not {dict(wanted)}, after {timeout} s")
        time.sleep(0.2)  # polling HAProxy's status page with a deadline
        states = server_states(deployment)


def log_sections(deployment: Deployment) -> list[tuple[str, str]]:
    """Every process's log, for a failure report."""
    sections = [
        (f"{replica.name} log", replica.running.output())
        for replica in deployment.replicas
        if replica.running is not None
    ]
    if deployment.haproxy is not None:
        sections.append(("haproxy log", deployment.haproxy.output()))
    return sections
