"""Files are parsed in worker processes within memory, CPU and wall-clock limits, queued."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.isolation import worker_pool
from dashboard.isolation.worker_pool import BusyError, LimitError, Limits, WorkerPool
from tests.dashboard import worker_tasks

QUICK = Limits(memory_bytes=256 << 20, cpu_seconds=10, deadline_seconds=60.0)


@pytest.fixture(scope="module", autouse=True)
def bare_workers() -> Iterator[None]:
    """Workers that import no reader ahead: these tasks need none, and each test that ends a
    task waits for a new worker, which imported pandas and pyarrow first (~1.5 s of CPU)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker_pool, "PRELOAD", ())
        yield


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    """Two workers shared by the tests that end their tasks (limits replace a worker)."""
    started = WorkerPool(workers=2)
    yield started
    started.close()


def test_a_task_runs_in_another_process_and_returns_its_value(pool: WorkerPool) -> None:
    pid, size, args = pool.run(QUICK, worker_tasks.pid_and_args, b"abcd", 1, "two")
    assert pid != os.getpid()
    assert (size, args) == (4, (1, "two"))


def test_what_a_task_raises_is_raised_here(pool: WorkerPool) -> None:
    with pytest.raises(ValueError, match="refused this"):
        pool.run(QUICK, worker_tasks.refuse, b"this")


def test_a_task_past_its_cpu_time_is_ended_and_the_next_one_runs(pool: WorkerPool) -> None:
    with pytest.raises(LimitError, match="more than 1 s of processor time"):
        pool.run(Limits(cpu_seconds=1, deadline_seconds=120.0), worker_tasks.spin, b"")
    assert pool.run(QUICK, worker_tasks.pid_and_args, b"after")[1] == 5


def test_a_task_past_its_memory_is_ended_and_the_next_one_runs(pool: WorkerPool) -> None:
    with pytest.raises(LimitError, match="more than 256 MB of memory"):
        pool.run(QUICK, worker_tasks.hoard, b"")
    assert pool.run(QUICK, worker_tasks.pid_and_args, b"after")[1] == 5


def test_a_task_past_its_deadline_is_killed_and_its_worker_replaced(
    pool: WorkerPool, tmp_path: Path
) -> None:
    fifo = tmp_path / "never-opened"
    os.mkfifo(fifo)
    with pytest.raises(LimitError, match="took longer than 2 s"):
        pool.run(Limits(deadline_seconds=2.0), worker_tasks.wait_for, str(fifo).encode())
    assert [pool.run(QUICK, worker_tasks.pid_and_args, b"ab")[1] for _ in range(3)] == [2, 2, 2]


def test_an_answer_past_its_size_is_refused(pool: WorkerPool) -> None:
    with pytest.raises(LimitError, match="larger than"):
        pool.run(Limits(reply_bytes=1 << 20), worker_tasks.large, str(4 << 20).encode())


def test_past_the_queue_limit_a_caller_is_told_the_readers_are_busy(tmp_path: Path) -> None:
    single = WorkerPool(workers=1, waiting=1, wait_seconds=120.0)
    fifo = tmp_path / "release"
    os.mkfifo(fifo)
    answers: list[bytes] = []
    holder = threading.Thread(
        target=lambda: answers.append(single.run(QUICK, worker_tasks.wait_for, str(fifo).encode()))
    )
    holder.start()
    # Opening the FIFO for writing waits until the worker opened it: the worker is taken.
    with open(fifo, "wb") as release:
        waiting = threading.Thread(target=lambda: single.run(QUICK, worker_tasks.pid_and_args, b""))
        waiting.start()
        deadline = time.monotonic() + 60
        while single.waiting < 1 and time.monotonic() < deadline:
            time.sleep(0.01)  # until the second caller waits for the worker
        try:
            with pytest.raises(BusyError, match="busy"):
                single.run(QUICK, worker_tasks.pid_and_args, b"")
        finally:
            release.write(b"done")
    holder.join(timeout=120)
    waiting.join(timeout=120)
    single.close()
    assert answers == [b"done"]
