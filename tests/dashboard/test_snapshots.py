"""Snapshot content: the job's facts and overview kept sanitised, no token or link kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.snapshot.snapshot_content import (
    CONTENT_VERSION,
    MAX_FIGURE_BYTES,
    SnapshotContentError,
    comparison_content,
    content_body,
    read_content,
    snapshot_content,
    snapshot_figure,
)
from dashboard.snapshot.snapshot_sections import (
    MAX_TABLE_ROWS,
    frozen_chart,
    frozen_table,
    table_frame,
)
from eomer_client.models import Job

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SIGNED = "https://bucket.example/f.csv?X-Amz-Signature=deadbeef"
HOSTILE_OVERVIEW = (
    "**Mean error** fell. <script>alert(1)</script> ![beacon](https://evil.example/b.png) "
    "[click](javascript:alert(2))"
)


def job(**fields: object) -> Job:
    body = {
        "job_id": "job-1",
        "status": "completed",
        "created_at": "2026-11-29T13:00:00Z",
        "completed_at": "2026-11-29T13:00:42Z",
        "prediction_length": 24,
        "num_items": 3,
        "request_id": "req-9",
        "model_version": "eomer-1.2",
        "download_url": SIGNED,
        "forecast_plot_url": SIGNED,
        "report_url": SIGNED,
        "delivery_uri": SIGNED,
        "explainability": {"enabled": True, "overview_markdown": HOSTILE_OVERVIEW},
        **fields,
    }
    return Job.model_validate(body)


def hostile_figure() -> go.Figure:
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name='<a href="https://evil.example">x</a>'))
    figure.update_layout(images=[{"source": "https://evil.example/pixel.png"}])
    return figure


def test_the_content_keeps_facts_and_provenance_but_no_link_of_the_api() -> None:
    content = snapshot_content(job(), None, NOW)
    assert (content.job_id, content.status, content.num_items) == ("job-1", "completed", 3)
    assert content.elapsed_seconds == 42
    assert content.provenance == {"request_id": "req-9", "model_version": "eomer-1.2"}
    body = content_body(content)
    assert "bucket.example" not in body
    assert "Signature" not in body


def test_the_overview_is_kept_as_the_job_page_sanitises_it() -> None:
    content = snapshot_content(job(), None, NOW)
    assert "<strong>Mean error</strong>" in content.overview_html
    for hostile in ("<script", "evil.example", 'href="javascript', "<img"):
        assert hostile not in content.overview_html


def test_the_figure_is_cleaned_like_a_remote_one() -> None:
    content = snapshot_content(job(), hostile_figure(), NOW)
    assert content.figure_json is not None
    assert "evil.example" not in content.figure_json
    figure = snapshot_figure(read_content(content_body(content)))
    assert figure is not None
    assert list(figure.data[0].y) == [3, 4]


def test_a_figure_too_big_is_left_out_and_said() -> None:
    # Each point writes ~19 bytes of JSON: 4.9 MB, 16% over the limit. Plotly validates a
    # figure point by point (~4 s of CPU here), so it is not made any bigger than that.
    points = MAX_FIGURE_BYTES // 16
    big = go.Figure(go.Scatter(x=list(range(points)), y=[1.123456789] * points))
    content = snapshot_content(job(), big, NOW)
    assert content.figure_json is None
    assert any("left out" in note for note in content.left_out)


def test_content_changed_in_the_store_is_cleaned_again_on_reading() -> None:
    stored = json.loads(content_body(snapshot_content(job(), hostile_figure(), NOW)))
    stored["overview_html"] = '<p onclick="x()">hi</p><script>alert(1)</script><img src=x>'
    stored["figure_json"] = hostile_figure().to_json()
    content = read_content(json.dumps(stored))
    assert content.overview_html == "<p>hi</p>"
    assert content.figure_json is not None
    assert "evil.example" not in content.figure_json


@pytest.mark.parametrize("body", ["", "[]", '{"job_id": 1}', '{"job_id": "j", "status": "x", '])
def test_unreadable_content_says_to_ask_for_a_new_snapshot(body: str) -> None:
    with pytest.raises(SnapshotContentError, match="ask its creator"):
        read_content(body)


def test_a_version_1_body_reads_as_before_and_a_newer_version_says_so() -> None:
    stored = json.loads(content_body(snapshot_content(job(), None, NOW)))
    for key in ("version", "page", "charts", "tables"):
        del stored[key]
    old = read_content(json.dumps(stored))
    assert (old.version, old.page, old.charts, old.tables) == (1, "job", (), ())
    stored["version"] = CONTENT_VERSION + 1
    with pytest.raises(SnapshotContentError, match="newer version"):
        read_content(json.dumps(stored))


def test_tables_keep_plain_bounded_values_and_say_what_was_cut() -> None:
    frame = pd.DataFrame(
        {"item": ["<b>x</b>"] * (MAX_TABLE_ROWS + 1), "MAE": [float("nan")] * (MAX_TABLE_ROWS + 1)}
    )
    table = frozen_table("Accuracy", frame, "Scored 3 of 4.")
    assert len(table.rows) == MAX_TABLE_ROWS
    assert table.rows[0] == ("<b>x</b>", None)
    assert table.note == f"Scored 3 of 4. Kept: the first {MAX_TABLE_ROWS:,} of 501 rows."


def test_charts_and_tables_changed_in_the_store_are_cleaned_again() -> None:
    chart, _ = frozen_chart("AAPL", go.Figure(go.Scatter(x=[1], y=[2])))
    assert chart is not None
    content = comparison_content((chart,), (frozen_table("t", pd.DataFrame({"a": [1]})),), ())
    stored = json.loads(content_body(content))
    stored["charts"][0]["figure_json"] = hostile_figure().to_json()
    stored["tables"][0]["rows"] = [[1, 2, 3]] * (MAX_TABLE_ROWS + 5)
    read = read_content(json.dumps(stored))
    assert "evil.example" not in read.charts[0].figure_json
    assert len(read.tables[0].rows) == MAX_TABLE_ROWS
    assert table_frame(read.tables[0]).shape == (MAX_TABLE_ROWS, 1)
