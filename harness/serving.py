"""A loopback test server served from a thread for the duration of a block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import BaseServer
from typing import TypeVar

S = TypeVar("S", bound=BaseServer)


@contextmanager
def serving(server: S, release: threading.Event | None = None) -> Iterator[S]:
    """Serve `server` in a daemon thread; on exit set `release` (ending held answers), close."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        if release is not None:
            release.set()
        server.shutdown()
        server.server_close()
