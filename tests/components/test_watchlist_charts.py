"""Figures of the watch list: status shown by symbol, pattern and words, not colour alone."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import plotly.graph_objects as go
import pytest

from components.common.chart_style import (
    MAX_PLOT_PX,
    STYLES,
    TOOLBAR_BAND_PX,
    dwarfed,
    short_labels,
)
from components.watchlist.watchlist_chart_marks import TOP_N
from components.watchlist.watchlist_charts import elapsed_figure, size_figure, timeline_figure
from components.watchlist.watchlist_range_chart import range_figure
from dashboard.jobs.elapsed_stats import completed_elapsed, estimate_etas, typical_range
from eomer_client.models import Job

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
BERLIN_OFFSET = timedelta(hours=1)


def job(job_id: str, status: str, elapsed: float | None = 60.0, size: int | None = 10) -> Job:
    created = NOW - timedelta(hours=1)
    terminal = status in {"completed", "failed"}
    return Job(
        job_id=job_id,
        status=status,
        created_at=created,
        completed_at=created + timedelta(seconds=elapsed) if terminal and elapsed else None,
        elapsed_seconds=elapsed if terminal else None,
        num_items=size,
        prediction_length=None if size is None else 12,
    )


MIX = [
    job("c1-aaaaaaaa", "completed", 100),
    job("c2-bbbbbbbb", "completed", 110, 20),
    job("c3-cccccccc", "completed", 120, 40),
    job("c4-dddddddd", "completed", 130, 80),
    job("c5-eeeeeeee", "completed", 5000, 80),
    job("f1-ffffffff", "failed", 5),
    job("r1-gggggggg", "running"),
    job("p1-hhhhhhhh", "pending"),
    job("u1-iiiiiiii", "paused"),
]


def names(fig: go.Figure) -> list[str]:
    return [trace.name for trace in fig.data]


def test_the_okabe_ito_styles_differ_in_symbol_and_pattern_too() -> None:
    assert len({s.symbol for s in STYLES.values()}) == len(STYLES)
    assert len({s.pattern for s in STYLES.values()}) == len(STYLES)
    assert {s.color for s in STYLES.values()} <= {"#009E73", "#D55E00", "#0072B2", "#E69F00"}


def test_elapsed_bars_are_sorted_and_running_ones_are_labelled_and_arrowed() -> None:
    fig = elapsed_figure(MIX, NOW)
    assert fig is not None
    assert names(fig) == ["completed", "failed", "running", "pending", "unknown: paused"]
    order = list(fig.layout.yaxis.categoryarray)
    assert order[-1] == "c5-eeeee"  # longest first, i.e. at the top
    running = fig.data[2]
    assert running.marker.pattern.shape == "/"
    assert "running ▶" in running.text[0]
    assert "so far" in running.text[0]
    assert len(fig.layout.annotations) == 3  # running, pending and the unknown status grow


def test_timeline_runs_from_created_to_completed_or_now_in_the_viewer_zone() -> None:
    from zoneinfo import ZoneInfo

    fig = timeline_figure(MIX, NOW, ZoneInfo("Europe/Berlin"))
    assert fig is not None
    running = fig.data[names(fig).index("running")]
    assert running.x[0] == 3600 * 1000
    assert running.base[0] == (NOW - timedelta(hours=1) + BERLIN_OFFSET).replace(tzinfo=None)
    assert "now" in running.text[0]
    assert "Europe/Berlin" in fig.layout.xaxis.title.text


def test_size_scatter_uses_log_axes_and_flags_outliers_in_words() -> None:
    band = typical_range(completed_elapsed(MIX, NOW))
    assert band is not None
    fig = size_figure(MIX, NOW, band.outliers)
    assert fig is not None
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.yaxis.type == "log"
    outlier = fig.data[names(fig).index("outlier")]
    assert list(outlier.text) == ["outlier"]
    symbols = {trace.name: trace.marker.symbol for trace in fig.data}
    assert symbols["completed"] != symbols["failed"] != symbols["running"]


def test_range_figure_shades_the_typical_range_and_shows_each_eta() -> None:
    completed = completed_elapsed(MIX, NOW)
    band = typical_range(completed)
    etas = estimate_etas(MIX, NOW)
    fig = range_figure(completed, band, etas)
    assert fig is not None
    assert any(shape.type == "rect" for shape in fig.layout.shapes)
    assert "outlier" in names(fig)
    so_far = fig.data[names(fig).index("so far")]
    assert len(so_far.y) == len(etas) == 3
    assert "expected total (ETA)" in names(fig)


def test_charts_handle_an_empty_list_a_single_job_all_failed_and_missing_fields() -> None:
    assert elapsed_figure([], NOW) is None
    assert timeline_figure([], NOW, UTC) is None
    assert size_figure([], NOW, []) is None
    assert range_figure({}, None, {}) is None
    single = [job("only", "completed", 42)]
    assert elapsed_figure(single, NOW) is not None
    assert range_figure(completed_elapsed(single, NOW), None, {}) is not None
    failed = [job("f1", "failed", 3), job("f2", "failed", None)]
    assert elapsed_figure(failed, NOW) is not None
    bare = [Job(job_id="x", status="completed"), Job(job_id="y", status="running")]
    assert elapsed_figure(bare, NOW) is None
    assert timeline_figure(bare, NOW, UTC) is None
    assert size_figure(bare, NOW, []) is None


def test_short_labels_fall_back_to_whole_ids_when_prefixes_collide() -> None:
    assert short_labels(["abcdefgh-1", "abcdefgh-2"]) == {
        "abcdefgh-1": "abcdefgh-1",
        "abcdefgh-2": "abcdefgh-2",
    }
    assert short_labels(["abcdefgh-1", "zzzzzzzz-2"]) == {
        "abcdefgh-1": "abcdefgh",
        "zzzzzzzz-2": "zzzzzzzz",
    }


HOSTILE_ID = '<a href="http://127.0.0.2:9/chart" target="_top">job</a>'


def drawn_text(fig: go.Figure) -> list[str]:
    """Every string the chart hands Plotly, but our own hover templates and the theme."""
    figure = fig.to_dict()
    figure["layout"].pop("template", None)

    def walk(value: object, key: str = "") -> list[str]:
        if isinstance(value, dict):
            return [s for k, item in value.items() for s in walk(item, k)]
        if isinstance(value, list | tuple):
            return [s for item in value for s in walk(item, key)]
        return [value] if isinstance(value, str) and key != "hovertemplate" else []

    return walk(figure)


def test_remote_ids_and_statuses_are_drawn_as_written_never_as_plotly_markup() -> None:
    jobs = [job(HOSTILE_ID, "completed", 100), job("r1-gggggggg", f"<b>{HOSTILE_ID}</b>")]
    completed = completed_elapsed(jobs, NOW)
    figures = [
        elapsed_figure(jobs, NOW),
        timeline_figure(jobs, NOW, UTC),
        size_figure(jobs, NOW, [HOSTILE_ID]),
        range_figure(completed, typical_range(completed), estimate_etas(jobs, NOW)),
    ]
    for fig in figures:
        assert fig is not None
        assert [text for text in drawn_text(fig) if "<" in text or ">" in text] == []
    elapsed = figures[0]
    assert elapsed is not None
    assert "unknown: &lt;b&gt;&lt;a href=" in names(elapsed)[-1]
    assert list(elapsed.data[0].customdata) == [
        HOSTILE_ID.replace("<", "&lt;").replace(">", "&gt;")
    ]


def test_the_size_chart_names_a_status_in_its_hover_without_pasting_it_into_the_template() -> None:
    fig = size_figure([job("u1-iiiiiiii", "%{customdata}", 60)], NOW, [])
    assert fig is not None
    assert fig.data[0].hovertemplate.endswith("<extra>%{fullData.name}</extra>")


def recent(job_id: str, status: str, seconds: float) -> Job:
    """A job created `seconds` before NOW: finished at NOW, or running for that long."""
    terminal = status != "running"
    return Job(
        job_id=job_id,
        status=status,
        created_at=NOW - timedelta(seconds=seconds),
        completed_at=NOW if terminal else None,
        elapsed_seconds=seconds if terminal else None,
        num_items=10,
        prediction_length=12,
    )


def many(count: int, long_one: float | None = 1800.0) -> list[Job]:
    """`count` jobs of 30 to 60 s, a third of them running, and one that took `long_one` s."""
    jobs = [
        recent(f"{index:04d}-job", "running" if index % 3 == 0 else "completed", 30 + index % 31)
        for index in range(count)
    ]
    if long_one is not None and count > 1:
        jobs[1] = recent("0001-long", "completed", long_one)
    return jobs


def all_figures(jobs: list[Job], limit: int | None) -> list[go.Figure]:
    completed = completed_elapsed(jobs, NOW)
    band = typical_range(completed)
    figures = [
        elapsed_figure(jobs, NOW, limit),
        timeline_figure(jobs, NOW, UTC, limit),
        size_figure(jobs, NOW, band.outliers if band else []),
        range_figure(completed, band, estimate_etas(jobs, NOW), limit),
    ]
    return [fig for fig in figures if fig is not None]


def test_one_job_that_dwarfs_the_rest_puts_elapsed_on_a_log_axis_and_says_so() -> None:
    fig = elapsed_figure(many(50), NOW)
    assert fig is not None
    assert fig.layout.xaxis.type == "log"
    assert "log scale" in fig.layout.xaxis.title.text
    even = elapsed_figure(many(50, long_one=None), NOW)
    assert even is not None
    assert even.layout.xaxis.type != "log"
    assert dwarfed([1, 1, 21]) is True
    assert dwarfed([1, 1, 20]) is False
    assert dwarfed([0, 5]) is False


def test_the_bar_charts_draw_the_top_n_unless_asked_for_all() -> None:
    jobs = many(50)
    top = elapsed_figure(jobs, NOW)
    assert top is not None
    assert len(top.layout.yaxis.categoryarray) == TOP_N
    assert top.layout.yaxis.categoryarray[-1] == "0001-lon"  # the longest, at the top
    every = elapsed_figure(jobs, NOW, None)
    assert every is not None
    assert len(every.layout.yaxis.categoryarray) == 50
    timeline = timeline_figure(jobs, NOW, UTC)
    assert timeline is not None
    assert len(timeline.layout.yaxis.categoryarray) == TOP_N


def test_every_chart_stays_within_600_px_from_1_to_500_jobs() -> None:
    for count in (1, 5, 50, 500):
        for limit in (TOP_N, None):
            for fig in all_figures(many(count), limit):
                assert fig.layout.height <= MAX_PLOT_PX + TOOLBAR_BAND_PX <= 600


def test_bar_text_sits_inside_its_bar_at_one_size_and_hides_where_it_would_not_fit() -> None:
    for fig in all_figures(many(50), None)[:2]:
        assert {trace.textposition for trace in fig.data if trace.type == "bar"} == {"inside"}
        assert fig.layout.uniformtext.mode == "hide"
        assert fig.layout.uniformtext.minsize >= 10


def test_eta_and_outlier_points_carry_no_text_that_could_pile_up() -> None:
    jobs = many(60)
    for fig in all_figures(jobs, None)[2:]:
        assert [trace.name for trace in fig.data if "text" in (trace.mode or "")] == []
    ranged = all_figures(jobs, None)[3]
    assert len(ranged.data[names(ranged).index("so far")].y) == 20  # every running job


def test_a_running_jobs_arrow_points_at_its_bar_end_on_a_log_axis() -> None:
    fig = elapsed_figure([*many(10), recent("r9-running", "running", 7200)], NOW)
    assert fig is not None
    assert fig.layout.xaxis.type == "log"
    rows = list(fig.layout.yaxis.categoryarray)
    (arrow,) = [a for a in fig.layout.annotations if a.y == rows.index("r9-runni")]
    assert arrow.x == pytest.approx(math.log10(7200))


def test_ids_that_look_like_numbers_stay_rows_and_arrows_point_at_them_by_index() -> None:
    jobs = [recent("47145486-aaaa", "running", 40), recent("b857adb6-bbbb", "completed", 50)]
    for fig in all_figures(jobs, None)[:2]:
        assert fig.layout.yaxis.type == "category"
    elapsed = all_figures(jobs, None)[0]
    assert [a.y for a in elapsed.layout.annotations] == [0]  # the bottom row, not row 47145486
