"""A file the server did not keep (a cap on uploads) is refused on the page, with the reason."""

from __future__ import annotations

from dashboard.safety.upload_limits import REFUSED_TYPE
from tests.apptest import function_app

REASON = "This browser session would hold 80 MB of uploaded files; one session may hold 64 MB."


def _uploader_app() -> None:
    import streamlit as st

    from components.common.upload_field import kept_upload

    upload = kept_upload(st.file_uploader("A file", key="file", max_upload_size=20))
    st.write(f"kept {upload.name}" if upload is not None else "nothing kept")


def test_a_note_kept_in_place_of_a_file_says_why_and_gives_no_file() -> None:
    at = function_app(_uploader_app).run()
    at.file_uploader(key="file").set_value(("big.csv", REASON.encode(), REFUSED_TYPE)).run()
    [error] = at.error
    assert error.value.startswith("**big\\.csv was not kept.** This browser session would hold")
    assert "one session may hold 64 MB" in error.value
    assert at.markdown[-1].value == "nothing kept"


def test_a_kept_file_is_given() -> None:
    at = function_app(_uploader_app).run()
    at.file_uploader(key="file").set_value(("small.csv", b"a,b\n", "text/csv")).run()
    assert not at.error
    assert at.markdown[-1].value == "kept small.csv"
