"""The job's remote plot, primary visuals and report copied into a snapshot, never their links.

Each is fetched as the job page fetches it (same bounds and accepted types, through the same
cache), read by the same render policy, and kept only in a form that is safe to draw again:
raster images checked by Pillow, SVG as an image (drawn from a data URI, so it never runs),
HTML sanitised (and drawn isolated), Plotly figures cleaned, markdown as safe HTML. The plot
keeps the note the job page draws under it ("The service's plot draws 6 of 2,500 items.").
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PIL import Image

from dashboard.caching.content_cache import ContentRequest
from dashboard.forecasts.plot_items import items_note
from dashboard.forecasts.plot_legend import fitted_legend
from dashboard.safety.html_isolation import sanitized_html
from dashboard.safety.markdown_safety import safe_html_again, safe_markdown_html
from dashboard.safety.plotly_safety import safe_figure
from dashboard.safety.render_policy import (
    ARTIFACT_ACCEPTED_TYPES,
    MAX_CONTENT_BYTES,
    PLOT_ACCEPTED_TYPES,
    RASTER_TYPES,
    REPORT_ACCEPTED_TYPES,
    SNIFF_BYTES,
    RenderKind,
    decide_render,
    fits_inline,
    is_plotly_figure,
)
from dashboard.snapshot.snapshot_sections import (
    SnapshotContentError,
    chart_figure,
    cleaned_figure_json,
)
from eomer_client.client import Fetched
from eomer_client.errors import EomerError
from eomer_client.models import Job

# What one visual, and all of them, may add to a snapshot (the store takes 8 MB in all).
MAX_VISUAL_CHARS = 2 * 1024 * 1024
MAX_VISUALS_CHARS = 3 * 1024 * 1024
# As many primary visuals as the job page draws before "Show more".
MAX_PRIMARY_VISUALS = 4
MAX_PIXELS = 40_000_000
MAX_TEXT_CHARS = 200_000
MAX_NOTE_CHARS = 300
LINK_REMOVED = "[link removed]"

VisualKind = Literal["image", "html", "plotly", "markdown"]
Fetch = Callable[[ContentRequest], Fetched]


@dataclass(frozen=True)
class FrozenVisual:
    """A copied visual: base64 image bytes, sanitised HTML, cleaned Plotly JSON or safe HTML,
    and the plain-text note drawn under it."""

    title: str
    kind: VisualKind
    media_type: str
    data: str
    note: str = ""


@dataclass(frozen=True)
class _Wanted:
    title: str
    request: ContentRequest
    is_plot: bool = False


def _wanted(job: Job) -> list[_Wanted]:
    """The plot, the first primary visuals (not the plot again) and the report, with titles."""
    wanted = []
    if job.forecast_plot_url:
        plot = ContentRequest(job.forecast_plot_url, MAX_CONTENT_BYTES, PLOT_ACCEPTED_TYPES)
        wanted.append(_Wanted("Forecast plot", plot, is_plot=True))
    summary = job.explainability
    artifacts = sorted(summary.artifacts, key=lambda a: a.display_order) if summary else []
    primary = [a for a in artifacts if a.is_primary_visual]
    for number, artifact in enumerate(primary[:MAX_PRIMARY_VISUALS]):
        link = artifact.embed_url or artifact.download_url
        if link and link != job.forecast_plot_url:
            title = artifact.label or artifact.analysis or f"Visual {number + 1}"
            request = ContentRequest(link, MAX_CONTENT_BYTES, ARTIFACT_ACCEPTED_TYPES)
            wanted.append(_Wanted(title, request))
    if job.report_url:
        report = ContentRequest(job.report_url, MAX_CONTENT_BYTES, REPORT_ACCEPTED_TYPES)
        wanted.append(_Wanted("Report", report))
    return wanted


def job_links(job: Job) -> list[str]:
    """Every link the job gave, and the query of each: none of them may be kept."""
    links = [job.download_url, job.forecast_plot_url, job.report_url, job.delivery_uri]
    links.append(job.explainability_url)
    summary = job.explainability
    for artifact in summary.artifacts if summary else []:
        links += [artifact.embed_url, artifact.download_url]
    found = [link for link in links if link]
    queries = [link.split("?", 1)[1] for link in found if "?" in link]
    # As HTML writes them too: sanitising turns a link's & into &amp;.
    escaped = [html.escape(text) for text in [*found, *queries]]
    # Longest first: a link is removed whole before its query is looked for on its own.
    return sorted({*found, *queries, *escaped}, key=len, reverse=True)


def without_links(text: str, links: list[str]) -> str:
    """`text` with every one of `links` replaced, so no signed URL is kept by accident."""
    for link in links:
        text = text.replace(link, LINK_REMOVED)
    return text


def _image(fetched: Fetched) -> tuple[str, str]:
    try:
        with Image.open(io.BytesIO(fetched.content)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValueError(f"the image is too large ({width} x {height} pixels)")
            image.verify()
            media = Image.MIME.get(image.format or "", "")
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError("not a readable image") from exc
    if media not in RASTER_TYPES:
        raise ValueError("not an image type a browser draws safely")
    return media, base64.b64encode(fetched.content).decode("ascii")


def _frozen(fetched: Fetched, links: list[str]) -> tuple[VisualKind, str, str]:
    """The content as what kind is kept, its media type and its data; ValueError if none."""
    kind = decide_render(None, fetched.content_type, fetched.content[:SNIFF_BYTES])
    if not fits_inline(kind, len(fetched.content)):
        raise ValueError("it is too large to show inline")
    text = fetched.content.decode("utf-8", errors="replace")
    if kind is RenderKind.IMAGE:
        return ("image", *_image(fetched))
    if kind is RenderKind.SVG_IMAGE:
        svg = without_links(text, links).encode()
        return "image", "image/svg+xml", base64.b64encode(svg).decode("ascii")
    if kind is RenderKind.HTML_ISOLATED:
        clean = sanitized_html(without_links(text, links))
        return "html", "text/html", without_links(clean, links)
    if kind is RenderKind.MARKDOWN:
        safe = safe_markdown_html(without_links(text[:MAX_TEXT_CHARS], links))
        return "markdown", "text/html", without_links(safe, links)
    if kind in (RenderKind.PLOTLY_JSON, RenderKind.JSON):
        spec = json.loads(text)
        if is_plotly_figure(spec):
            figure = safe_figure(spec).figure.to_json()
            return "plotly", "application/json", without_links(figure, links)
    raise ValueError(f"{kind.value} is not kept in snapshots")


def copied_visuals(job: Job, fetch: Fetch) -> tuple[tuple[FrozenVisual, ...], tuple[str, ...]]:
    """The job's remote visuals as kept content, and a note for each one left out."""
    links = job_links(job)
    kept: list[FrozenVisual] = []
    notes: list[str] = []
    room = MAX_VISUALS_CHARS
    for wanted in _wanted(job):
        title = without_links(wanted.title, links)[:300]
        try:
            kind, media, data = _frozen(fetch(wanted.request), links)
        except (EomerError, ValueError) as err:
            notes.append(f"{title} was not copied: {without_links(str(err), links)[:300]}.")
            continue
        if len(data) > min(room, MAX_VISUAL_CHARS):
            notes.append(f"{title} was not copied: it would make the snapshot too large.")
            continue
        room -= len(data)
        note = _items_note(data, job.num_items) if wanted.is_plot and kind == "plotly" else ""
        kept.append(FrozenVisual(title, kind, media, data, note))
    return tuple(kept), tuple(notes)


def _items_note(figure_json: str, total: int | None) -> str:
    """The job page's "n of N items" note of the service's plot, as kept JSON."""
    return items_note(chart_figure(figure_json), total)


def cleaned_visual(visual: FrozenVisual) -> FrozenVisual:
    """A stored visual made safe again (the store is not trusted to be unchanged); a Plotly
    figure's legend is fitted to the page here, as the job page fits it when it draws."""
    title = visual.title[:300]
    note = visual.note[:MAX_NOTE_CHARS]
    if visual.kind == "image":
        if visual.media_type not in {*RASTER_TYPES, "image/svg+xml"}:
            raise SnapshotContentError("A visual of this snapshot cannot be read.")
        try:
            base64.b64decode(visual.data, validate=True)
        except ValueError as exc:
            raise SnapshotContentError("A visual of this snapshot cannot be read.") from exc
        return FrozenVisual(title, "image", visual.media_type, visual.data, note)
    if visual.kind == "html":
        return FrozenVisual(title, "html", "text/html", sanitized_html(visual.data), note)
    if visual.kind == "markdown":
        return FrozenVisual(title, "markdown", "text/html", safe_html_again(visual.data), note)
    figure = fitted_legend(chart_figure(cleaned_figure_json(visual.data)))
    return FrozenVisual(title, "plotly", "application/json", figure.to_json(), note)


def image_uri(visual: FrozenVisual) -> str:
    """A kept image as a data URI: drawn by <img>, an SVG's scripts never run."""
    return f"data:{visual.media_type};base64,{visual.data}"
