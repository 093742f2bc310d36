"""A job not found on this API but seen on another by this session: say so, offer to switch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted
from components.shell.connection import switch_connection
from dashboard.jobs.job_history import KnownTenant, Sighting, origin_label
from dashboard.jobs.timing import format_absolute

SWITCH_KEY = "job_switch_api"


def switch_sidebar(known: KnownTenant) -> None:
    """Point the sidebar at `known` before it draws (a button's callback).

    Its token stays on the server, for its own API only: never in the token field.
    """
    switch_connection(known.preset, known.api_url, known.token)


def seen_elsewhere(
    job_id: str, sightings: Sequence[Sighting], current: KnownTenant | None, tz: tzinfo
) -> None:
    """Name the API the job was last seen on and the sidebar's, with a button to switch."""
    if not sightings:
        return
    latest = sightings[0]
    where = origin_label(latest.known.origin)
    here = origin_label(current.origin) if current is not None else "no API"
    same_api = current is not None and current.origin == latest.known.origin
    by = "with another token this session used" if same_api else "by a token this session used"
    st.warning(
        f"**Job {escape_markdown(job_id)} was seen on {escape_untrusted(where)}** {by}, last "
        f"at {format_absolute(latest.entry.last_seen, tz)} (status "
        f"{escape_markdown(latest.entry.facts.status)}); the sidebar is on "
        f"{escape_untrusted(here)}. Switch back to see it; the job ID is kept.",
        icon=":material/swap_horiz:",
    )
    switch = f"Switch the sidebar to {escape_markdown(where)}"
    label = "Use the token used there" if same_api else switch
    st.button(
        label,
        key=SWITCH_KEY,
        icon=":material/swap_horiz:",
        on_click=switch_sidebar,
        args=(latest.known,),
    )
