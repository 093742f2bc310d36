"""What orjson saves: median rerun of the richest job page and a 200-job watch list, per engine.

Streamlit serialises every Plotly figure with `plotly.io.to_json` on every run; Plotly uses orjson
when installed and the standard library's json otherwise. Both engines run here, alternated, in
the same process, so the figures compare like with like on a noisy machine.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import plotly.graph_objects as go
import plotly.io as pio

from bench.job_page import median_rerun_seconds
from bench.watchlist import JOBS, RUNNING, median_rerun, serving
from components.watchlist.watchlist_charts import elapsed_figure, size_figure, timeline_figure
from demo_api.server import start_background_server
from eomer_client.models import Job

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
        f"{what}: median json {medians['json'] * 1000:.1f} ms, orjson "
        f"{medians['orjson'] * 1000:.1f} ms; orjson saves {saved * 1000:.1f} ms "
        f"(ratio orjson/json {medians['orjson'] / medians['json']:.2f})"
    )


def watchlist_figures(count: int) -> list[go.Figure]:
    """The watch list's per-job charts for `count` finished jobs of varied size and duration."""
    now = datetime.now(UTC)
    jobs = [
        Job(
            job_id=str(uuid.uuid4()),
            status="completed",
            created_at=now - timedelta(hours=2, seconds=i),
            completed_at=now - timedelta(hours=1, seconds=i),
            elapsed_seconds=60.0 + i,
            num_items=10 + i,
            prediction_length=12,
        )
        for i in range(count)
    ]
    made = [elapsed_figure(jobs, now), timeline_figure(jobs, now, UTC), size_figure(jobs, now, [])]
    return [figure for figure in made if figure is not None]


def serialise_seconds(figures: list[go.Figure]) -> float:
    """One `plotly.io.to_json` of every figure, as Streamlit does on each run that draws them."""
    started = time.perf_counter()
    for figure in figures:
        pio.to_json(figure, validate=False)
    return time.perf_counter() - started


def main() -> None:
    figures = watchlist_figures(JOBS)
    report(
        f"serialising the watch list's charts of {JOBS} jobs alone",
        compare(lambda: statistics.median(serialise_seconds(figures) for _ in range(20))),
    )
    api_url = start_background_server(faults=True, progress_seconds=3600)
    report("job page rerun, completed_full", compare(lambda: median_rerun_seconds(api_url)[1]))
    ids = [str(uuid.uuid4()) for _ in range(JOBS)]
    with serving(set(ids[:RUNNING])) as server:
        report(
            f"watch list rerun, {JOBS} jobs", compare(lambda: median_rerun(ids, server.base_url))
        )


if __name__ == "__main__":
    main()
