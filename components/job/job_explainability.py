"""The job's explainability: overview, primary visuals, artifacts, analyses and warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.common.paging import more_button, shown_count
from components.common.plain_text import escape_markdown, escape_untrusted, one_line
from components.job.artifact_cards import (
    artifact_card,
    artifact_content,
    artifact_link,
    artifact_request,
    artifact_title,
    thumbnail_strip,
    toggle_key,
)
from dashboard.caching.budgets import BUDGETS
from dashboard.caching.content_cache import ContentCache, ContentRequest
from dashboard.safety.markdown_safety import safe_markdown_html
from eomer_client.models import Artifact, ExplainabilitySummary, Job
from eomer_client.weighted_lru import WeightedLru, one

PAGE_SIZE = 12  # artifact cards per page of the gallery
VISUALS_PAGE_SIZE = 4
THUMBNAILS_PAGE_SIZE = 4  # one row of the strip
SHOWN_KEY = "job_artifacts_shown"
# Inline artifacts of the gallery that open by themselves; the others wait for their toggle.
INLINE_ARTIFACTS = 4
# Links one run of the panel fetches unasked. Each can be 20 MB kept in the server's memory, so
# a job listing hundreds of visuals must not have them all fetched because the page opened.
EAGER_FETCHES = VISUALS_PAGE_SIZE + THUMBNAILS_PAGE_SIZE + INLINE_ARTIFACTS

Indexed = tuple[int, Artifact]
# The analysis whose primary visual is the forecast itself: the Forecast section draws it.
FORECAST_ANALYSIS = "forecast"


@dataclass(frozen=True)
class _Paged:
    """A list the panel draws a page at a time: its session-state key, page size and noun."""

    key: str
    page_size: int
    noun: str

    def shown(self, items: list[Indexed], job: Job) -> list[Indexed]:
        return items[: shown_count(f"{self.key}_{job.job_id}", self.page_size)]

    def more(self, items: list[Indexed], job: Job) -> None:
        more_button(f"{self.key}_{job.job_id}", len(items), self.page_size, self.noun)


_VISUALS = _Paged("job_visuals_shown", VISUALS_PAGE_SIZE, "visuals")
_THUMBNAILS = _Paged("job_thumbnails_shown", THUMBNAILS_PAGE_SIZE, "thumbnails")
_GALLERY = _Paged(SHOWN_KEY, PAGE_SIZE, "artifacts")


@dataclass(frozen=True)
class _Parts:
    """The artifacts in display order, by where the panel draws them, each with its index."""

    visuals: list[Indexed]
    thumbnails: list[Indexed]
    cards: list[Indexed]
    opens_itself: frozenset[int]  # the inline cards that open without their toggle


# The latest summaries' parts, by identity: a job of 10,000 artifacts took 25 ms to sort out,
# twice a run (links, then panel), on every rerun of every session showing it.
_parts_of: WeightedLru[int, tuple[ExplainabilitySummary, _Parts]] = WeightedLru(
    BUDGETS.explained_summaries, one
)


def _parts(summary: ExplainabilitySummary) -> _Parts:
    """The summary's parts, kept for the few latest summaries (a job's is immutable)."""
    kept = _parts_of.get(id(summary))
    # The identity check: an id is reused once its summary is gone.
    if kept is not None and kept[0] is summary:
        return kept[1]
    parts = _sorted_parts(summary)
    _parts_of.put(id(summary), (summary, parts))
    return parts


def _sorted_parts(summary: ExplainabilitySummary) -> _Parts:
    indexed = list(enumerate(sorted(summary.artifacts, key=lambda a: a.display_order)))
    cards = [(i, a) for i, a in indexed if not a.is_primary_visual and not a.is_thumbnail]
    inline = [i for i, a in cards if a.render_inline][:INLINE_ARTIFACTS]
    return _Parts(
        [(i, a) for i, a in indexed if a.is_primary_visual],
        [(i, a) for i, a in indexed if a.is_thumbnail],
        cards,
        frozenset(inline),
    )


def _requested(summary: ExplainabilitySummary) -> bool:
    return bool(summary.enabled or summary.artifacts or summary.overview_markdown)


def _analysis(artifact: Artifact) -> str:
    return (artifact.analysis or "").strip().lower()


def _drawn_above(job: Job, artifact: Artifact) -> bool:
    """A visual of the forecast itself, or the plot's very link: the Forecast section's."""
    if not job.forecast_plot_url:
        return False
    return (
        _analysis(artifact) == FORECAST_ANALYSIS or artifact_link(artifact) == job.forecast_plot_url
    )


def _same_as_plot(content: ContentCache, job: Job, artifact: Artifact) -> bool:
    """True when the visual is the plot drawn above: the same link, or the same bytes."""
    link, plot = artifact_link(artifact), job.forecast_plot_url
    if not link or not plot or link == plot:
        return bool(link) and link == plot
    fetched, drawn = content.peek(link), content.peek(plot)
    return fetched is not None and drawn is not None and fetched.content == drawn.content


def _on_page(job: Job, parts: _Parts) -> tuple[list[Indexed], list[Indexed], list[Indexed]]:
    """Visuals to draw, visuals drawn above, and thumbnails of what no full visual shows."""
    visuals = [(i, a) for i, a in parts.visuals if not _drawn_above(job, a)]
    above = [(i, a) for i, a in parts.visuals if _drawn_above(job, a)]
    # A thumbnail previews a visual: next to that visual drawn in full it only repeats it.
    shown = {_analysis(a) for _, a in parts.visuals}
    if job.forecast_plot_url:
        shown.add(FORECAST_ANALYSIS)
    thumbnails = [
        (i, a) for i, a in parts.thumbnails if not _analysis(a) or _analysis(a) not in shown
    ]
    return visuals, above, thumbnails


def explainability_links(job: Job) -> list[ContentRequest]:
    """The links the panel fetches this run, for the page to fetch together before drawing."""
    summary = job.explainability
    if summary is None or not _requested(summary):
        return []
    parts = _parts(summary)
    visuals, above, thumbnails = _on_page(job, parts)
    # The forecast's own visuals too: whether they repeat the plot is told by their bytes.
    wanted = [(a, False) for _, a in [*above, *_VISUALS.shown(visuals, job)]]
    wanted += [(a, True) for _, a in _THUMBNAILS.shown(thumbnails, job)]
    wanted += [(a, False) for i, a in _GALLERY.shown(parts.cards, job) if _opened(parts, i)]
    requests = (artifact_request(artifact, thumbnail=thumbnail) for artifact, thumbnail in wanted)
    return [request for request in requests if request is not None]


def explainability_panel(job: Job, content: ContentCache) -> None:
    """Everything the job explains about its forecast, warnings first."""
    summary = job.explainability
    if summary is None or not _requested(summary):
        st.info("Explainability was not requested for this job.", icon=":material/info:")
        return
    for warning in summary.warnings:
        st.warning(escape_markdown(warning), icon=":material/warning:")
    if summary.overview_markdown:
        st.markdown(safe_markdown_html(summary.overview_markdown), unsafe_allow_html=True)
    parts = _parts(summary)
    visuals, above, thumbnails = _on_page(job, parts)
    _forecast_visuals(content, job, above)
    for index, artifact in _VISUALS.shown(visuals, job):
        artifact_content(content, artifact, index)
    _VISUALS.more(visuals, job)
    analyses_table(summary)
    if thumbnails:
        thumbnail_strip(content, _THUMBNAILS.shown(thumbnails, job))
        _THUMBNAILS.more(thumbnails, job)
    if parts.cards:
        st.markdown("#### Artifacts")
        _gallery(content, parts, job)


def _forecast_visuals(content: ContentCache, job: Job, above: list[Indexed]) -> None:
    """The forecast's own visuals: named when they are the plot above, else on request."""
    same = [(i, a) for i, a in above if _same_as_plot(content, job, a)]
    if same:
        names = ", ".join(artifact_title(a, i) for i, a in same)
        st.caption(f"{escape_markdown(names)}: the forecast plot, drawn under Forecast above.")
    for index, artifact in above:
        if (index, artifact) in same:
            continue
        title = escape_markdown(artifact_title(artifact, index))
        label = f"Show {title} (the forecast, drawn another way)"
        if st.toggle(label, key=toggle_key(index)):
            artifact_content(content, artifact, index)


def _gallery(content: ContentCache, parts: _Parts, job: Job) -> None:
    """The first page of artifact cards; more on request, so a huge job stays quick to draw."""
    previous: str | None = None
    for index, artifact in _GALLERY.shown(parts.cards, job):
        # Neighbouring cards of one analysis share a heading instead of each repeating it.
        if artifact.analysis and artifact.analysis != previous:
            st.markdown(f"##### {escape_markdown(one_line(artifact.analysis))}")
        previous = artifact.analysis
        artifact_card(
            content,
            artifact,
            index,
            opens_itself=index in parts.opens_itself,
            overview=job.explainability.overview_markdown if job.explainability else "",
        )
    _GALLERY.more(parts.cards, job)


def analyses_table(summary: ExplainabilitySummary) -> None:
    """Selected, completed and skipped analyses, with the reason each skipped one gives."""
    names = list(
        dict.fromkeys(
            [*summary.selected_analyses, *summary.completed_analyses, *summary.skipped_analyses]
        )
    )
    if not names:
        return
    # A static table wraps its cells, so a skipped analysis's reason is read in full, not cut.
    # Two columns, not four: on a phone four took a word per line each. It also renders
    # markdown in its cells: remote text is escaped, or an image in it would load.
    rows = [[escape_untrusted(cell) for cell in _analysis_row(name, summary)] for name in names]
    st.table(pd.DataFrame(rows, columns=["Analysis", "Outcome"]), hide_index=True)


def _analysis_row(name: str, summary: ExplainabilitySummary) -> tuple[str, str]:
    selected = f"{name} (selected)" if name in summary.selected_analyses else name
    if name in summary.completed_analyses:
        return selected, "✅ completed"
    if name in summary.skipped_analyses:
        reason = _reason(summary.skipped_analyses[name])
        return selected, "⏭️ skipped" + (f": {reason}" if reason else "")
    return selected, "❔ not reported"


def _reason(value: object) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {inner}" for key, inner in value.items())
    return "" if value is None else str(value)


def _opened(parts: _Parts, index: int) -> bool:
    """Whether a card shows its content this run: by itself, or because its toggle is on."""
    return index in parts.opens_itself or bool(st.session_state.get(toggle_key(index), False))
