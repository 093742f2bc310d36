"""What the forecast viewer and /compare freeze into a snapshot: their charts and tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

import plotly.graph_objects as go

from components.compare.compare_tables import accuracy_frame, settings_frame
from components.forecast.accuracy_table import score_table
from dashboard.analysis.accuracy import Accuracy, score
from dashboard.analysis.comparison import ComparedJob, accuracy_rows, settings_rows
from dashboard.analysis.comparison_runs import Run, of_items
from dashboard.series.observations import Observations
from dashboard.snapshot.snapshot_content import (
    SnapshotContent,
    comparison_content,
    snapshot_content,
)
from dashboard.snapshot.snapshot_sections import (
    FrozenChart,
    FrozenTable,
    frozen_chart,
    frozen_table,
)
from eomer_client.models import Job

ACCURACY_TITLE = "Accuracy against the actuals"


def accuracy_tables(accuracy: Accuracy | None) -> tuple[FrozenTable, ...]:
    """The viewer's accuracy tables (all items, then each item worst first), without links."""
    if accuracy is None:
        return ()
    scored = (
        f"Scored {accuracy.steps_scored:,} of {accuracy.steps_forecast:,} forecast steps, "
        f"{len(accuracy.items):,} item(s) with actuals; MASE's season length "
        f"{accuracy.season_length} steps."
    )
    return (
        frozen_table(f"{ACCURACY_TITLE}: all items", score_table([accuracy.overall], None), scored),
        frozen_table(f"{ACCURACY_TITLE}: by item, worst first", score_table(accuracy.items, None)),
    )


def viewer_content(job: Job, figure: go.Figure, accuracy: Accuracy | None) -> SnapshotContent:
    """The viewer as shown: the job's facts, the chart drawn, and the accuracy tables."""
    tables = accuracy_tables(accuracy)
    return snapshot_content(job, figure, datetime.now(UTC), page="forecast", tables=tables)


def comparison_snapshot(
    overlays: Sequence[tuple[str, go.Figure]],
    facts: Sequence[ComparedJob],
    runs: Sequence[Run],
    truth: Observations | None,
    shared: Sequence[str],
    tz: tzinfo,
) -> SnapshotContent:
    """/compare as shown: each item's overlay, the settings side by side, and the accuracy."""
    charts: list[FrozenChart] = []
    left_out: list[str] = []
    for item, figure in overlays:
        chart, notes = frozen_chart(item, figure)
        charts.extend([chart] if chart is not None else [])
        left_out.extend(notes)
    labels = [fact.label for fact in facts]
    settings = settings_frame(settings_rows(facts, tz, datetime.now(UTC)), labels)
    tables = [frozen_table("Settings side by side", settings)]
    if truth is not None:
        on_shared = of_items(truth, shared)
        scores = {label: score(data, on_shared) for label, data in runs}
        if any(scores.values()):
            note = f"Scored against {truth.source}, on the items every run shares."
            tables.append(
                frozen_table("Accuracy side by side", accuracy_frame(accuracy_rows(scores)), note)
            )
    return comparison_content(tuple(charts), tuple(tables), tuple(left_out))
