"""`python3 -m deploy.local` as a person runs it: starts, reports a death, stops on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from dashboard.session.connection_settings import DEMO_API_URL_KEY
from deploy.deployment import DEMO_API_URL_ENV
from deploy.haproxy_config import app_upload_limit
from deploy.processes import ROOT
from localserve.ports import free_port

START_SECONDS = 120.0
KEY_ENV = "EOMER_SECRET_KEY"
DEMO_AUTH = {"Authorization": "Bearer demo-token"}


class Output:
    """The lines a running command has printed so far, read in a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(str(line).rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = START_SECONDS) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            time.sleep(0.1)  # polling the printed lines with a deadline
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))

    def text(self) -> str:
        self._thread.join(timeout=10)
        return "\n".join(self.lines)


@pytest.fixture
def run_local() -> Iterator[tuple[subprocess.Popen[str], Output, int]]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("EOMER_")}
    command = [sys.executable, "-m", "deploy.local", "--replicas", "2", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = Output(process)
    yield process, output, port
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    output.text()  # the reader has seen the end of the output
    assert process.stdout is not None
    process.stdout.close()


def alive(pid: int) -> bool:
    """Running: an exited process that nobody has reaped yet (a zombie) counts as gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def test_local_set_serves_reports_a_dead_replica_and_stops_cleanly_on_ctrl_c(
    run_local: tuple[subprocess.Popen[str], Output, int],
) -> None:
    process, output, port = run_local
    output.wait_for(r"Ctrl-C stops everything")
    assert output.wait_for(r"^Dashboard: (\S+)").group(1) == f"http://127.0.0.1:{port}"
    replica1 = int(output.wait_for(r"replica1: \S+ pid (\d+)").group(1))
    replica2 = int(output.wait_for(r"replica2: \S+ pid (\d+)").group(1))
    proxy = int(output.wait_for(r"HAProxy pid (\d+)").group(1))
    cluster = Path(output.wait_for(r"PostgreSQL: temporary cluster in (\S+)").group(1))
    demo_url, demo = output.wait_for(
        r"Demo API \(one, shared by the replicas\): (\S+) pid (\d+)"
    ).groups()
    # The generated key reaches the replicas but is never printed.
    environ = Path(f"/proc/{replica1}/environ").read_bytes().decode().split("\0")
    # Every replica is pointed at the one demo API, so a job outlives the replica showing it.
    for pid in (replica1, replica2):
        replica_environ = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
        assert f"{DEMO_API_URL_ENV}={demo_url}" in replica_environ
    live = httpx.get(f"{demo_url}/_demo/live-jobs", headers=DEMO_AUTH, timeout=10, trust_env=False)
    running = next(row["job_id"] for row in live.json() if row["status"] == "running")
    secret = next(entry for entry in environ if entry.startswith(f"{KEY_ENV}="))
    assert len(secret) > len(KEY_ENV) + 30
    output.wait_for(rf"{KEY_ENV} is not set: generated one for this run only \(not shown\)")
    health = httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=5, trust_env=False)
    assert health.status_code == 200
    assert health.cookies["SERVERID"] in {"replica1", "replica2"}
    stats_password = status_page_needs_its_printed_password(output)
    database_password = postgres_trusts_no_connection_without_its_password(environ, cluster)
    assert upload_status(port, app_upload_limit() + 1) == 413  # refused by HAProxy
    assert upload_status(port, 16) != 413  # passed to a replica, which answers for itself

    os.kill(replica1, signal.SIGKILL)
    output.wait_for(rf"replica1 \(pid {replica1}\) exited with code -9", timeout=10)
    assert process.poll() is None  # the survivor still serves
    cookie = {"SERVERID": "replica1"}
    rerouted = httpx.get(
        f"http://127.0.0.1:{port}/_stcore/health", cookies=cookie, timeout=10, trust_env=False
    )
    assert rerouted.status_code == 200
    # The replica is gone; its demo job is not: the survivor's demo answers it, still running.
    job = httpx.get(f"{demo_url}/jobs/{running}", headers=DEMO_AUTH, timeout=10, trust_env=False)
    assert job.json()["status"] == "running"

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    printed = output.text()
    assert printed.endswith("Stopped.")
    assert secret.split("=", 1)[1] not in printed
    assert database_password not in printed
    assert stats_password in printed  # for the operator, generated for this run only
    assert not any(alive(pid) for pid in (replica2, proxy, int(demo)))
    assert not cluster.exists()


def status_page_needs_its_printed_password(output: Output) -> str:
    url = output.wait_for(r"status page (http\S+)").group(1)
    user, password = output.wait_for(r"status page user (\S+), password (\S+)").groups()
    assert httpx.get(url, timeout=5, trust_env=False).status_code == 401
    wrong = httpx.get(url, auth=(user, password + "x"), timeout=5, trust_env=False)
    assert wrong.status_code == 401
    assert "replica1" in httpx.get(url, auth=(user, password), timeout=5, trust_env=False).text
    return password


def postgres_trusts_no_connection_without_its_password(environ: list[str], cluster: Path) -> str:
    """The replicas were given a password; without it neither TCP nor the socket lets anyone in."""
    entry = next(entry for entry in environ if entry.startswith("EOMER_DATABASE_URL="))
    url = make_url(entry.split("=", 1)[1])
    assert url.password
    for host in ("127.0.0.1", str(cluster / "socket")):
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(
                host=host, port=url.port, user=url.username, dbname=url.database, password=""
            )
    psycopg.connect(
        host="127.0.0.1",
        port=url.port,
        user=url.username,
        dbname=url.database,
        password=url.password,
    ).close()
    return url.password


def upload_status(port: int, length: int) -> int:
    """HTTP status of a PUT to Streamlit's upload route declaring `length` bytes (16 sent)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            f"PUT /_stcore/upload_file/session/file HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n".encode()
            + b"x" * 16
        )
        status_line = connection.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_a_port_in_use_is_refused_before_anything_starts() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "deploy.local", "--replicas", "1", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is in use" in result.stdout
    assert "choose another --port" in result.stdout


def test_the_replicas_read_the_shared_demo_from_the_variable_deploy_local_sets() -> None:
    # deploy/ may not import the dashboard, so each side names it; they must agree.
    assert DEMO_API_URL_ENV == DEMO_API_URL_KEY
