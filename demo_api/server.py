"""Serve the demo API in-process: uvicorn in a thread on a free loopback port, until closed."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TypedDict, Unpack

import uvicorn

from demo_api.app import create_app
from demo_api.clock import Clock, SystemClock
from demo_api.settings import Settings, hostile_from_env, tokens_from_env

_START_TIMEOUT_SECONDS = 15.0
# Requests still running when a server is closed get this long before their connections drop.
_GRACEFUL_SECONDS = 5
_STOP_TIMEOUT_SECONDS = 15.0


@dataclass
class DemoServer:
    """A running demo API: its base URL "http://127.0.0.1:PORT", its clock, and `close()`."""

    url: str
    clock: Clock
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _socket: socket.socket = field(repr=False)

    def close(self) -> None:
        """Stop uvicorn, wait for its thread and release the port; closing twice is harmless."""
        self._server.should_exit = True
        self._thread.join(_STOP_TIMEOUT_SECONDS)
        self._socket.close()
        if self._thread.is_alive():
            raise RuntimeError(f"demo API at {self.url} did not stop")

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class ServerOptions(TypedDict, total=False):
    """What a demo server is started with (besides its clock); None or absent: the default."""

    faults: bool
    # Replaces the token map (default: demo-token plus EOMER_DEMO_TOKENS).
    tokens: Mapping[str, str] | None
    # How long jobs take to progress (progressing scenarios, and each step of an upload).
    progress_seconds: float | None
    upload_step_seconds: float | None
    # The attack jobs (default: EOMER_DEMO_HOSTILE, and EOMER_DEMO_BEACON_URL for the beacon).
    hostile: bool | None
    hostile_beacon_url: str | None
    # The largest upload POST /forecast accepts (default 10 MB); past it, 413 file_too_large.
    max_upload_bytes: int | None
    # Uploads accepted to wait for a fit beyond the one running (default 4); past it, 503.
    fit_waiting: int | None


def _settings(options: ServerOptions) -> Settings:
    defaults = Settings()
    env_hostile, env_beacon = hostile_from_env()
    tokens, hostile = options.get("tokens"), options.get("hostile")
    progress, step = options.get("progress_seconds"), options.get("upload_step_seconds")
    max_upload, waiting = options.get("max_upload_bytes"), options.get("fit_waiting")
    return Settings(
        faults=options.get("faults", False),
        hostile=env_hostile if hostile is None else hostile,
        hostile_beacon_url=options.get("hostile_beacon_url") or env_beacon,
        tokens=dict(tokens) if tokens is not None else tokens_from_env(),
        progress_seconds=defaults.progress_seconds if progress is None else progress,
        upload_step_seconds=defaults.upload_step_seconds if step is None else step,
        max_upload_bytes=defaults.max_upload_bytes if max_upload is None else max_upload,
        fit_waiting=defaults.fit_waiting if waiting is None else waiting,
    )


def _loopback_socket() -> socket.socket:
    """A socket bound to a free port of 127.0.0.1, for uvicorn to listen on."""
    # proto=IPPROTO_TCP so asyncio sets TCP_NODELAY on accepted sockets (it checks sock.proto);
    # without it Nagle + delayed ACK add ~40 ms to every small response.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def start_demo_server(
    *, clock: Clock | None = None, **options: Unpack[ServerOptions]
) -> DemoServer:
    """Start a new, independent demo API; close it (or use `with`) to stop it and free its port.

    Its jobs progress on `clock` (default: the system clock; tests pass
    demo_api.testing.clock.ManualClock and advance it). See ServerOptions for the rest.
    """
    clock = clock or SystemClock()
    app = create_app(_settings(options), clock=clock)
    sock = _loopback_socket()
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=_GRACEFUL_SECONDS,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"demo-api-{port}", daemon=True
    )
    thread.start()
    running = DemoServer(f"http://127.0.0.1:{port}", clock, server, thread, sock)
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while not (server.started and _accepting(port)):
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"demo API did not start on 127.0.0.1:{port}")
        time.sleep(0.01)  # polling the condition above, not waiting a fixed time
    return running


def start_background_server(**options: Unpack[ServerOptions]) -> str:
    """Start a demo API that runs until the process exits; returns its base URL.

    Takes the options of `start_demo_server`, which returns a server that can be closed.
    """
    return start_demo_server(**options).url
