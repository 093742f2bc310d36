"""The processes of a local deployment: dashboard replicas and HAProxy, each logging to a file."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from deploy.haproxy_config import HEALTH_PATH

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
HAPROXY_HINT = "install Debian's package with `apt-get install -y haproxy`"


class DeploymentError(RuntimeError):
    """A process of the deployment is missing, would not start, or refused its configuration."""


@dataclass
class Managed:
    """A started process with a name for messages and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class Replica:
    """One `streamlit run app.py` on a fixed loopback port (HAProxy's configuration names it)."""

    name: str
    port: int
    env: Mapping[str, str]
    log_path: Path
    running: Managed | None = None
    # More `streamlit run` options, the same for every replica (e.g. `--secrets.files`).
    flags: Sequence[str] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def ensure_free(port: int) -> None:
    """A DeploymentError when something already listens on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise DeploymentError(
                f"Port {port} on 127.0.0.1 is in use ({exc.strerror}); choose another --port."
            ) from exc


def haproxy_binary() -> str:
    """Where `haproxy` is, or a DeploymentError saying how to install it."""
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if found is None:
        raise DeploymentError(f"HAProxy is not installed; {HAPROXY_HINT}.")
    return found


def spawn(name: str, command: list[str], env: Mapping[str, str], log_path: Path) -> Managed:
    """Start `command` in its own process group, so a terminal's Ctrl-C reaches only us."""
    with log_path.open("ab") as sink:
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(env), stdout=sink, stderr=sink, start_new_session=True
        )
    return Managed(name, process, log_path)


def start_replica(replica: Replica) -> Managed:
    """Start the replica on its port and wait until its health endpoint answers."""
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.port", str(replica.port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", *replica.flags]
    replica.running = spawn(replica.name, command, replica.env, replica.log_path)
    wait_healthy(replica.running, f"{replica.url}{HEALTH_PATH}")
    return replica.running


def start_demo(port: int, env: Mapping[str, str], log_path: Path) -> Managed:
    """The built-in demo API as a process of its own on `port`, once it answers its health."""
    command = [sys.executable, "-m", "demo_api", "--host", "127.0.0.1", "--port", str(port)]
    managed = spawn("demo API", command, env, log_path)
    wait_healthy(managed, f"http://127.0.0.1:{port}/health")
    return managed


def check_config(config_path: Path) -> None:
    """`haproxy -c`: a DeploymentError with HAProxy's own words if it refuses the file."""
    command = [haproxy_binary(), "-c", "-f", str(config_path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DeploymentError(
            f"HAProxy refused {config_path}:\n{result.stdout}{result.stderr}".rstrip()
        )


def start_haproxy(config_path: Path, log_path: Path, url: str) -> Managed:
    """HAProxy in the foreground (`-db`), as a plain process rather than a system service."""
    check_config(config_path)
    command = [haproxy_binary(), "-f", str(config_path), "-db"]
    managed = spawn("haproxy", command, dict(os.environ), log_path)
    wait_listening(managed, url)
    return managed


def wait_healthy(managed: Managed, health_url: str) -> None:
    """Wait until `health_url` answers 200; stop the process and raise if it never does."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and managed.process.poll() is None:
        if _status(health_url) == 200:
            return
        time.sleep(0.1)  # polling the health condition above with a deadline
    stop(managed)
    raise DeploymentError(f"{managed.name} did not start; its output:\n{managed.output()}")


def wait_listening(managed: Managed, url: str) -> None:
    """Wait until anything answers HTTP at `url` (HAProxy answers 503 while no replica is up)."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and managed.process.poll() is None:
        if _status(url) is not None:
            return
        time.sleep(0.1)  # polling the listening condition above with a deadline
    stop(managed)
    raise DeploymentError(f"{managed.name} did not start; its output:\n{managed.output()}")


def stop(managed: Managed, sig: signal.Signals = signal.SIGTERM) -> int:
    """Send `sig`, wait, kill if it will not end; returns the exit code."""
    if managed.process.poll() is None:
        managed.process.send_signal(sig)
        try:
            managed.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            managed.process.kill()
            managed.process.wait()
    return int(managed.process.returncode)


def _status(url: str) -> int | None:
    """The HTTP status at `url`, or None when nothing answers."""
    try:
        # Loopback only: a proxy named in the environment must not see these requests.
        return httpx.get(url, timeout=1, trust_env=False).status_code
    except httpx.TransportError:
        return None
