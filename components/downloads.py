"""Downloads of a completed job: the forecast CSV, the report and every artifact, on request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from components.error_box import error_box
from components.plain_text import escape_markdown
from components.remote_content import file_name_for
from dashboard.content_cache import ContentCache
from dashboard.session_data import Downloads
from eomer_client.client import Fetched
from eomer_client.errors import EomerError
from eomer_client.models import Job


@dataclass(frozen=True)
class _Offer:
    """One downloadable file: how to get it, and what to call it."""

    key: str
    label: str
    file_name: str
    fetch: Callable[[], Fetched]


def _offers(job: Job, content: ContentCache, forecast: Callable[[], Fetched]) -> list[_Offer]:
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
        offers.append(
            _Offer("report", "Report", file_name_for(url, "report"), _fetcher(content, url))
        )
    artifacts = job.explainability.artifacts if job.explainability else []
    for index, artifact in enumerate(artifacts):
        link = artifact.download_url or artifact.embed_url
        if link:
            name = file_name_for(link, artifact.artifact_id or f"artifact-{index + 1}")
            offers.append(
                _Offer(
                    f"artifact_{index}",
                    artifact.label or artifact.artifact_id or name,
                    name,
                    _fetcher(content, link),
                )
            )
    return offers


def _fetcher(content: ContentCache, url: str) -> Callable[[], Fetched]:
    return lambda: content.get(url)


def downloads(
    job: Job, state: Downloads, content: ContentCache, forecast: Callable[[], Fetched]
) -> None:
    """One row per file: a Prepare button fetches it, then a Download button hands it over.

    `forecast` downloads the job's forecast CSV; `state` keeps what was prepared or failed.
    """
    offers = _offers(job, content, forecast)
    if not offers:
        st.caption("This job has nothing to download.")
        return
    for offer in offers:
        _offer_row(offer, state.ready, state.failures)


def _attempt(offer: _Offer, ready: dict[str, Fetched], failures: dict[str, EomerError]) -> None:
    try:
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
