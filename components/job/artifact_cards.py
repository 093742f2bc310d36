"""One artifact of a job's explainability: its card, its content fetched and drawn, thumbnails."""

from __future__ import annotations

import streamlit as st

from components.common.plain_text import escape_markdown, one_line
from components.job.remote_content import remote_content
from dashboard.caching.content_cache import ContentCache, ContentRequest
from dashboard.safety.markdown_safety import safe_markdown_html
from dashboard.safety.render_policy import (
    ARTIFACT_ACCEPTED_TYPES,
    MAX_CONTENT_BYTES,
    THUMBNAIL_ACCEPTED_TYPES,
    THUMBNAIL_MAX_BYTES,
)
from dashboard.safety.text_repeats import already_said
from eomer_client.models import Artifact


def artifact_link(artifact: Artifact) -> str | None:
    return artifact.embed_url or artifact.download_url


def artifact_title(artifact: Artifact, index: int) -> str:
    return one_line(artifact.label or artifact.artifact_id or f"Artifact {index + 1}")


def artifact_request(artifact: Artifact, *, thumbnail: bool) -> ContentRequest | None:
    """How the artifact's content is fetched; None when the service gave no link."""
    url = artifact.embed_url or artifact.download_url
    if not url:
        return None
    if thumbnail:
        return ContentRequest(url, THUMBNAIL_MAX_BYTES, THUMBNAIL_ACCEPTED_TYPES)
    return ContentRequest(url, MAX_CONTENT_BYTES, ARTIFACT_ACCEPTED_TYPES)


def toggle_key(index: int) -> str:
    return f"job_artifact_{index}_show"


def artifact_content(
    content: ContentCache, artifact: Artifact, index: int, *, thumbnail: bool = False
) -> None:
    request = artifact_request(artifact, thumbnail=thumbnail)
    if request is None:
        st.caption(f"{escape_markdown(artifact_title(artifact, index))}: the service gave no link.")
        return
    remote_content(
        content,
        request.url,
        declared_format=artifact.format,
        key=f"job_artifact_{index}",
        title=artifact_title(artifact, index),
        accept=request.accept,
        max_bytes=request.max_bytes,
    )


def thumbnail_strip(content: ContentCache, thumbnails: list[tuple[int, Artifact]]) -> None:
    columns = st.columns(min(4, len(thumbnails)))
    for slot, (index, artifact) in enumerate(thumbnails):
        with columns[slot % len(columns)]:
            artifact_content(content, artifact, index, thumbnail=True)


def _repeats(content: ContentCache, artifact: Artifact, overview: str) -> bool:
    """True when the artifact is text the overview, drawn at the panel's top, already says."""
    link = artifact_link(artifact)
    fetched = content.peek(link) if link and overview.strip() else None
    if fetched is None or not fetched.content_type.startswith(("text/", "application/json")):
        return False
    return already_said(fetched.content.decode("utf-8", errors="replace"), overview)


def artifact_card(
    content: ContentCache, artifact: Artifact, index: int, *, opens_itself: bool, overview: str
) -> None:
    """Label and format, its highlights; the content inline or on request, else its preview."""
    title = escape_markdown(artifact_title(artifact, index))
    with st.container(border=True):
        kind = f" · {escape_markdown(one_line(artifact.format))}" if artifact.format else ""
        st.markdown(f"**{title}**{kind}")
        if artifact.description:
            st.text(artifact.description)
        # What the overview at the panel's top already says is not said again.
        for highlight in artifact.highlights:
            if not already_said(highlight, overview):
                st.text(f"• {highlight}")
        opened = opens_itself or st.toggle(f"Show {title}", key=toggle_key(index))
        # The preview stands in for the content: drawn beside it, it says the same twice.
        preview = artifact.preview_markdown
        if preview and not opened and not already_said(preview, overview):
            st.markdown(safe_markdown_html(preview), unsafe_allow_html=True)
        if opened and _repeats(content, artifact, overview):
            st.caption(f"{title}: its text is in the overview at the top of Explainability.")
        elif opened:
            artifact_content(content, artifact, index)
