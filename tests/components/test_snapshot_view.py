"""A snapshot drawn from its stored body: the service's plot with the job page's "n of N" note."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.apptest import function_app


def _view_app(body: str) -> None:
    from datetime import UTC, datetime

    from components.snapshot.view import snapshot_view
    from store import SavedSnapshot, SnapshotLookup, SnapshotState

    taken = datetime(2026, 12, 1, tzinfo=UTC)
    saved = SavedSnapshot("s", "Run", taken, None, None, None, body)
    snapshot_view(SnapshotLookup(SnapshotState.FOUND, saved), UTC)


def _body() -> str:
    import plotly.graph_objects as go

    from dashboard.snapshot.snapshot_content import content_body, snapshot_content
    from dashboard.snapshot.snapshot_visuals import copied_visuals
    from eomer_client.client import Fetched
    from eomer_client.models import Job

    url = "https://files.test/plot.json"
    names = [f"{item} {role}" for item in "ABCDEF" for role in ("history", "10-90%", "mean")]
    figure = go.Figure([go.Scatter(y=[1, 2], name=name) for name in names])
    body = figure.to_json().encode()
    job = Job.model_validate(
        {"job_id": "j", "status": "completed", "forecast_plot_url": url, "num_items": 2500}
    )
    visuals = copied_visuals(job, lambda request: Fetched(body, "application/json", url))
    return content_body(
        snapshot_content(job, None, datetime(2026, 12, 1, tzinfo=UTC), visuals=visuals)
    )


def test_the_services_plot_in_a_snapshot_says_how_many_of_the_jobs_items_it_draws() -> None:
    at = function_app(_view_app, args=(_body(),)).run()
    assert not at.exception, at.exception
    # The stored note is escaped as markdown: the store is not trusted to be unchanged.
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert "The service's plot draws 6 of 2,500 items." in captions
    assert len(at.get("plotly_chart")) == 1
