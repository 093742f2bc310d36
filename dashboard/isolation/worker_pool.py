"""Untrusted files are parsed in a small pool of limited worker processes, never in the server.

`run_isolated(limits, parse, content, *args)` runs `parse(content, *args)` (a module-level
function: the worker imports it) in one of WORKERS processes (dashboard/isolation/worker_process.py,
each a fresh interpreter with an address-space and a CPU-time limit) and returns its value, or
raises what it raised. The caller keeps a wall-clock deadline: a worker that overruns it is killed
and replaced, as is one that dies of its limits or grew large. At most WAITING callers wait for a
worker; past that, or after WAIT_SECONDS, BusyError. So no upload can exhaust the server's memory
or hold its GIL: the server only waits on a pipe, and unpickles an answer of bounded size.
The pool is process-wide and starts on first use.
"""

from __future__ import annotations

import atexit
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar, cast

from dashboard.isolation.worker_process import Limits, Reply, ReplyTooLargeError, Task

__all__ = ["BusyError", "IsolationError", "LimitError", "Limits", "WorkerPool", "run_isolated"]

WORKERS = 2  # the machines this runs on have two cores or more; one file never takes both
WAITING = 16
WAIT_SECONDS = 60.0
# A worker whose resident memory peaked past this is replaced: its heap rarely shrinks back.
RETIRE_RSS_BYTES = 512 << 20
# Imported by each worker as it starts, so the first file it reads does not wait for them.
PRELOAD = ("dashboard.isolation.isolated_reading",)
_ROOT = str(Path(__file__).resolve().parent.parent.parent)
# An address-space limit counts what allocators reserve, not what they use: Arrow's own pool
# reserves a gigabyte at its first table, each glibc arena and BLAS thread tens of megabytes.
# With these, a worker's address space follows what it holds (a little over its RSS).
_WORKER_ENV = {
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    "MALLOC_ARENA_MAX": "2",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "RUST_BACKTRACE": "0",  # a reader that runs out of memory says so in one line of the log
}
_MEMORY_SIGNALS = {-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, -signal.SIGKILL}
T = TypeVar("T")


class IsolationError(Exception):
    """A file could not be read in a worker; the message says why, as a clause of a sentence."""


class LimitError(IsolationError):
    """Reading the file passed one of its limits (memory, CPU time, deadline, answer size)."""


class BusyError(IsolationError):
    """Every worker is busy and too many files wait already."""


class _Gone(Exception):
    """The worker had ended before it took the task."""


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self) -> None:
        task_read, task_write = os.pipe()
        reply_read, reply_write = os.pipe()
        env = dict(os.environ) | _WORKER_ENV
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (_ROOT, env.get("PYTHONPATH"))))
        ends = (str(task_read), str(reply_write))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dashboard.isolation.worker_process", *ends, *PRELOAD],
            pass_fds=(task_read, reply_write),
            env=env,
            stdin=subprocess.DEVNULL,
        )
        os.close(task_read)
        os.close(reply_write)
        self.tasks = Connection(task_write, readable=False)
        self.replies = Connection(reply_read, writable=False)
        self.expired = False

    def call(self, task: bytes, limits: Limits) -> Reply:
        """Send the task and wait for its reply, killing the worker at the deadline."""
        timer = threading.Timer(limits.deadline_seconds, self._expire)
        timer.start()
        try:
            try:
                self.tasks.send_bytes(task)
            except OSError:
                if self.expired:
                    raise self._ended(limits) from None
                raise _Gone from None
            data = self.replies.recv_bytes(limits.reply_bytes + (1 << 20))
        except EOFError:
            raise self._ended(limits) from None
        except OSError as exc:  # recv_bytes past its maxlength
            raise LimitError(f"what was read is larger than {limits.reply_bytes >> 20} MB") from exc
        finally:
            timer.cancel()
        reply = pickle.loads(data)
        assert isinstance(reply, Reply)
        return reply

    def _expire(self) -> None:
        self.expired = True
        self.process.kill()

    def _ended(self, limits: Limits) -> IsolationError:
        """Why the worker ended mid-task, as the refusal to raise."""
        code = self.process.wait()
        if self.expired:
            return LimitError(f"reading it took longer than {limits.deadline_seconds:.0f} s")
        if code == -signal.SIGXCPU:
            return LimitError(f"reading it took more than {limits.cpu_seconds} s of processor time")
        if code in _MEMORY_SIGNALS:
            return LimitError(f"reading it needed more than {limits.memory_mb:,} MB of memory")
        return IsolationError(f"the file reader stopped unexpectedly (exit status {code})")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.tasks.close()
        self.replies.close()


class WorkerPool:
    """`workers` worker processes, started on creation and replaced when one ends."""

    def __init__(
        self, workers: int = WORKERS, waiting: int = WAITING, wait_seconds: float = WAIT_SECONDS
    ) -> None:
        self._slots: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(workers):
            self._slots.put(_Worker())
        self._waiting_limit, self._wait_seconds = waiting, wait_seconds
        self._waiting = 0
        self._lock = threading.Lock()

    def run(self, limits: Limits, function: Callable[..., T], content: bytes, *args: object) -> T:
        """`function(content, *args)` in a worker; its value, or what it raised."""
        task = pickle.dumps(Task(function, content, args, limits), pickle.HIGHEST_PROTOCOL)
        held: list[_Worker | None] = [self._take()]
        try:
            reply = self._call(held, task, limits)
        finally:
            self._slots.put(held[0])
        if reply.raised is not None:
            if isinstance(reply.raised, ReplyTooLargeError):
                raise LimitError(f"what was read is larger than {reply.raised}")
            raise reply.raised
        return cast(T, reply.value)

    @property
    def waiting(self) -> int:
        """Callers waiting for a worker now."""
        return self._waiting

    def _take(self) -> _Worker | None:
        with self._lock:
            if self._waiting >= self._waiting_limit:
                raise BusyError(f"every file reader is busy and {self._waiting} files wait")
            self._waiting += 1
        try:
            return self._slots.get(timeout=self._wait_seconds)
        except queue.Empty:
            raise BusyError(
                f"every file reader stayed busy for {self._wait_seconds:.0f} s"
            ) from None
        finally:
            with self._lock:
                self._waiting -= 1

    def _call(self, held: list[_Worker | None], task: bytes, limits: Limits) -> Reply:
        """Run the task on held[0] (started or restarted as needed); held[0] ends as what the
        slot keeps: the worker, or None when it was stopped."""
        try:
            try:
                reply = self._started(held).call(task, limits)
            except _Gone:  # it ended while idle: a fresh worker takes the task, once
                self._stop(held)
                reply = self._started(held).call(task, limits)
        except _Gone:
            self._stop(held)
            raise IsolationError("the file reader could not take the file") from None
        except BaseException:
            self._stop(held)
            raise
        if reply.out_of_memory or reply.peak_rss_bytes > RETIRE_RSS_BYTES:
            self._stop(held)
        if reply.out_of_memory:
            raise LimitError(f"reading it needed more than {limits.memory_mb:,} MB of memory")
        return reply

    @staticmethod
    def _started(held: list[_Worker | None]) -> _Worker:
        worker = held[0]
        if worker is not None and worker.process.poll() is None:
            return worker
        if worker is not None:
            worker.stop()
        fresh = held[0] = _Worker()
        return fresh

    @staticmethod
    def _stop(held: list[_Worker | None]) -> None:
        if held[0] is not None:
            held[0].stop()
            held[0] = None

    def close(self) -> None:
        """Stop every idle worker (at exit)."""
        while True:
            try:
                worker = self._slots.get_nowait()
            except queue.Empty:
                return
            if worker is not None:
                worker.stop()


_pool: WorkerPool | None = None
_pool_lock = threading.Lock()


def default_pool() -> WorkerPool:
    """The process-wide pool, started on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = WorkerPool()
            atexit.register(_pool.close)
        return _pool


def run_isolated(limits: Limits, function: Callable[..., T], content: bytes, *args: object) -> T:
    """`function(content, *args)` in a worker of the process-wide pool, within `limits`."""
    return default_pool().run(limits, function, content, *args)
