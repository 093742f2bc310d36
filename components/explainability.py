"""The job's explainability: overview, primary visuals, artifacts, analyses and warnings."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components.plain_text import escape_markdown, one_line
from components.remote_content import remote_content
from dashboard.content_cache import ContentCache
from dashboard.markdown_safety import safe_markdown_html
from dashboard.render_policy import (
    ARTIFACT_ACCEPTED_TYPES,
    MAX_CONTENT_BYTES,
    THUMBNAIL_ACCEPTED_TYPES,
    THUMBNAIL_MAX_BYTES,
)
from eomer_client.models import Artifact, ExplainabilitySummary, Job

PAGE_SIZE = 12
SHOWN_KEY = "job_artifacts_shown"


def explainability_panel(job: Job, content: ContentCache) -> None:
    """Everything the job explains about its forecast, warnings first."""
    summary = job.explainability
    if summary is None or not (summary.enabled or summary.artifacts or summary.overview_markdown):
        st.info("Explainability was not requested for this job.", icon=":material/info:")
        return
    for warning in summary.warnings:
        st.warning(escape_markdown(warning), icon=":material/warning:")
    if summary.overview_markdown:
        st.markdown(safe_markdown_html(summary.overview_markdown), unsafe_allow_html=True)
    artifacts = sorted(summary.artifacts, key=lambda artifact: artifact.display_order)
    for index, artifact in enumerate(artifacts):
        if artifact.is_primary_visual:
            _artifact_content(content, artifact, index)
    analyses_table(summary)
    thumbnails = [(i, a) for i, a in enumerate(artifacts) if a.is_thumbnail]
    if thumbnails:
        _thumbnail_strip(content, thumbnails)
    rest = [
        (i, a) for i, a in enumerate(artifacts) if not a.is_primary_visual and not a.is_thumbnail
    ]
    if rest:
        st.markdown("#### Artifacts")
        _gallery(content, rest, f"{SHOWN_KEY}_{job.job_id}")


def _gallery(content: ContentCache, cards: list[tuple[int, Artifact]], shown_key: str) -> None:
    """The first page of artifact cards; more on request, so a huge job stays quick to draw."""
    shown: int = st.session_state.setdefault(shown_key, PAGE_SIZE)
    for index, artifact in cards[:shown]:
        artifact_card(content, artifact, index)
    hidden = len(cards) - shown
    if hidden > 0 and st.button(f"Show {min(hidden, PAGE_SIZE)} more of {hidden} artifacts"):
        st.session_state[shown_key] = shown + PAGE_SIZE
        st.rerun()


def analyses_table(summary: ExplainabilitySummary) -> None:
    """Selected, completed and skipped analyses, with the reason each skipped one gives."""
    names = list(
        dict.fromkeys(
            [*summary.selected_analyses, *summary.completed_analyses, *summary.skipped_analyses]
        )
    )
    if not names:
        return
    rows = [_analysis_row(name, summary) for name in names]
    st.dataframe(
        pd.DataFrame(rows, columns=["Analysis", "Selected", "Outcome", "Reason"]), hide_index=True
    )


def _analysis_row(name: str, summary: ExplainabilitySummary) -> tuple[str, str, str, str]:
    selected = "yes" if name in summary.selected_analyses else "no"
    if name in summary.completed_analyses:
        return name, selected, "✅ completed", ""
    if name in summary.skipped_analyses:
        return name, selected, "⏭️ skipped", _reason(summary.skipped_analyses[name])
    return name, selected, "❔ not reported", ""


def _reason(value: object) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {inner}" for key, inner in value.items())
    return "" if value is None else str(value)


def _title(artifact: Artifact, index: int) -> str:
    return one_line(artifact.label or artifact.artifact_id or f"Artifact {index + 1}")


def _artifact_content(
    content: ContentCache, artifact: Artifact, index: int, *, thumbnail: bool = False
) -> None:
    url = artifact.embed_url or artifact.download_url
    if not url:
        st.caption(f"{escape_markdown(_title(artifact, index))}: the service gave no link.")
        return
    remote_content(
        content,
        url,
        declared_format=artifact.format,
        key=f"job_artifact_{index}",
        title=_title(artifact, index),
        accept=THUMBNAIL_ACCEPTED_TYPES if thumbnail else ARTIFACT_ACCEPTED_TYPES,
        max_bytes=THUMBNAIL_MAX_BYTES if thumbnail else MAX_CONTENT_BYTES,
    )


def _thumbnail_strip(content: ContentCache, thumbnails: list[tuple[int, Artifact]]) -> None:
    columns = st.columns(min(4, len(thumbnails)))
    for slot, (index, artifact) in enumerate(thumbnails):
        with columns[slot % len(columns)]:
            _artifact_content(content, artifact, index, thumbnail=True)


def artifact_card(content: ContentCache, artifact: Artifact, index: int) -> None:
    """Label, what it is, its highlights and preview; the content inline or on request."""
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(_title(artifact, index))}**")
        kind = " · ".join(filter(None, [artifact.analysis, artifact.format]))
        if kind:
            st.caption(escape_markdown(one_line(kind)))
        if artifact.description:
            st.text(artifact.description)
        for highlight in artifact.highlights:
            st.text(f"• {highlight}")
        if artifact.preview_markdown:
            st.markdown(safe_markdown_html(artifact.preview_markdown), unsafe_allow_html=True)
        shown = artifact.render_inline or st.toggle(
            "Show this artifact", key=f"job_artifact_{index}_show"
        )
        if shown:
            _artifact_content(content, artifact, index)
