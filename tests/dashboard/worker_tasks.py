"""Tasks the worker-pool tests send to workers: module-level, so a worker can import them."""

from __future__ import annotations

import os


def pid_and_args(content: bytes, *args: object) -> tuple[int, int, tuple[object, ...]]:
    """The worker's process ID, the content's length and the arguments."""
    return os.getpid(), len(content), args


def refuse(content: bytes) -> None:
    raise ValueError(f"refused {content.decode()}")


def spin(content: bytes) -> None:
    """Hold a CPU for ever."""
    while True:
        pass


def hoard(content: bytes) -> None:
    """Take memory 64 MB at a time, touching every page, for ever."""
    kept = []
    while True:
        kept.append(bytearray(64 << 20))


def wait_for(content: bytes) -> bytes:
    """Block until the FIFO named by `content` is opened for writing, then return what it said."""
    with open(content.decode(), "rb") as fifo:
        return fifo.read()


def large(content: bytes) -> bytes:
    return b"x" * int(content.decode())
