"""A CSV the API links is read in a worker and shown as a table, or refused naming its bound."""

from __future__ import annotations

from harness import hostile_files
from tests.apptest import function_app


def _table_app(body: bytes) -> None:
    import streamlit as st

    from components.job.remote_content import remote_content
    from dashboard.caching.content_budget import ContentBudget
    from dashboard.caching.content_cache import ContentCache
    from eomer_client.client import Fetched

    def fetch(url: str, max_bytes: int, accept: object) -> Fetched:
        return Fetched(body, "text/csv", url)

    if "content" not in st.session_state:
        st.session_state.content = ContentCache(fetch, ContentBudget(2**24))
    remote_content(
        st.session_state.content,
        "https://files.test/table.csv",
        declared_format="csv",
        key="table",
        title="A table",
    )


def test_a_csv_artifact_is_shown_as_a_table() -> None:
    at = function_app(_table_app, args=(b"a,b\n1,2\n3,4\n",)).run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value.to_dict("list") == {"a": [1, 3], "b": [2, 4]}


def test_a_csv_artifact_of_two_thousand_columns_is_refused_naming_the_bound() -> None:
    wide = hostile_files.wide_csv(rows=5)
    at = function_app(_table_app, args=(wide,)).run()
    assert not at.exception, at.exception
    assert not at.dataframe
    shown = " ".join(str(element.value) for element in [*at.error, *at.markdown, *at.caption])
    assert "2\\,000 columns" in shown
