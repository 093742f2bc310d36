"""Downloads of a job with thousands of artifacts: a first page of rows, more on request."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.job.downloads import DOWNLOADS_PAGE_SIZE
from tests.apptest import function_app


def _downloads_app(artifacts: int, asked: list[str]) -> None:
    """A completed job with a forecast, a report and `artifacts` files; `asked` records fetches."""
    import streamlit as st

    from components.job.downloads import downloads
    from dashboard.caching.content_budget import ContentBudget
    from dashboard.caching.content_cache import ContentCache
    from dashboard.caching.session_data import Downloads
    from eomer_client.client import Fetched
    from eomer_client.models import Job

    def fetch(url: str, max_bytes: int, accept: object) -> Fetched:
        asked.append(url)
        return Fetched(b"a,b\n1,2\n", "text/csv", url)

    def forecast() -> Fetched:
        return fetch("https://files.test/forecast.csv", 0, None)

    if "job" not in st.session_state:
        files = [
            {"artifact_id": f"a{i}", "download_url": f"https://files.test/a/{i}.csv"}
            for i in range(artifacts)
        ]
        st.session_state.job = Job.model_validate(
            {
                "job_id": "j",
                "status": "completed",
                "download_url": "https://files.test/forecast.csv",
                "report_url": "https://files.test/report.html",
                "explainability": {"artifacts": files},
            }
        )
        st.session_state.content = ContentCache(fetch, ContentBudget(2**20))
        st.session_state.state = Downloads()
    downloads(st.session_state.job, st.session_state.state, st.session_state.content, forecast)


def open_downloads(artifacts: int) -> tuple[AppTest, list[str]]:
    asked: list[str] = []
    at = function_app(_downloads_app, args=(artifacts, asked))
    at.run()
    assert not at.exception, at.exception
    return at, asked


def prepare_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label.startswith("Prepare")]


def test_ten_thousand_artifacts_draw_only_a_first_page_of_downloads() -> None:
    at, asked = open_downloads(10_000)
    assert len(prepare_buttons(at)) == DOWNLOADS_PAGE_SIZE
    more = [b.label for b in at.button if b.label.startswith("Show ")]
    hidden = 10_002 - DOWNLOADS_PAGE_SIZE
    assert more == [f"Show {DOWNLOADS_PAGE_SIZE} more of {hidden:,} downloads"]
    assert asked == []


def test_show_more_adds_the_next_page_of_downloads() -> None:
    at, _ = open_downloads(30)
    next(b for b in at.button if b.label.startswith("Show ")).click().run()
    assert len(prepare_buttons(at)) == 2 * DOWNLOADS_PAGE_SIZE
    next(b for b in at.button if b.label.startswith("Show ")).click().run()
    assert len(prepare_buttons(at)) == 32
    assert not [b for b in at.button if b.label.startswith("Show ")]


def test_preparing_a_file_on_a_later_page_fetches_that_file_only() -> None:
    at, asked = open_downloads(30)
    next(b for b in at.button if b.label.startswith("Show ")).click().run()
    at.button(key="job_download_artifact_20_prepare").click().run()
    assert asked == ["https://files.test/a/20.csv"]
    labels = [b.label for b in at.download_button]
    assert labels == ["Download a20 (8 bytes)"]
