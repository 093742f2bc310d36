"""The sidebar's connection settings: which API and which token; the wiring makes the client."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.plain_text import escape_markdown, escape_untrusted
from components.waiting import waiting
from dashboard.api_policy import ApiPolicy, check_typed_url, resolve_policy
from dashboard.demo_tour import readable_label
from dashboard.routes import JOB_PAGE, JOB_PARAM
from dashboard.session_data import DemoJob
from dashboard.settings import (
    ApiPreset,
    ConfiguredConnection,
    Connection,
    SettingsError,
    preset_url,
    resolve_connection,
)
from eomer_client.errors import EomerError

PRESET_KEY = "connection_preset"
CUSTOM_URL_KEY = "connection_custom_url"
TOKEN_INPUT_KEY = "connection_token"
_NO_SERVER_PRESET = ConfiguredConnection(None, None, "none")
T = TypeVar("T")
# With the policy unreadable, only public https addresses may be typed.
_STRICT_POLICY = ApiPolicy()


def _deployment_setting(
    resolve: Callable[[Mapping[str, str], Mapping[str, object]], T], fallback: T
) -> T:
    """A setting from env or secrets; a malformed one is named in the sidebar, `fallback` used."""
    try:
        return resolve(os.environ, st.secrets)
    except SettingsError as err:
        st.error(escape_markdown(str(err)), icon=":material/settings:")
        return fallback


def _token_field(configured_token: str | None) -> str | None:
    if configured_token:
        st.caption(":material/key: API token configured by the server.")
        return configured_token
    typed = st.text_input(
        "API token",
        type="password",
        key=TOKEN_INPUT_KEY,
        help="Kept in this browser session on the server only; never put in a link.",
    )
    return typed.strip() or None


def _choose(configured: ConfiguredConnection, policy: ApiPolicy) -> Connection:
    if configured.api_url is not None:
        st.caption(f"API set by the server: {escape_untrusted(configured.api_url)}")
        return Connection(configured.api_url, _token_field(configured.token))
    offered = [p for p in ApiPreset if policy.custom_allowed or p is not ApiPreset.CUSTOM]
    chosen = st.radio("API", offered, format_func=lambda p: p.label, key=PRESET_KEY)
    preset = chosen or ApiPreset.DEMO
    if preset is ApiPreset.DEMO:
        st.badge("Demo data", icon=":material/science:", color="orange")
        st.caption("Jobs and forecasts come from the built-in demo API, not from Eomer.")
        return Connection(None, is_demo=True)
    typed_url = ""
    if preset is ApiPreset.CUSTOM:
        typed_url = st.text_input("API URL", key=CUSTOM_URL_KEY, placeholder="https://…")
    try:
        if preset is ApiPreset.CUSTOM:
            url: str | None = check_typed_url(typed_url, policy)
        else:
            url = preset_url(preset)
    except SettingsError as err:
        st.error(escape_markdown(str(err)), icon=":material/link_off:")
        url = None
    # The server's token goes only to the cloud: a typed URL could be anyone's server.
    server_token = configured.token if preset is ApiPreset.CLOUD else None
    return Connection(url, _token_field(server_token))


def sidebar_connection(
    connect: Callable[[Connection], EomerError | None],
    demo_jobs: Callable[[], list[DemoJob]],
    notice: DeltaGenerator,
) -> None:
    """Draw the connection settings in the sidebar and hand the choice to `connect`.

    A slow connect (the built-in demo API starting on a fresh server) is said in `notice`, a
    slot in the main area, where the viewer looks: the sidebar is collapsed on a phone.
    """
    with st.sidebar:
        st.header("Connection", anchor=False)
        configured = _deployment_setting(resolve_connection, _NO_SERVER_PRESET)
        choice = _choose(configured, _deployment_setting(resolve_policy, _STRICT_POLICY))
        what = "Starting the built-in demo API" if choice.is_demo else "Connecting to the API"
        with waiting(what, where=notice):
            problem = connect(choice)
        if problem is not None:
            st.error(escape_markdown(problem.message), icon=":material/key_off:")
        if choice.is_demo:
            with st.expander("Demo jobs", expanded=False):
                demo_job_links(demo_jobs, where=st.container())


def demo_job_links(load: Callable[[], list[DemoJob]], where: DeltaGenerator) -> None:
    """Links to the demo API's jobs; nothing when the session is not on the demo."""
    try:
        jobs = load()
    except (EomerError, ValueError) as err:
        where.caption(f"The demo job list could not be loaded: {escape_markdown(str(err))}")
        return
    for job in jobs:
        # In an analyst's words, as on the first page: the scenario names are test vocabulary.
        where.page_link(
            JOB_PAGE.script,
            label=escape_markdown(readable_label(job)),
            query_params={JOB_PARAM: job.job_id},
        )
