"""Remote visuals copied into a snapshot: fetched as the job page does, kept sanitised, no link."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime

import plotly.graph_objects as go
from PIL import Image

from dashboard.caching.content_cache import ContentRequest
from dashboard.forecasts.plot_items import items_note
from dashboard.safety.render_policy import (
    MAX_CONTENT_BYTES,
    PLOT_ACCEPTED_TYPES,
    REPORT_ACCEPTED_TYPES,
)
from dashboard.snapshot.snapshot_content import content_body, read_content, snapshot_content
from dashboard.snapshot.snapshot_html import snapshot_html
from dashboard.snapshot.snapshot_sections import chart_figure
from dashboard.snapshot.snapshot_visuals import LINK_REMOVED, MAX_VISUAL_CHARS, copied_visuals
from eomer_client.client import Fetched
from eomer_client.errors import ContentError
from eomer_client.models import Job

NOW = datetime(2026, 12, 1, tzinfo=UTC)
QUERY = "X-Amz-Expires=900&X-Amz-Signature=deadbeef0123"
PLOT = f"https://bucket.example/plot.json?{QUERY}"
REPORT = f"https://bucket.example/report.html?{QUERY}"
VISUAL = "https://bucket.example/visual.svg?sig=cafe"
DOWNLOAD = "https://bucket.example/visual.png?sig=f00d"
ROLES = ("history", "10-90%", "mean")


def job(**fields: object) -> Job:
    artifact = {
        "artifact_id": "a1",
        "label": "Seasonality",
        "format": "svg",
        "embed_url": VISUAL,
        "download_url": DOWNLOAD,
        "is_primary_visual": True,
    }
    body = {
        "job_id": "job-1",
        "status": "completed",
        "forecast_plot_url": PLOT,
        "report_url": REPORT,
        "download_url": f"https://bucket.example/f.csv?{QUERY}",
        "explainability": {"enabled": True, "artifacts": [artifact]},
        **fields,
    }
    return Job.model_validate(body)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, format="PNG")
    return out.getvalue()


HOSTILE_FIGURE = go.Figure(go.Scatter(x=[1], y=[2]))
HOSTILE_FIGURE.update_layout(images=[{"source": "https://evil.example/pixel.png"}])
BODIES = {
    PLOT: Fetched(HOSTILE_FIGURE.to_json().encode(), "application/json", PLOT),
    REPORT: Fetched(
        f'<h1>Report</h1><script>alert(1)</script><img src="https://evil.example/b.png">'
        f"<p>Fetched from {REPORT}</p>".encode(),
        "text/html",
        REPORT,
    ),
    VISUAL: Fetched(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(2)</script></svg>',
        "image/svg+xml",
        VISUAL,
    ),
}


class Fetcher:
    """A fake fetch: the bodies above, every request remembered."""

    def __init__(self, bodies: dict[str, Fetched]) -> None:
        self.bodies = bodies
        self.asked: list[ContentRequest] = []

    def __call__(self, request: ContentRequest) -> Fetched:
        self.asked.append(request)
        if request.url not in self.bodies:
            raise ContentError("The link answered 404.")
        return self.bodies[request.url]


def test_the_plot_visuals_and_report_are_asked_within_the_job_pages_bounds() -> None:
    fetch = Fetcher(BODIES)
    copied_visuals(job(), fetch)
    assert [(r.url, r.max_bytes) for r in fetch.asked] == [
        (PLOT, MAX_CONTENT_BYTES),
        (VISUAL, MAX_CONTENT_BYTES),
        (REPORT, MAX_CONTENT_BYTES),
    ]
    assert fetch.asked[0].accept == PLOT_ACCEPTED_TYPES
    assert fetch.asked[2].accept == REPORT_ACCEPTED_TYPES


def test_copies_are_sanitised_as_on_the_job_page_and_keep_no_link_of_the_job() -> None:
    content = snapshot_content(job(), None, NOW, visuals=copied_visuals(job(), Fetcher(BODIES)))
    body = content_body(content)
    for secret in (PLOT, REPORT, VISUAL, DOWNLOAD, QUERY, "X-Amz-Signature", "sig="):
        assert secret not in body
    kept = {visual.title: visual for visual in read_content(body).visuals}
    assert set(kept) == {"Forecast plot", "Seasonality", "Report"}
    assert "evil.example" not in kept["Forecast plot"].data
    assert kept["Seasonality"].kind == "image"  # an SVG stays an image: its script never runs
    assert kept["Seasonality"].media_type == "image/svg+xml"
    report = kept["Report"].data
    assert kept["Report"].kind == "html"
    assert "<script" not in report
    assert "evil.example" not in report
    assert f"Fetched from {LINK_REMOVED}" in report


def test_a_raster_image_is_kept_and_what_cannot_be_copied_is_said() -> None:
    bodies = {
        PLOT: Fetched(png(), "image/png", PLOT),
        REPORT: Fetched(b"%PDF-1.4 ...", "application/pdf", REPORT),
    }
    visuals, notes = copied_visuals(job(), Fetcher(bodies))
    [image] = visuals
    assert (image.kind, image.media_type) == ("image", "image/png")
    assert base64.b64decode(image.data) == png()
    assert any(
        note.startswith("Seasonality was not copied: The link answered 404") for note in notes
    )
    assert any(note.startswith("Report was not copied") for note in notes)
    assert not any("bucket.example" in note for note in notes)


def test_a_visual_too_big_for_the_snapshot_is_left_out_and_said() -> None:
    big = json.dumps({"data": [{"y": list(range(MAX_VISUAL_CHARS // 4))}], "layout": {}})
    visuals, notes = copied_visuals(
        job(report_url=None), Fetcher({PLOT: Fetched(big.encode(), "application/json", PLOT)})
    )
    assert visuals == ()
    assert "Forecast plot was not copied: it would make the snapshot too large." in notes


def test_a_visual_changed_in_the_store_is_sanitised_again_and_the_html_file_isolates_it() -> None:
    content = snapshot_content(job(), None, NOW, visuals=copied_visuals(job(), Fetcher(BODIES)))
    stored = json.loads(content_body(content))
    report = next(v for v in stored["visuals"] if v["kind"] == "html")
    report["data"] = '<p>hi</p><script>alert(3)</script><iframe src="https://evil.example">'
    read = read_content(json.dumps(stored))
    assert next(v for v in read.visuals if v.kind == "html").data == "<p>hi</p>"
    page = snapshot_html(read, "t", NOW, None)
    assert '<iframe sandbox=""' in page
    assert "alert(3)" not in page


def test_the_plot_keeps_the_job_pages_n_of_n_note_and_its_legend_is_fitted_when_read() -> None:
    figure = go.Figure(
        [go.Scatter(y=[1, 2], name=f"{item} {role}") for item in "ABCD" for role in ROLES]
    )
    bodies = {PLOT: Fetched(figure.to_json().encode(), "application/json", PLOT)}
    visuals = copied_visuals(job(num_items=2500, report_url=None), Fetcher(bodies))
    read = read_content(content_body(snapshot_content(job(), None, NOW, visuals=visuals)))
    [plot] = [visual for visual in read.visuals if visual.title == "Forecast plot"]
    assert plot.note == items_note(figure, 2500) == "The service's plot draws 4 of 2,500 items."
    assert "<p>The service&#x27;s plot draws 4 of 2,500 items.</p>" in snapshot_html(
        read, "t", NOW, None
    )
    legend = chart_figure(plot.data).layout.legend
    assert (legend.orientation, legend.yref) == ("h", "container")


def test_a_plot_of_every_item_keeps_no_note() -> None:
    figure = go.Figure([go.Scatter(y=[1, 2], name=f"A {role}") for role in ROLES])
    bodies = {PLOT: Fetched(figure.to_json().encode(), "application/json", PLOT)}
    visuals, _ = copied_visuals(job(num_items=1, report_url=None), Fetcher(bodies))
    assert [visual.note for visual in visuals] == [""]
