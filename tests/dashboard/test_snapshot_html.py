"""The snapshot's HTML download: self-contained, escaped, and loading nothing from anywhere."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go

from dashboard.snapshot.snapshot_content import (
    SnapshotContent,
    comparison_content,
    snapshot_content,
)
from dashboard.snapshot.snapshot_html import snapshot_html
from dashboard.snapshot.snapshot_sections import frozen_chart, frozen_table
from eomer_client.models import Job

TAKEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
HOSTILE = '<img src=x onerror="alert(1)">'


def content(figure: go.Figure | None) -> SnapshotContent:
    job = Job.model_validate(
        {
            "job_id": "job-1",
            "status": "failed",
            "error": HOSTILE,
            "model_version": "</script><script>alert(2)</script>",
            "explainability": {"enabled": True, "overview_markdown": "**Fine** " + HOSTILE},
        }
    )
    return snapshot_content(job, figure, TAKEN)


def test_every_text_is_escaped() -> None:
    page = snapshot_html(content(None), HOSTILE, TAKEN, HOSTILE)
    assert "<img" not in page
    assert "<script" not in page
    assert "&lt;img src=x" in page
    assert "2026-12-01 09:30:00 UTC" in page


def test_only_the_files_own_scripts_run_and_nothing_loads() -> None:
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="</script><script>alert(3)</script>"))
    page = snapshot_html(content(figure), "Weekly", TAKEN, None)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1)
    assert "connect-src 'none'" in policy.group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 2  # plotly.js and the drawing: the figure's JSON block is inert
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy.group(1)
    assert "alert(3)" in page
    assert "<script>alert(3)" not in page


def test_every_kept_chart_and_table_is_in_the_file_escaped() -> None:
    chart, _ = frozen_chart("<b>AAPL</b>", go.Figure(go.Scatter(x=[1], y=[2])))
    assert chart is not None
    table = frozen_table(HOSTILE, pd.DataFrame({HOSTILE: [HOSTILE, None]}), HOSTILE)
    page = snapshot_html(comparison_content((chart, chart), (table,), ()), "t", TAKEN, None)
    assert page.count('data-chart="snapshot-chart-') == 2
    assert "<img" not in page
    assert page.count("&lt;img src=x") == 4  # the title, the column, the cell and the note
    assert "&lt;b&gt;AAPL&lt;/b&gt;" in page
