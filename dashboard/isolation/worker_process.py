"""A file-reading worker process: runs one parsing function at a time under memory and CPU limits.

Started by dashboard/isolation/worker_pool.py as `python3 -m dashboard.isolation.worker_process
READ_FD WRITE_FD`: a fresh interpreter, never a fork of the multi-threaded Streamlit server. Each
task is a pickled `Task`; before running it the worker caps its own address space (what it holds now
plus the task's allowance) and its CPU time (`resource.setrlimit`), so a file that would inflate or
spin ends this process, not the server. Replies are pickled `Reply`s, refused past their size limit.
"""

from __future__ import annotations

import importlib
import os
import pickle
import resource
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

# Replies bigger than a task allows are refused in the worker: one more check than the caller's.
_REPLY_SLACK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one task may use: added address space, CPU seconds, wall-clock seconds, reply bytes."""

    memory_bytes: int = 1 << 30
    cpu_seconds: int = 30
    deadline_seconds: float = 45.0
    reply_bytes: int = 64 << 20

    @property
    def memory_mb(self) -> int:
        return self.memory_bytes >> 20


@dataclass(frozen=True)
class Task:
    """`function(content, *args)`; `function` is a module-level function the worker imports."""

    function: Callable[..., object]
    content: bytes
    args: tuple[object, ...]
    limits: Limits


@dataclass(frozen=True)
class Reply:
    """A task's value, or the exception it raised (re-raised by the caller), and the worker's
    peak resident memory so far (a worker that grew is replaced)."""

    value: object = None
    raised: BaseException | None = None
    out_of_memory: bool = False
    peak_rss_bytes: int = 0


class ReplyTooLargeError(Exception):
    """The task's value, pickled, is bigger than the task allows."""


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _limit(limits: Limits) -> None:
    """Cap this process for the next task: the soft limits only, so the next task can raise them."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + limits.memory_bytes, hard))
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    # Past the soft limit the kernel sends SIGXCPU, whose default action ends the process.
    resource.setrlimit(resource.RLIMIT_CPU, (int(_cpu_seconds()) + 1 + limits.cpu_seconds, hard))


def _run(task: Task) -> Reply:
    try:
        return Reply(value=task.function(task.content, *task.args))
    except MemoryError:
        return Reply(out_of_memory=True)
    except Exception as exc:  # handed to the caller, which raises it as its own
        return Reply(raised=exc)


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux counts KiB


def _pickled(reply: Reply, limits: Limits) -> bytes:
    reply = Reply(reply.value, reply.raised, reply.out_of_memory, _peak_rss())
    try:
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return pickle.dumps(Reply(out_of_memory=True, peak_rss_bytes=_peak_rss()))
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        unpicklable = RuntimeError(f"the reader's answer could not be sent back ({exc})")
        return pickle.dumps(Reply(raised=unpicklable, peak_rss_bytes=_peak_rss()))
    if len(data) > limits.reply_bytes:
        too_large = ReplyTooLargeError(
            f"{len(data) >> 20} MB, more than {limits.reply_bytes >> 20}"
        )
        return pickle.dumps(Reply(raised=too_large, peak_rss_bytes=_peak_rss()))
    return data


def serve(requests: Connection, replies: Connection) -> None:
    """Answer tasks until the caller closes its end (the server ended or replaced this worker)."""
    # A worker that dies of its limits leaves no core file behind.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    while True:
        try:
            task: Any = pickle.loads(requests.recv_bytes())
        except EOFError:
            return
        assert isinstance(task, Task)
        _limit(task.limits)
        reply = _run(task)
        replies.send_bytes(_pickled(reply, task.limits))
        if reply.out_of_memory:
            return  # a heap that reached its limit is not trusted with another file


if __name__ == "__main__":
    # Run as imported, not as __main__: the tasks name this module's Task by its own name.
    from dashboard.isolation import worker_process

    read_end, write_end, *preload = sys.argv[1:]
    for module in preload:
        importlib.import_module(module)
    requests = Connection(int(read_end), writable=False)
    worker_process.serve(requests, Connection(int(write_end), readable=False))
