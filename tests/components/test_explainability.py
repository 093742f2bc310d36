"""The explainability panel of a huge job: a few links fetched unasked, the rest on request."""

from __future__ import annotations

from dataclasses import dataclass

from streamlit.testing.v1 import AppTest

from components.job.job_explainability import EAGER_FETCHES, INLINE_ARTIFACTS, VISUALS_PAGE_SIZE
from tests.apptest import function_app

DRAWING = "-- drawing --"


def _panel_app(
    visuals: int, thumbnails: int, inline: int, asked: list[str], prefetch: bool
) -> None:
    """A job with this many links of each kind; `asked` records every URL the panel fetched."""
    import streamlit as st

    from components.job.job_explainability import explainability_links, explainability_panel
    from dashboard.caching.content_budget import ContentBudget
    from dashboard.caching.content_cache import ContentCache
    from eomer_client.client import Fetched
    from eomer_client.models import Job

    def fetch(url: str, max_bytes: int, accept: object) -> Fetched:
        asked.append(url)
        return Fetched(b"a note", "text/plain", url)

    def artifacts(kind: str, count: int, flag: str) -> list[dict[str, object]]:
        return [
            {"artifact_id": f"{kind}{i}", "format": "text", flag: True,
             "download_url": f"https://files.test/{kind}/{i}.txt"}
            for i in range(count)
        ]  # fmt: skip

    links = [
        *artifacts("visual", visuals, "is_primary_visual"),
        *artifacts("thumb", thumbnails, "is_thumbnail"),
        *artifacts("inline", inline, "render_inline"),
    ]
    job = Job.model_validate(
        {"job_id": "j", "status": "completed", "explainability": {"artifacts": links}}
    )
    content = st.session_state.setdefault("content", ContentCache(fetch, ContentBudget(2**20)))
    if prefetch:
        content.prefetch(explainability_links(job))
    asked.append("-- drawing --")  # DRAWING: the app sees only its own source
    explainability_panel(job, content)


@dataclass
class Panel:
    """The panel's app and the URLs it fetched so far, runs separated by DRAWING."""

    at: AppTest
    asked: list[str]

    def fetched(self) -> list[str]:
        return [url for url in self.asked if url != DRAWING]

    def fetched_while_drawing(self) -> list[str]:
        """What the last run fetched after its prefetch: links fetched one by one."""
        last = len(self.asked) - 1 - self.asked[::-1].index(DRAWING)
        return self.asked[last + 1 :]

    def show_more(self, noun: str) -> None:
        """Press the "Show N more of M <noun>" button."""
        more = (b for b in self.at.button if b.label.startswith("Show ") and b.label.endswith(noun))
        next(more).click().run()
        assert not self.at.exception, self.at.exception


def run_panel(visuals: int, thumbnails: int, inline: int, *, prefetch: bool = False) -> Panel:
    asked: list[str] = []
    at = function_app(_panel_app, args=(visuals, thumbnails, inline, asked, prefetch))
    at.run()
    assert not at.exception, at.exception
    return Panel(at, asked)


def test_a_huge_job_fetches_no_more_than_the_eager_cap_unasked() -> None:
    panel = run_panel(100, 100, 100)
    assert len(panel.fetched()) <= EAGER_FETCHES
    assert len(set(panel.fetched())) == len(panel.fetched())


def test_more_visuals_are_fetched_a_page_at_a_time_on_request() -> None:
    panel = run_panel(100, 0, 0)
    before = panel.fetched()
    assert len(before) == VISUALS_PAGE_SIZE
    panel.show_more("visuals")
    new = panel.fetched()[len(before) :]
    assert len(new) == VISUALS_PAGE_SIZE
    assert all("/visual/" in url for url in new)


def test_every_link_the_panel_draws_was_in_its_prefetch_list() -> None:
    panel = run_panel(10, 10, 30, prefetch=True)
    assert panel.fetched_while_drawing() == []
    for noun in ("visuals", "thumbnails", "artifacts"):
        panel.show_more(noun)
        assert panel.fetched_while_drawing() == []
    for toggle in panel.at.toggle[:3]:
        toggle.set_value(True)
    panel.at.run()
    assert not panel.at.exception, panel.at.exception
    assert panel.fetched_while_drawing() == []
    assert len([url for url in panel.fetched() if "/inline/" in url]) == INLINE_ARTIFACTS + 3


def _analyses_app() -> None:
    from components.job.job_explainability import analyses_table
    from eomer_client.models import ExplainabilitySummary

    analyses_table(
        ExplainabilitySummary.model_validate(
            {
                "selected_analyses": ["shap", "forecast"],
                "completed_analyses": ["forecast"],
                "skipped_analyses": {"shap": "ETS is not a feature-based model"},
            }
        )
    )


def test_the_analyses_table_has_two_columns_so_a_phone_wraps_whole_phrases() -> None:
    at = function_app(_analyses_app)
    at.run()
    assert not at.exception, at.exception
    table = at.table[0].value
    assert list(table.columns) == ["Analysis", "Outcome"]
    assert table.values.tolist() == [
        ["shap \\(selected\\)", "⏭️ skipped\\: ETS is not a feature\\-based model"],
        ["forecast \\(selected\\)", "✅ completed"],
    ]
