"""Issue 23's figures: reading a 200,000-row long file of series against `pandas.read_csv`.

Builds a long file (item,time,value: 200 series of 1,000 hourly values, about 6 MB) and reads
its bytes with our reader (read_table, guess_columns, to_observations: what /new and the viewer
do in their worker) and with `pandas.read_csv`, in the same run. Time: the median of RUNS
runs in this process. Peak memory: each reader once in a fresh child process, its peak resident
memory above what it held before reading (the kernel's high-water mark, reset first). The
done-when: at most 2x the time and 3x the memory of `pandas.read_csv`.
"""

from __future__ import annotations

import io
import multiprocessing
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.series_files import guess_columns, read_table, to_observations

ROWS = 200_000
SERIES = 200
RUNS = 7
MAX_TIME_RATIO = 2.0
MAX_MEMORY_RATIO = 3.0
_LIMIT = 64 << 20


def long_file(rows: int = ROWS, series: int = SERIES) -> bytes:
    """item,time,value rows: `series` series of rows // series hourly values each."""
    per = rows // series
    rng = np.random.default_rng(23)
    times = pd.date_range("2024-01-01", periods=per, freq="h").strftime("%Y-%m-%dT%H:%M:%S")
    frame = pd.DataFrame(
        {
            "item_id": np.repeat([f"s{n:04d}" for n in range(series)], per),
            "timestamp": np.tile(times.to_numpy(), series),
            "target": np.round(rng.normal(100.0, 15.0, per * series), 2),
        }
    )
    return frame.to_csv(index=False).encode()


def ours(content: bytes) -> int:
    frame = read_table(content, "long.csv", _LIMIT)
    return len(to_observations(frame, guess_columns(frame), "bench").frame)


def pandas_csv(content: bytes) -> int:
    return len(pd.read_csv(io.BytesIO(content)))


READERS: dict[str, Callable[[bytes], int]] = {"ours": ours, "pandas.read_csv": pandas_csv}


def median_seconds(content: bytes, runs: int = RUNS) -> dict[str, float]:
    """Each reader's median time; runs alternate, so a busy machine slows both alike."""
    times: dict[str, list[float]] = {name: [] for name in READERS}
    for reader in READERS.values():
        reader(content)  # warm: imports, caches
    for _ in range(runs):
        for name, reader in READERS.items():
            started = time.perf_counter()
            reader(content)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(taken) for name, taken in times.items()}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _peak_in_child(name: str, content: bytes, answer: multiprocessing.Queue[int]) -> None:
    reader = READERS[name]
    reader(content[:100_000])  # imports and first-call caches are no part of the reading
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to what is held now
    before = _status_kb("VmRSS")
    reader(content)
    answer.put((_status_kb("VmHWM") - before) * 1024)


def peak_bytes(name: str, content: bytes) -> int:
    context = multiprocessing.get_context("fork")
    answer: multiprocessing.Queue[int] = context.Queue()
    child = context.Process(target=_peak_in_child, args=(name, content, answer))
    child.start()
    peak = answer.get(timeout=300)
    child.join()
    return peak


def main() -> None:
    content = long_file()
    print(f"long file: {ROWS:,} rows, {SERIES} series, {len(content) / 1e6:.1f} MB")
    seconds = median_seconds(content)
    peaks = {
        name: statistics.median(peak_bytes(name, content) for _ in range(3)) for name in READERS
    }
    for name in READERS:
        print(
            f"{name:>16}: {seconds[name] * 1000:8.1f} ms (median of {RUNS}), "
            f"peak {peaks[name] / 1e6:7.1f} MB (median of 3 children)"
        )
    time_ratio = seconds["ours"] / seconds["pandas.read_csv"]
    memory_ratio = peaks["ours"] / peaks["pandas.read_csv"]
    print(
        f"ratios: time {time_ratio:.2f}x (at most {MAX_TIME_RATIO:g}x), "
        f"memory {memory_ratio:.2f}x (at most {MAX_MEMORY_RATIO:g}x)"
    )


if __name__ == "__main__":
    main()
