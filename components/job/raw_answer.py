"""The job as the API answered it: its JSON pretty-printed, the token blanked, downloadable."""

from __future__ import annotations

import json

import streamlit as st
from pydantic import JsonValue

from eomer_client.bodies import without_secret
from eomer_client.models import Job

RAW_LABEL = "Raw answer from the API"
RAW_KEY = "job_raw_answer"
# A job with thousands of artifacts answers megabytes: the page shows the start, the file has all.
SHOWN_CHARS = 200_000


def answer_text(answer: JsonValue, token: str | None) -> str:
    """Pretty-printed JSON with every spelling of `token` blanked (as the client blanks bodies)."""
    text = json.dumps(answer, indent=2, ensure_ascii=False)
    # The client blanked the body it read, but a token JSON-escaped there is plain text here.
    return without_secret(text.encode(), token).decode() if token else text


def raw_answer(job: Job, token: str | None) -> None:
    """A collapsed expander with the answer of GET /jobs/{id}, drawn only once it is opened."""
    # Tracking its state lets a closed expander skip its content: the answer can be megabytes.
    box = st.expander(RAW_LABEL, key=RAW_KEY, on_change="rerun", icon=":material/data_object:")
    if not box.open:
        return
    with box:
        if job.raw_answer is None:
            st.caption("This job was not read from an API answer, so there is none to show.")
            return
        text = answer_text(job.raw_answer, token)
        st.caption(
            "`GET /jobs/{id}` as the API answered it, before the dashboard read it; "
            "the API token, wherever it appeared, is shown as \\*\\*\\*."
        )
        st.download_button(
            "Download the answer (JSON)",
            text,
            file_name=f"job-{job.job_id}.json",
            mime="application/json",
            icon=":material/download:",
            key=f"{RAW_KEY}_download",
        )
        if len(text) > SHOWN_CHARS:
            st.caption(f"The first {SHOWN_CHARS:,} of {len(text):,} characters; the file has all.")
        st.code(text[:SHOWN_CHARS], language="json", wrap_lines=True)
