"""A snapshot's frozen content: what a job page showed, with no token, signed URL or API link."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

import plotly.graph_objects as go
from pydantic import TypeAdapter, ValidationError

from dashboard.jobs.timing import elapsed_seconds
from dashboard.safety.markdown_safety import safe_html_again, safe_markdown_html
from dashboard.snapshot.snapshot_sections import (
    MAX_FIGURE_BYTES,
    FrozenChart,
    FrozenTable,
    SnapshotContentError,
    chart_figure,
    cleaned_chart,
    cleaned_figure_json,
    cleaned_table,
    frozen_figure,
)
from dashboard.snapshot.snapshot_visuals import FrozenVisual, cleaned_visual
from eomer_client.models import Job

__all__ = ["MAX_FIGURE_BYTES", "SnapshotContent", "SnapshotContentError"]

MAX_TEXT_CHARS = 20_000
# Version 1 held one job page; version 2 adds the page it froze and its optional sections.
# A body without a version is a version 1 body, read as before.
CONTENT_VERSION = 2
MAX_SECTIONS = 24
Page = Literal["job", "forecast", "compare"]
# The job's fields worth quoting to support; delivery is left out, its URI may be signed.
PROVENANCE_FIELDS = ("request_id", "config_hash", "dataset_hash", "model_version")
REMOTE_VISUALS_LEFT_OUT = (
    "The service's own plots, visuals and report are not part of this snapshot: they live "
    "behind the API, which a snapshot never asks."
)
LEFT_OUT = (REMOTE_VISUALS_LEFT_OUT,)


@dataclass(frozen=True)
class SnapshotContent:
    """What a page showed, frozen: facts, sanitised overview HTML, sanitised figure JSON, and
    (version 2) the page it came from, more charts and tables."""

    job_id: str
    status: str
    created_at: datetime | None = None
    completed_at: datetime | None = None
    elapsed_seconds: float | None = None
    num_items: int | None = None
    prediction_length: int | None = None
    error_code: str | None = None
    error: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    overview_html: str = ""
    figure_json: str | None = None
    left_out: tuple[str, ...] = ()
    version: int = 1
    page: Page = "job"
    charts: tuple[FrozenChart, ...] = ()
    tables: tuple[FrozenTable, ...] = ()
    visuals: tuple[FrozenVisual, ...] = ()


_ADAPTER = TypeAdapter(SnapshotContent)


def snapshot_content(
    job: Job,
    figure: go.Figure | None,
    now: datetime,
    *,
    page: Page = "job",
    tables: tuple[FrozenTable, ...] = (),
    visuals: tuple[tuple[FrozenVisual, ...], tuple[str, ...]] | None = None,
) -> SnapshotContent:
    """The job's facts and overview, `figure` cleaned like a remote one, and `tables`.

    `visuals` are the remote ones copied in and notes on those left out; None says none were
    copied (the viewer's snapshot, which does not show them).
    """
    summary = job.explainability
    overview = summary.overview_markdown if summary is not None else ""
    figure_json, left_out = (
        (None, ()) if figure is None else frozen_figure(figure, "The forecast chart")
    )
    provenance = {name: _text(getattr(job, name)) for name in PROVENANCE_FIELDS}
    copied, visual_notes = visuals if visuals is not None else ((), ())
    return SnapshotContent(
        job_id=_text(job.job_id),
        status=_text(job.status),
        created_at=job.created_at,
        completed_at=job.completed_at,
        elapsed_seconds=elapsed_seconds(job, now),
        num_items=job.num_items,
        prediction_length=job.prediction_length,
        error_code=job.error_code,
        error=_text(job.error) or None,
        provenance={name: value for name, value in provenance.items() if value},
        overview_html=safe_markdown_html(overview) if overview else "",
        figure_json=figure_json,
        left_out=(*left_out, *(visual_notes if visuals is not None else LEFT_OUT)),
        version=CONTENT_VERSION,
        page=page,
        tables=tables[:MAX_SECTIONS],
        visuals=copied[:MAX_SECTIONS],
    )


def comparison_content(
    charts: tuple[FrozenChart, ...], tables: tuple[FrozenTable, ...], left_out: tuple[str, ...]
) -> SnapshotContent:
    """What /compare showed: the runs' overlays and tables, no single job's facts."""
    return SnapshotContent(
        job_id="",
        status="",
        left_out=tuple(_text(note) for note in left_out),
        version=CONTENT_VERSION,
        page="compare",
        charts=charts[:MAX_SECTIONS],
        tables=tables[:MAX_SECTIONS],
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)[:MAX_TEXT_CHARS]


def content_body(content: SnapshotContent) -> str:
    """The content as the JSON text the store keeps."""
    return _ADAPTER.dump_json(content).decode()


def read_content(body: str) -> SnapshotContent:
    """Stored JSON back to content, cleaned again: the store is not trusted to be unchanged."""
    try:
        content = _ADAPTER.validate_json(body)
    except ValidationError as exc:
        raise SnapshotContentError(
            "This snapshot's content cannot be read; ask its creator for a new one."
        ) from exc
    if content.version > CONTENT_VERSION:
        raise SnapshotContentError(
            "This snapshot was made by a newer version of the dashboard; open it there."
        )
    figure_json = content.figure_json
    return replace(
        content,
        overview_html=safe_html_again(content.overview_html),
        figure_json=None if figure_json is None else cleaned_figure_json(figure_json),
        charts=tuple(cleaned_chart(chart) for chart in content.charts[:MAX_SECTIONS]),
        tables=tuple(cleaned_table(table) for table in content.tables[:MAX_SECTIONS]),
        visuals=tuple(cleaned_visual(visual) for visual in content.visuals[:MAX_SECTIONS]),
    )


def snapshot_figure(content: SnapshotContent) -> go.Figure | None:
    """The snapshot's chart to draw (read_content cleaned it already)."""
    return None if content.figure_json is None else chart_figure(content.figure_json)
