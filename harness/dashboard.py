"""`streamlit run app.py` as a subprocess on a free loopback port, with its log kept in a file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from localserve.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 60.0
# Environment variables a clean dashboard process keeps: nothing that configures the app.
# The demo's cache of fitted forecasts (demo_api.models.fit_cache) too, so a run fits them once.
KEPT_ENV = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "PYTHONPATH",
    "EOMER_DEMO_CACHE_DIR",
    "XDG_CACHE_HOME",
)
# Dashboards started and not yet stopped, so a failing test can show their logs.
RUNNING: list[Dashboard] = []


@dataclass
class Dashboard:
    """A running `streamlit run app.py`; `output()` is its log so far, for failure reports."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    # The team-store folder made for this process alone, removed when it stops.
    own_data_dir: Path | None = None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_healthy(dashboard: Dashboard) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if dashboard.process.poll() is not None:
            break
        try:
            if httpx.get(f"{dashboard.url}/_stcore/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling the health condition above with a deadline
    stop_dashboard(dashboard)
    raise RuntimeError(f"streamlit did not start; its output:\n{dashboard.output()}")


def start_dashboard(extra_env: Mapping[str, str] | None = None) -> Dashboard:
    """Start the dashboard on a free loopback port with a clean environment plus `extra_env`."""
    port = free_port()
    env = {key: os.environ[key] for key in KEPT_ENV if key in os.environ}
    # Its own team store unless the test shares one (replicas): never the project's data folder.
    own_data = Path(tempfile.mkdtemp(prefix="eomer-data-"))
    env["EOMER_DATA_DIR"] = str(own_data)
    env.update(extra_env or {})
    log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    kept = own_data if env["EOMER_DATA_DIR"] == str(own_data) else None
    if kept is None:
        own_data.rmdir()
    dashboard = Dashboard(f"http://127.0.0.1:{port}", process, log, kept)
    RUNNING.append(dashboard)
    wait_healthy(dashboard)
    return dashboard


def stop_dashboard(dashboard: Dashboard) -> None:
    """Stop the process (kill it if it will not end); its log file stays readable."""
    if dashboard in RUNNING:
        RUNNING.remove(dashboard)
    dashboard.process.terminate()
    try:
        dashboard.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        dashboard.process.kill()
        dashboard.process.wait()
    if dashboard.own_data_dir is not None:
        shutil.rmtree(dashboard.own_data_dir, ignore_errors=True)
