"""What orjson saves: median rerun of the richest job page and a 200-job watch list, per engine.

Streamlit serialises every Plotly figure with `plotly.io.to_json` on every run; Plotly uses orjson
when installed and the standard library's json otherwise. Both engines run here, alternated, in
the same process, so the figures compare like with like on a noisy machine.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Callable

import plotly.io as pio

from bench.job_page import median_rerun_seconds
from bench.watchlist import JOBS, RUNNING, median_rerun, serving
from demo_api.server import start_background_server

ENGINES = ("json", "orjson")
ROUNDS = 3


def compare(measure: Callable[[], float]) -> dict[str, float]:
    """Median over ROUNDS of `measure()` per engine, engines alternated within each round."""
    samples: dict[str, list[float]] = {engine: [] for engine in ENGINES}
    for _ in range(ROUNDS):
        for engine in ENGINES:
            pio.json.config.default_engine = engine
            samples[engine].append(measure())
    pio.json.config.default_engine = "auto"
    return {engine: statistics.median(values) for engine, values in samples.items()}


def report(what: str, medians: dict[str, float]) -> None:
    saved = medians["json"] - medians["orjson"]
    print(
        f"{what}: median rerun json {medians['json'] * 1000:.0f} ms, orjson "
        f"{medians['orjson'] * 1000:.0f} ms; orjson saves {saved * 1000:.0f} ms per rerun "
        f"(ratio orjson/json {medians['orjson'] / medians['json']:.2f})"
    )


def main() -> None:
    api_url = start_background_server(faults=True, progress_seconds=3600)
    report("job page, completed_full", compare(lambda: median_rerun_seconds(api_url)[1]))
    ids = [str(uuid.uuid4()) for _ in range(JOBS)]
    with serving(set(ids[:RUNNING])) as server:
        report(f"watch list, {JOBS} jobs", compare(lambda: median_rerun(ids, server.base_url)))


if __name__ == "__main__":
    main()
