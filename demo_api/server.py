"""Serve the demo API in-process: uvicorn in a daemon thread on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Mapping

import uvicorn

from demo_api.app import create_app
from demo_api.settings import Settings, hostile_from_env, tokens_from_env

_START_TIMEOUT_SECONDS = 15.0


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def start_background_server(
    *,
    faults: bool = False,
    tokens: Mapping[str, str] | None = None,
    progress_seconds: float | None = None,
    upload_step_seconds: float | None = None,
    hostile: bool | None = None,
    hostile_beacon_url: str | None = None,
) -> str:
    """Start a new, independent demo API; returns its base URL "http://127.0.0.1:PORT".

    `tokens` replaces the token map (default: demo-token plus EOMER_DEMO_TOKENS);
    `progress_seconds` shortens the progressing scenarios' timeline (tests);
    `hostile` adds the attack jobs (default: EOMER_DEMO_HOSTILE, EOMER_DEMO_BEACON_URL).
    """
    defaults = Settings()
    env_hostile, env_beacon = hostile_from_env()
    settings = Settings(
        faults=faults,
        hostile=env_hostile if hostile is None else hostile,
        hostile_beacon_url=hostile_beacon_url or env_beacon,
        tokens=dict(tokens) if tokens is not None else tokens_from_env(),
        progress_seconds=defaults.progress_seconds
        if progress_seconds is None
        else progress_seconds,
        upload_step_seconds=(
            defaults.upload_step_seconds if upload_step_seconds is None else upload_step_seconds
        ),
    )
    # proto=IPPROTO_TCP so asyncio sets TCP_NODELAY on accepted sockets (it checks sock.proto);
    # without it Nagle + delayed ACK add ~40 ms to every small response.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(create_app(settings), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"demo-api-{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while not (server.started and _accepting(port)):
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"demo API did not start on 127.0.0.1:{port}")
        time.sleep(0.01)  # polling the condition above, not waiting a fixed time
    return f"http://127.0.0.1:{port}"
