"""The forecast plot and report: what the job page prefetches is what the sections draw.

forecast_section links to the viewer page, which only an app with navigation can draw: the
job page tests cover it; here the report shows that the prefetch list follows its toggle.
"""

from __future__ import annotations

from tests.apptest import function_app

DRAWING = "-- drawing --"
PLOT = "https://files.test/plot.txt"
REPORT = "https://files.test/report.txt"


def _results_app(asked: list[str]) -> None:
    """The report section after a prefetch of `results_links`; `asked` logs fetches."""
    import streamlit as st

    from components.job.job_results import report_section, results_links
    from dashboard.caching.content_budget import ContentBudget
    from dashboard.caching.content_cache import ContentCache
    from eomer_client.client import Fetched
    from eomer_client.models import Job

    def fetch(url: str, max_bytes: int, accept: object) -> Fetched:
        asked.append(url)
        return Fetched(b"plotted", "text/plain", url)

    job = Job.model_validate(
        {
            "job_id": "j",
            "status": "completed",
            "forecast_plot_url": "https://files.test/plot.txt",
            "report_url": "https://files.test/report.txt",
        }
    )
    content = st.session_state.setdefault("content", ContentCache(fetch, ContentBudget(2**20)))
    content.prefetch(results_links(job))
    asked.append("-- drawing --")  # DRAWING: the app sees only its own source
    report_section(job, content)


def test_the_plot_and_a_shown_report_are_prefetched_not_fetched_while_drawing() -> None:
    asked: list[str] = []
    at = function_app(_results_app, args=(asked,)).run()
    assert not at.exception, at.exception
    assert asked == [PLOT, DRAWING]
    at.toggle(key="job_show_report").set_value(True).run()
    assert asked == [PLOT, DRAWING, REPORT, DRAWING]


def _plot_app(num_items: int | None, names: list[str]) -> None:
    """The service's plot of a job with `num_items`, its traces named `names`."""
    import json

    import streamlit as st

    from components.job.job_results import service_plot
    from dashboard.caching.content_budget import ContentBudget
    from dashboard.caching.content_cache import ContentCache
    from eomer_client.client import Fetched
    from eomer_client.models import Job

    traces = [{"type": "scatter", "x": [1, 2], "y": [3, 4], "name": name} for name in names]
    body = json.dumps({"data": traces, "layout": {}}).encode()

    def fetch(url: str, max_bytes: int, accept: object) -> Fetched:
        return Fetched(body, "application/json", url)

    plot = "https://files.test/plot.json"
    job = Job.model_validate(
        {"job_id": "j", "status": "completed", "forecast_plot_url": plot, "num_items": num_items}
    )
    service_plot(job, ContentCache(fetch, ContentBudget(2**20)), "job_forecast_plot")
    st.write("-- end --")


FOUR_ITEMS = [f"{item} {role}" for item in "ABCD" for role in ("history", "10-90%", "mean")]


def test_the_services_plot_of_some_items_says_how_many_of_the_jobs() -> None:
    at = function_app(_plot_app, args=(2500, FOUR_ITEMS)).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1
    assert [c.value for c in at.caption] == ["The service's plot draws 4 of 2,500 items."]


def test_the_services_plot_of_every_item_or_an_unknown_count_says_nothing_more() -> None:
    for num_items in (4, None):
        at = function_app(_plot_app, args=(num_items, FOUR_ITEMS)).run()
        assert not at.exception, at.exception
        assert len(at.get("plotly_chart")) == 1
        assert list(at.caption) == []
