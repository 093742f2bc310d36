"""The watch list page under AppTest against the in-process demo API."""

from __future__ import annotations

import re
import uuid

from streamlit.testing.v1 import AppTest

from demo_api.seeded.scenarios import SCENARIO_IDS
from tests.pages.conftest import requests_for

PAGE = "pages/watchlist.py"
COMPLETED = SCENARIO_IDS["completed_full"]
FAILED = SCENARIO_IDS["failed_timeout"]
LARGE = SCENARIO_IDS["large_job"]
RUNNING = SCENARIO_IDS["running_progressing"]
_ESCAPE = re.compile(r"\\(.)")
ELSEWHERE = str(uuid.uuid4())  # unknown to this tenant: the API answers 404


def open_watchlist(at: AppTest, *job_ids: str) -> AppTest:
    """Go to the watch list the way a shared link does: with ?job=... on the URL."""
    if job_ids:
        at.query_params["job"] = list(job_ids)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest) -> list[dict[str, object]]:
    frame = next(df for df in at.dataframe if df.key == "watchlist_table").value
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def texts(elements: object) -> str:
    """What a person reads: markdown escapes and zero-width spaces are not seen."""
    raw = "\n".join(str(e.value) for e in elements)  # type: ignore[attr-defined]
    return _ESCAPE.sub(r"\1", raw).replace("\u200b", "")


def markdown_of(elements: object) -> str:
    """The markdown source Streamlit was given, escapes included."""
    return "\n".join(str(e.value) for e in elements)  # type: ignore[attr-defined]


def paste(at: AppTest, text: str) -> AppTest:
    at.text_area(key="watchlist_paste").input(text)
    at.button[next(i for i, b in enumerate(at.button) if b.label == "Add to watch list")].click()
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_an_empty_watch_list_says_how_to_add_jobs(app: AppTest) -> None:
    at = open_watchlist(app)
    assert "No jobs watched yet" in texts(at.info)
    assert "job" not in at.query_params


def test_bulk_add_keeps_good_ids_and_reports_each_bad_entry(app: AppTest) -> None:
    at = open_watchlist(app)
    paste(at, f"{COMPLETED}, not/a/job ;{FAILED}\n{COMPLETED} | oops!!")
    assert [row["Job ID"] for row in table(at)] == [COMPLETED, FAILED]
    warnings = texts(at.warning)
    assert "not/a/job" in warnings
    assert "oops!!" in warnings
    assert "Dropped 1 repeated entry" in texts(at.info)
    assert at.query_params["job"] == [COMPLETED, FAILED]


def test_remove_one_then_clear_all_follow_into_the_url(app: AppTest) -> None:
    at = open_watchlist(app, COMPLETED, FAILED, LARGE)
    at.multiselect(key="watchlist_remove").set_value([FAILED])
    click(at, "Remove selected")
    assert [row["Job ID"] for row in table(at)] == [COMPLETED, LARGE]
    assert at.query_params["job"] == [COMPLETED, LARGE]
    click(at, "Clear all")
    assert "No jobs watched yet" in texts(at.info)
    assert "job" not in at.query_params


def test_a_shared_url_restores_the_list_and_stays_in_the_url(app: AppTest) -> None:
    at = open_watchlist(app, LARGE, COMPLETED, "bad/id")
    assert [row["Job ID"] for row in table(at)] == [LARGE, COMPLETED]
    assert at.query_params["job"] == [LARGE, COMPLETED]
    assert "bad/id" in texts(at.warning)
    assert "token" not in str(at.query_params).lower()


def test_one_failing_job_marks_its_row_and_finished_jobs_are_not_fetched_again(
    app: AppTest, api_url: str
) -> None:
    at = open_watchlist(app, COMPLETED, ELSEWHERE)
    completed, missing = table(at)
    assert completed["Status"] == "✅ Completed"
    assert completed["Refresh problem"] == ""
    assert missing["Status"] == "❓ Not found"
    assert "no job with this ID" in str(missing["Refresh problem"])
    fetched = requests_for(api_url, f"/jobs/{COMPLETED}")
    assert fetched >= 1
    at.run()
    at.run()
    assert requests_for(api_url, f"/jobs/{COMPLETED}") == fetched


def test_charts_summary_and_export_appear_for_a_mix_of_statuses(app: AppTest) -> None:
    mix = [SCENARIO_IDS[name] for name in ("completed_full", "completed_covariates", "large_job")]
    mix += [SCENARIO_IDS[name] for name in ("completed_no_explainability", "failed_timeout")]
    at = open_watchlist(app, *mix, RUNNING)
    assert (
        len([c for c in at.get("plotly_chart") if (c.key or "").startswith("watchlist_chart_")])
        == 4
    )
    assert "Updated" in texts(at.caption)
    assert "Charts redraw every 30 s while jobs run" in texts(at.caption)
    assert "Tukey" in texts(at.caption)
    assert "Failure rate (failed / finished)" in [m.label for m in at.metric]
    assert at.download_button[0].label == "Download table (CSV)"


def test_a_row_selection_opens_the_job_page_on_that_job(app: AppTest) -> None:
    at = open_watchlist(app, LARGE, COMPLETED)
    assert table(at)[1]["Open"] == f"./?job={COMPLETED}"
    at.session_state["watchlist_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    assert at.query_params["job"] == COMPLETED
    assert "watchlist_table" not in [df.key for df in at.dataframe]


def test_a_shared_link_cannot_inject_markdown_through_a_rejected_entry(app: AppTest) -> None:
    app.query_params["job"] = ["![x](http://127.0.0.2:9/x.png)", "[Sign in](http://evil.test)"]
    at = app.switch_page(PAGE).run()
    assert "Ignored in the link: '![x](http://127.0.0.2:9/x.png)'" in texts(at.warning)
    # Shown as text: every markdown character escaped, and no bare address left to autolink.
    source = markdown_of(at.warning)
    assert "![x](" not in source
    assert "[Sign in](" not in source
    assert "http:" not in source.replace("\\", "")


def test_a_paste_of_thousands_of_bad_entries_names_ten_and_counts_the_rest(app: AppTest) -> None:
    at = app.switch_page(PAGE).run()
    at = paste(at, " ".join(f"bad/entry/{index}" for index in range(5000)))
    warnings = texts(at.warning)
    # One box per entry made every later rerun of the session draw thousands of them.
    assert len(at.warning) <= 11
    assert "Not added: 'bad/entry/0'" in warnings
    assert re.search(r"Not added: [\d,]+ more entries\.", warnings)


def test_a_not_found_id_is_asked_for_once_counted_and_asked_again_on_request(
    app: AppTest, api_url: str
) -> None:
    unknown = str(uuid.uuid4())
    at = open_watchlist(app, RUNNING, unknown)
    asked = requests_for(api_url, f"/jobs/{unknown}")
    assert asked == 1
    assert "❓ Not found: 1" in texts(at.markdown)
    assert "1 job ID(s) not found" in texts(at.caption)
    at.run()
    at.run()
    assert requests_for(api_url, f"/jobs/{unknown}") == asked  # final: no longer polled
    click(at, "Ask again for jobs not found")
    assert requests_for(api_url, f"/jobs/{unknown}") == asked + 1


def test_no_cell_reads_none_and_problems_never_name_the_api_address(
    app: AppTest, api_url: str
) -> None:
    at = open_watchlist(app, COMPLETED, ELSEWHERE)
    grid = next(df for df in at.dataframe if df.key == "watchlist_table")
    assert grid.proto.placeholder == "—"
    host = api_url.split("://")[1]
    for row in table(at):
        assert host not in str(row["Refresh problem"])
        assert "http" not in str(row["Refresh problem"])


def test_the_job_details_give_a_cut_off_cell_in_full(app: AppTest) -> None:
    at = open_watchlist(app, COMPLETED, ELSEWHERE)
    assert at.selectbox(key="watchlist_details").value == ELSEWHERE  # the row with a problem
    details = texts(at.markdown)
    assert (
        "Refresh problem:** ⚠️ Not found: the API has no job with this ID for this token" in details
    )
    at.selectbox(key="watchlist_details").set_value(COMPLETED).run()
    assert "dataset_hash:**" in texts(at.markdown)


def test_more_jobs_than_the_charts_draw_offer_show_all(app: AppTest) -> None:
    at = open_watchlist(app, *SCENARIO_IDS.values())
    toggle = at.toggle(key="watchlist_charts_all")
    assert toggle.label == f"Show all {len(SCENARIO_IDS)} jobs in the charts"
    assert "the 20 longest" in texts(at.caption)
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    assert "the 20 longest" not in texts(at.caption)
