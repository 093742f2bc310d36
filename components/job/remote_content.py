"""Content behind a URL of the job, fetched on the server through the client and shown safely."""

from __future__ import annotations

import base64
import io
import json
import weakref
from collections.abc import Callable, Collection
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import streamlit as st
from PIL import Image

from components.common.error_box import error_box
from components.common.plain_text import escape_markdown
from dashboard.caching.content_cache import ContentCache
from dashboard.forecasts.plot_legend import fitted_legend
from dashboard.isolation.isolated_reading import csv_rows
from dashboard.safety.html_isolation import isolated_html_document
from dashboard.safety.markdown_safety import safe_markdown_html
from dashboard.safety.plotly_safety import SafeFigure, safe_figure
from dashboard.safety.render_policy import (
    MAX_CONTENT_BYTES,
    SNIFF_BYTES,
    RenderKind,
    decide_render,
    fits_inline,
    is_plotly_figure,
)
from eomer_client.client import Fetched
from eomer_client.errors import ContentError, EomerError

_MAX_PIXELS = 40_000_000
_MAX_TABLE_ROWS = 10_000
_MAX_TEXT_CHARS = 200_000
_IFRAME_HEIGHT = 520
# The cleaned figure of each fetched body, for as long as the content cache keeps that body:
# building and cleaning it with plotly.py was over half of a warm rerun of the job page
# (bench.job_page). Nothing mutates a SafeFigure's figure: st.plotly_chart reads it.
_FIGURES: weakref.WeakKeyDictionary[Fetched, SafeFigure] = weakref.WeakKeyDictionary()


def file_name_for(url: str, fallback: str) -> str:
    """A download file name from the URL's last path segment, else `fallback`."""
    name = PurePosixPath(urlsplit(url).path).name
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "._-")
    return safe or fallback


def remote_content(
    content: ContentCache,
    url: str,
    *,
    declared_format: str | None,
    key: str,
    title: str,
    accept: Collection[str] | None = None,
    max_bytes: int = MAX_CONTENT_BYTES,
) -> SafeFigure | None:
    """Fetch `url` and show it the safest way its format and content type allow; returns the
    Plotly figure drawn, if it was one, so a caller can say what it shows."""
    try:
        fetched = content.get(url, max_bytes=max_bytes, accept=accept)
        kind = decide_render(declared_format, fetched.content_type, fetched.content[:SNIFF_BYTES])
        if not fits_inline(kind, len(fetched.content)):
            kind = RenderKind.DOWNLOAD
        return _RENDERERS[kind](fetched, title, key)
    except EomerError as err:
        _show_failure(err, content, url, key, title)
    except ValueError as exc:
        # Parsers (JSON, CSV, images, Plotly) refuse malformed content with ValueError.
        malformed = ContentError(f"The content is malformed ({type(exc).__name__}).")
        _show_failure(malformed, content, url, key, title)
    return None


def _show_failure(err: EomerError, content: ContentCache, url: str, key: str, title: str) -> None:
    if error_box(err, retry_key=f"{key}_retry", title=title or "Content"):
        content.forget(url)
        st.rerun()


def _raster(fetched: Fetched, title: str, key: str) -> None:
    try:
        with Image.open(io.BytesIO(fetched.content)) as image:
            width, height = image.size
            if width * height > _MAX_PIXELS:
                raise ContentError(f"The image is too large to show ({width} x {height} pixels).")
            image.verify()
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError("not a readable image") from exc
    st.image(fetched.content, caption=escape_markdown(title) or None)


def _svg(fetched: Fetched, title: str, key: str) -> None:
    # A data URI in an <img>: the browser draws the SVG but never runs its scripts or fetches.
    encoded = base64.b64encode(fetched.content).decode("ascii")
    st.image(f"data:image/svg+xml;base64,{encoded}", caption=escape_markdown(title) or None)


def _json_or_plotly(fetched: Fetched, title: str, key: str) -> SafeFigure | None:
    # `application/json` is what most servers say about a Plotly figure: the shape decides.
    spec = json.loads(fetched.content)
    if not is_plotly_figure(spec):
        st.json(spec, expanded=1)
        return None
    # Linked images, map tiles and links would make the viewer's browser call whatever host they
    # name, or leave the dashboard: built and cleaned as plotly.py reads them, then drawn.
    safe = cleaned_figure(fetched, spec)
    st.plotly_chart(safe.figure, theme="streamlit", key=f"{key}_plotly")
    if safe.removed:
        st.caption(
            "Not drawn, because they would load content from other servers: "
            + escape_markdown(", ".join(safe.removed))
        )
    return safe


def cleaned_figure(fetched: Fetched, spec: dict[str, object]) -> SafeFigure:
    """`safe_figure(spec)` of the Plotly figure `fetched` holds, its legend fitted
    (`fitted_legend`), built once per fetched body."""
    known = _FIGURES.get(fetched)
    if known is None:
        safe = safe_figure(spec)
        known = _FIGURES[fetched] = SafeFigure(fitted_legend(safe.figure), safe.removed)
    return known


def _isolated_html(fetched: Fetched, title: str, key: str) -> None:
    text = fetched.content.decode("utf-8", errors="replace")
    st.iframe(isolated_html_document(text), height=_IFRAME_HEIGHT, alt=title or "Isolated HTML")
    if "<script" in text.lower():
        # Interactive pages (a Plotly HTML export, say) draw nothing without their scripts.
        st.caption(
            "Shown without its scripts or network access, so interactive parts stay blank. "
            "Download it to open it in your browser."
        )
    _download(fetched, title, key)


def _csv(fetched: Fetched, title: str, key: str) -> None:
    frame = csv_rows(fetched.content, _MAX_TABLE_ROWS)  # in a worker process
    st.dataframe(frame, hide_index=True)
    if len(frame) == _MAX_TABLE_ROWS:
        st.caption(f"Showing the first {_MAX_TABLE_ROWS:,} rows; download for the rest.")
    _download(fetched, title, key)


def _markdown(fetched: Fetched, title: str, key: str) -> None:
    text = fetched.content.decode("utf-8", errors="replace")
    st.markdown(safe_markdown_html(text[:_MAX_TEXT_CHARS]), unsafe_allow_html=True)


def _text(fetched: Fetched, title: str, key: str) -> None:
    st.code(fetched.content.decode("utf-8", errors="replace")[:_MAX_TEXT_CHARS], language=None)


def _download(fetched: Fetched, title: str, key: str) -> None:
    name = file_name_for(fetched.url, fallback="download")
    st.download_button(
        f"Download {escape_markdown(title or name)}",
        data=fetched.content,
        file_name=name,
        mime=fetched.content_type or "application/octet-stream",
        key=f"{key}_download",
        icon=":material/download:",
        on_click="ignore",
    )


# Each draws the content; the Plotly one returns the figure it drew.
_RENDERERS: dict[RenderKind, Callable[[Fetched, str, str], SafeFigure | None]] = {
    RenderKind.IMAGE: _raster,
    RenderKind.SVG_IMAGE: _svg,
    RenderKind.PLOTLY_JSON: _json_or_plotly,
    RenderKind.HTML_ISOLATED: _isolated_html,
    RenderKind.PDF: _download,
    RenderKind.CSV_TABLE: _csv,
    RenderKind.MARKDOWN: _markdown,
    RenderKind.TEXT: _text,
    RenderKind.JSON: _json_or_plotly,
    RenderKind.DOWNLOAD: _download,
}
