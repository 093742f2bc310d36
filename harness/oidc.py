"""A local OpenID Connect provider (oidc-provider-mock) and a dashboard that signs in with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from deploy.deployment import Deployment
from harness.dashboard import (
    KEPT_ENV,
    ROOT,
    RUNNING,
    START_TIMEOUT_SECONDS,
    Dashboard,
    wait_healthy,
)
from harness.haproxy import start_replica_set
from localserve.ports import free_port

CLIENT_ID = "eomer-dashboard"
# Test values only: the provider accepts any client, and the cookie dies with the test.
CLIENT_SECRET = "not-a-secret-test-client"
COOKIE_SECRET = "test-cookie-secret-of-enough-length-for-hs256"
METADATA_PATH = "/.well-known/openid-configuration"


@dataclass
class Provider:
    """A running oidc-provider-mock; its login form asks for the `sub` to sign in as."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def add_user(self, sub: str, *, email: str, name: str) -> None:
        """Give `sub` the claims the provider puts in its ID token and userinfo."""
        response = httpx.put(f"{self.url}/users/{sub}", json={"email": email, "name": name})
        response.raise_for_status()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_provider() -> Provider:
    """oidc-provider-mock as a process on a free loopback port, ready when it serves metadata."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="oidc-", suffix=".log")[1])
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    env = {key: os.environ[key] for key in KEPT_ENV if key in os.environ}
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink)
    provider = Provider(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(provider.url + METADATA_PATH, timeout=1).status_code == 200:
                return provider
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling the metadata condition above with a deadline
    stop_process(process)
    raise RuntimeError(f"oidc-provider-mock did not start; its output:\n{provider.output()}")


def auth_secrets(provider_url: str, dashboard_url: str) -> str:
    """The `[auth]` section of `.streamlit/secrets.toml` for signing in with `provider_url`."""
    section = {
        "redirect_uri": f"{dashboard_url}/oauth2callback",
        "cookie_secret": COOKIE_SECRET,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "server_metadata_url": provider_url + METADATA_PATH,
    }
    # JSON strings are valid TOML basic strings.
    return "[auth]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in section.items())


def start_signed_in_dashboard(
    provider: Provider, data_dir: Path, extra_env: dict[str, str], *, port: int | None = None
) -> Dashboard:
    """`streamlit run app.py` with `[auth]` secrets for `provider`, its store in `data_dir`.

    `port` is fixed for a restart: the redirect URI the provider sends the browser back to
    names it. The secrets file is passed with `--secrets.files`, outside the project.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    secrets = secrets_file(provider, url)
    env = {key: os.environ[key] for key in KEPT_ENV if key in os.environ}
    env.update(extra_env, EOMER_DATA_DIR=str(data_dir))
    log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--secrets.files", str(secrets)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    dashboard = Dashboard(url, process, log)
    RUNNING.append(dashboard)
    wait_healthy(dashboard)
    return dashboard


def secrets_file(provider: Provider, dashboard_url: str) -> Path:
    """A `secrets.toml` outside the project with `[auth]` for `provider` at `dashboard_url`."""
    path = Path(tempfile.mkdtemp(prefix="eomer-secrets-")) / "secrets.toml"
    path.write_text(auth_secrets(provider.url, dashboard_url))
    return path


def start_signed_in_replica_set(
    provider: Provider, replicas: int, database_url: str, extra_env: dict[str, str]
) -> Deployment:
    """Replicas behind HAProxy (harness.haproxy) that all sign in with `provider`.

    They share one `[auth]` file, so one cookie secret: a sign-in cookie one replica set is
    good on the others. The provider sends the browser back to HAProxy, never to a replica.
    """
    port = free_port()
    secrets = secrets_file(provider, f"http://127.0.0.1:{port}")
    flags = ("--secrets.files", str(secrets))
    return start_replica_set(replicas, database_url, extra_env, port=port, replica_flags=flags)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
