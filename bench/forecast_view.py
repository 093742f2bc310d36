"""Forecast viewer benchmark: download and parse a 1,000,000-row forecast CSV, draw one item.

Prints medians of 3 runs: our whole parse, and the bare read with pandas' pyarrow and default
engines (each in a fresh subprocess, for a clean peak memory); download + parse through
EomerClient from a loopback server; drawing one item (Plotly figure and its JSON); and the cost
of a multiselect listing every item against the picker's 200 matches.
Targets (issue 6): parse < 2 s, one item < 0.3 s, peak memory < 1 GB; issue 12: our whole parse
no slower than read_csv's default engine on the file, and adding at most 3x the file's size.

    python3 bench/forecast_view.py [--items 20000] [--steps 50]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pa_csv  # noqa: E402

from dashboard.forecasts.forecast_csv import ForecastData, parse_forecast_csv  # noqa: E402

# Client, Plotly and Streamlit are imported where used: parse children load only what parses.

JOB_ID = "00000000-0000-4000-8000-000000000006"
LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
RUNS = 3


def write_forecast_csv(path: Path, items: int, steps: int) -> None:
    """item_id,timestamp,mean,0.1..0.9: `items` x `steps` rows of plausible numbers."""
    rng = np.random.default_rng(6)
    level = np.repeat(rng.uniform(10, 1000, items), steps)
    mean = level * (1 + rng.normal(0, 0.05, items * steps))
    spread = np.tile(np.linspace(0.05, 0.3, steps), items) * level
    stamps = pd.date_range("2026-01-01", periods=steps, freq="h").strftime("%Y-%m-%dT%H:%M:%S")
    columns: dict[str, object] = {
        "item_id": np.repeat([f"store_{i:05d}" for i in range(items)], steps),
        "timestamp": np.tile(stamps.to_numpy(), items),
        "mean": mean.round(3),
    }
    for q in LEVELS:
        columns[str(q)] = (mean + (q - 0.5) * 2 * spread).round(3)
    options = pa_csv.WriteOptions(quoting_style="needed")
    pa_csv.write_csv(pa.table(columns), str(path), write_options=options)


@contextmanager
def serving(path: Path) -> Iterator[str]:
    """A loopback HTTP server answering GET /jobs/<id>/download with the CSV."""
    size = path.stat().st_size

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path.endswith("/download") else 404)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            with path.open("rb") as source:  # streamed, so the server adds no copy in memory
                shutil.copyfileobj(source, self.wfile, 1 << 20)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the benchmark's output to its figures

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def resident_mb() -> float:
    """This process's memory now (its peak so far may be higher)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(status.split("VmRSS:")[1].split()[0]) / 1024  # KiB


def child(engine: str, path: Path) -> None:
    """One parse in this fresh process; prints its time, and its peak memory before and after."""
    before_mb = resident_mb()  # the interpreter and its imports, before the file is read
    content = path.read_bytes()
    start = time.perf_counter()
    if engine == "ours":
        rows = len(parse_forecast_csv(content).frame)
    else:  # the read alone, same types for both engines: "pyarrow" or "c" (pandas' default)
        text = {"item_id": "string", "timestamp": "string"}
        reader: Literal["pyarrow", "c"] = "pyarrow" if engine == "pyarrow" else "c"
        rows = len(pd.read_csv(io.BytesIO(content), engine=reader, dtype=text))
    seconds = time.perf_counter() - start
    figures = {"seconds": seconds, "peak_mb": peak_mb(), "before_mb": before_mb, "rows": rows}
    print(json.dumps(figures))


def in_subprocess(engine: str, path: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", engine, str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def subprocess_medians(engine: str, path: Path) -> tuple[float, float, float]:
    """Median seconds, peak MB, and MB the parse added over the process's start."""
    runs = [in_subprocess(engine, path) for _ in range(RUNS)]
    return (
        statistics.median(run["seconds"] for run in runs),
        statistics.median(run["peak_mb"] for run in runs),
        statistics.median(run["peak_mb"] - run["before_mb"] for run in runs),
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def bench_download(base_url: str) -> tuple[float, float, ForecastData]:
    """Median seconds to download, then to parse, through the client; and the last parse."""
    from eomer_client.client import EomerClient
    from eomer_client.models import Job

    job = Job(job_id=JOB_ID, status="completed")
    downloads, parses = [], []
    data: ForecastData | None = None
    with EomerClient(base_url, "bench-token") as client:
        for _ in range(RUNS):
            data = None  # drop the previous run's frame first, as the page does
            start = time.perf_counter()
            fetched = client.download_forecast(job, max_bytes=300 * 1024 * 1024)
            downloaded = time.perf_counter()
            data = parse_forecast_csv(fetched.content)
            del fetched
            downloads.append(downloaded - start)
            parses.append(time.perf_counter() - downloaded)
    assert data is not None
    return statistics.median(downloads), statistics.median(parses), data


def bench_draw(data: ForecastData) -> float:
    """Median seconds to build one item's fan chart and serialise it as Streamlit does."""
    from components.forecast.forecast_chart import fan_figure

    picks = iter(data.items[:: max(1, len(data.items) // RUNS)])

    def draw() -> None:
        item = next(picks)
        fan_figure([(item, data.item_frame(item))], data.columns).to_json()

    return median_seconds(draw)


def _picker_script() -> None:
    """A page with one multiselect over N items; N comes from session state."""
    import streamlit as st

    count = st.session_state.get("count", 0)
    st.multiselect("Items", [f"store_{i:05d}" for i in range(count)], max_selections=5)


def bench_picker(count: int) -> tuple[float, int]:
    """Median rerun seconds and bytes sent for a multiselect listing `count` options."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_picker_script, default_timeout=60)
    at.session_state["count"] = count
    seconds = median_seconds(at.run)
    return seconds, at.multiselect[0].proto.ByteSize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    from components.common.item_picker import MAX_MATCHES

    with tempfile.TemporaryDirectory(prefix="forecast-bench-") as tmp:
        path = Path(tmp) / "forecast.csv"
        write_forecast_csv(path, args.items, args.steps)
        size_mb = path.stat().st_size / 2**20
        print(f"CSV: {args.items * args.steps:,} rows, {args.items:,} items x {args.steps} steps,")
        print(f"     {len(LEVELS)} quantile columns, {size_mb:.1f} MB; medians of {RUNS} runs")
        # pyarrow reads with several threads, so other work on the machine slows it the most.
        print(f"     load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        ours_s, ours_mb, ours_added = subprocess_medians("ours", path)
        arrow_s, arrow_mb, _ = subprocess_medians("pyarrow", path)
        c_s, c_mb, _ = subprocess_medians("c", path)
        print(f"parse, ours (pyarrow + times + index): {ours_s:5.2f} s   peak {ours_mb:5.0f} MB")
        print(f"read_csv(engine='pyarrow'), read only: {arrow_s:5.2f} s   peak {arrow_mb:5.0f} MB")
        print(f"read_csv() default engine, read only:  {c_s:5.2f} s   peak {c_mb:5.0f} MB")
        print(f"ratio default / pyarrow (read only):   {c_s / arrow_s:5.2f} x")
        ratio = c_s / ours_s
        print(f"ratio default read / our whole parse:  {ratio:5.2f} x   ", end="")
        print(f"(>= 1: {verdict(ratio >= 1)})")
        memory = ours_added / size_mb
        print(f"memory our parse adds, file included:  {ours_added:5.0f} MB = {memory:4.2f} x file")
        print(f"{'':39s}(<= 3 x the file's size: {verdict(memory <= 3)})")
        with serving(path) as base_url:
            download_s, parse_s, data = bench_download(base_url)
        print(f"download via EomerClient (loopback): {download_s:6.2f} s")
        print(f"parse after download (in process):   {parse_s:6.2f} s")
        print(f"download + parse:                    {download_s + parse_s:6.2f} s")
        print(f"draw one item (figure + to_json):    {bench_draw(data):6.3f} s")
        for count in (MAX_MATCHES, args.items):
            seconds, size = bench_picker(count)
            label = f"multiselect of {count:,} options:"
            print(f"{label:37s}{seconds:6.3f} s rerun, {size / 1024:5.0f} KB sent per rerun")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        print(f"peak memory of this process:         {peak_mb():6.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
