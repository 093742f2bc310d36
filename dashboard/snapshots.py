"""A snapshot's frozen content: what a job page showed, with no token, signed URL or API link."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import plotly.graph_objects as go
from pydantic import TypeAdapter, ValidationError

from dashboard.markdown_safety import safe_html_again, safe_markdown_html
from dashboard.plotly_safety import safe_figure
from dashboard.timing import elapsed_seconds
from eomer_client.models import Job

# A figure bigger than this (a forecast of many long items) is left out instead of stored.
MAX_FIGURE_BYTES = 4 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
# The job's fields worth quoting to support; delivery is left out, its URI may be signed.
PROVENANCE_FIELDS = ("request_id", "config_hash", "dataset_hash", "model_version")
REMOTE_VISUALS_LEFT_OUT = (
    "The service's own plots, visuals and report are not part of snapshots: they live behind "
    "the API, which a snapshot never asks."
)


class SnapshotContentError(ValueError):
    """A stored snapshot's content cannot be read back (changed, or of another version)."""


@dataclass(frozen=True)
class SnapshotContent:
    """What a job page showed, frozen: facts, sanitised overview HTML, sanitised figure JSON."""

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


_ADAPTER = TypeAdapter(SnapshotContent)


def snapshot_content(job: Job, figure: go.Figure | None, now: datetime) -> SnapshotContent:
    """The job's facts and overview, and `figure` cleaned like a remote one; nothing else."""
    summary = job.explainability
    overview = summary.overview_markdown if summary is not None else ""
    figure_json, left_out = _frozen_figure(figure)
    provenance = {name: _text(getattr(job, name)) for name in PROVENANCE_FIELDS}
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
        left_out=(*left_out, REMOTE_VISUALS_LEFT_OUT),
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)[:MAX_TEXT_CHARS]


def _frozen_figure(figure: go.Figure | None) -> tuple[str | None, tuple[str, ...]]:
    if figure is None:
        return None, ()
    text = safe_figure(figure.to_plotly_json()).figure.to_json()
    if len(text.encode()) > MAX_FIGURE_BYTES:
        megabytes = MAX_FIGURE_BYTES >> 20
        return None, (f"The forecast chart is over {megabytes} MB and was left out.",)
    return text, ()


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
    return replace(
        content,
        overview_html=safe_html_again(content.overview_html),
        figure_json=_cleaned_json(content.figure_json),
    )


def _cleaned_json(figure_json: str | None) -> str | None:
    if figure_json is None:
        return None
    try:
        spec: Any = json.loads(figure_json)
        text: str = safe_figure(spec if isinstance(spec, dict) else {}).figure.to_json()
    except ValueError as exc:
        raise SnapshotContentError(
            "This snapshot's chart cannot be read; ask its creator for a new one."
        ) from exc
    return text


def snapshot_figure(content: SnapshotContent) -> go.Figure | None:
    """The snapshot's chart to draw (read_content cleaned it already)."""
    if content.figure_json is None:
        return None
    return go.Figure(json.loads(content.figure_json), skip_invalid=True)
