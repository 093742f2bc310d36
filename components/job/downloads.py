"""Downloads of a completed job: the forecast CSV, the report and every artifact, on request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from components.common.error_box import error_box
from components.common.paging import more_button, shown_count
from components.common.plain_text import escape_markdown
from components.common.waiting import waiting
from components.job.remote_content import file_name_for
from dashboard.caching.content_cache import ContentCache
from dashboard.caching.session_data import Downloads
from eomer_client.client import Fetched
from eomer_client.errors import EomerError
from eomer_client.models import Artifact, Job

DOWNLOADS_PAGE_SIZE = 12
SHOWN_KEY = "job_downloads_shown"


@dataclass(frozen=True)
class _Offer:
    """One downloadable file: how to get it, and what to call it."""

    key: str
    label: str
    file_name: str
    fetch: Callable[[], Fetched]
    # Retry must ask again: the content cache remembers a failure for a while.
    forget: Callable[[], None] = lambda: None


def _fixed_offers(job: Job, content: ContentCache, forecast: Callable[[], Fetched]) -> list[_Offer]:
    """The forecast CSV and the report, which come before the artifacts."""
    offers: list[_Offer] = []
    if job.download_url:
        offers.append(
            _Offer(
                "forecast",
                "Forecast CSV",
                f"forecast-{job.job_id}.csv",
                forecast,
            )
        )
    if job.report_url:
        url = job.report_url
        name = file_name_for(url, "report")
        offers.append(_Offer("report", "Report", name, *_fetcher(content, url)))
    return offers


def _linked_artifacts(job: Job) -> list[tuple[int, Artifact]]:
    artifacts = job.explainability.artifacts if job.explainability else []
    return [(i, a) for i, a in enumerate(artifacts) if a.download_url or a.embed_url]


def _artifact_offer(content: ContentCache, index: int, artifact: Artifact) -> _Offer:
    link = artifact.download_url or artifact.embed_url or ""
    name = file_name_for(link, artifact.artifact_id or f"artifact-{index + 1}")
    label = artifact.label or artifact.artifact_id or name
    return _Offer(f"artifact_{index}", label, name, *_fetcher(content, link))


def _fetcher(content: ContentCache, url: str) -> tuple[Callable[[], Fetched], Callable[[], None]]:
    """Fetch `url` through the cache, and forget it before a retry."""
    return (lambda: content.get(url)), (lambda: content.forget(url))


def downloads(
    job: Job, state: Downloads, content: ContentCache, forecast: Callable[[], Fetched]
) -> None:
    """One row per file, a page at a time: Prepare fetches it, then Download hands it over.

    `forecast` downloads the job's forecast CSV; `state` keeps what was prepared or failed.
    """
    fixed, linked = _fixed_offers(job, content, forecast), _linked_artifacts(job)
    if not fixed and not linked:
        st.caption("This job has nothing to download.")
        return
    # Rows (and their file names) are made for the shown page only: 100,000 took seconds.
    key = f"{SHOWN_KEY}_{job.job_id}"
    shown = shown_count(key, DOWNLOADS_PAGE_SIZE)
    rest = [_artifact_offer(content, i, a) for i, a in linked[: max(0, shown - len(fixed))]]
    for offer in [*fixed, *rest][:shown]:
        _offer_row(offer, state.ready, state.failures)
    more_button(key, len(fixed) + len(linked), DOWNLOADS_PAGE_SIZE, "downloads")


def _attempt(offer: _Offer, ready: dict[str, Fetched], failures: dict[str, EomerError]) -> None:
    try:
        with waiting(f"Fetching {offer.label}"):
            ready[offer.key] = offer.fetch()
        failures.pop(offer.key, None)
    except EomerError as err:
        failures[offer.key] = err


def _offer_row(offer: _Offer, ready: dict[str, Fetched], failures: dict[str, EomerError]) -> None:
    key = f"job_download_{offer.key}"
    if offer.key not in ready and offer.key not in failures:
        label = f"Prepare {escape_markdown(offer.label)}"
        if st.button(label, key=f"{key}_prepare", icon=":material/cloud_download:"):
            _attempt(offer, ready, failures)
    if offer.key in failures:
        if error_box(failures[offer.key], retry_key=f"{key}_retry", title=offer.label):
            offer.forget()
            _attempt(offer, ready, failures)
            st.rerun()
        return
    fetched = ready.get(offer.key)
    if fetched is not None:
        st.download_button(
            f"Download {escape_markdown(offer.label)} ({len(fetched.content):,} bytes)",
            data=fetched.content,
            file_name=offer.file_name,
            mime=fetched.content_type or "application/octet-stream",
            key=f"{key}_save",
            icon=":material/download:",
            on_click="ignore",
        )
