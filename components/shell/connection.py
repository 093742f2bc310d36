"""The sidebar's connection settings: which API and which token; the wiring makes the client."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.plain_text import escape_markdown, escape_untrusted
from components.common.waiting import waiting
from components.shell.connection_token import (
    SAVED_TOKEN_KEY,
    SWITCHED_KEY,
    TOKEN_INPUT_KEY,
    TYPED_FOR_KEY,
    token_field,
)
from dashboard.jobs.demo_tour import DemoJob, readable_label
from dashboard.safety.api_policy import ApiPolicy, check_typed_url, resolve_policy
from dashboard.session.connection_settings import (
    ApiPreset,
    ConfiguredConnection,
    Connection,
    SettingsError,
    preset_url,
    resolve_connection,
)
from dashboard.session.routes import JOB_PAGE, JOB_PARAM
from eomer_client.errors import EomerError

PRESET_KEY = "connection_preset"
CUSTOM_URL_KEY = "connection_custom_url"
KEPT_KEY = "connection_kept"
RESTORED_KEY = "connection_restored"
# What KEPT_KEY holds for the built-in demo, the choice with nothing to save.
_DEMO_KEPT = "demo"
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


@dataclass(frozen=True)
class ConnectionMemory:
    """The signed-in analyst's saved connection: read it, and keep a new one (None: the demo).

    Both raise SettingsError when the store cannot be used; the sidebar says so and goes on.
    """

    load: Callable[[], Connection | None]
    keep: Callable[[Connection | None], None]


def switch_connection(preset: ApiPreset, api_url: str | None, token: str | None) -> None:
    """Point the sidebar at another API before it draws (a button's callback).

    The token is kept in the session's server-side state for `api_url` only: it never enters
    the token field (a widget's value reaches the browser), and a token typed for the API left
    behind is not carried over.
    """
    st.session_state[PRESET_KEY] = preset
    if preset is ApiPreset.CUSTOM and api_url is not None:
        st.session_state[CUSTOM_URL_KEY] = api_url
    st.session_state[TOKEN_INPUT_KEY] = ""
    st.session_state.pop(TYPED_FOR_KEY, None)
    held = Connection(api_url, token) if preset is not ApiPreset.DEMO and api_url else None
    st.session_state[SWITCHED_KEY] = held


def _choose(configured: ConfiguredConnection, policy: ApiPolicy) -> Connection:
    if configured.api_url is not None:
        st.caption(f"API set by the server: {escape_untrusted(configured.api_url)}")
        return Connection(configured.api_url, token_field(configured.token, configured.api_url))
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
    return Connection(url, token_field(server_token, url))


def sidebar_connection(
    connect: Callable[[Connection], EomerError | None],
    demo_jobs: Callable[[], list[DemoJob]],
    notice: DeltaGenerator,
    memory: ConnectionMemory | None = None,
) -> None:
    """Draw the connection settings in the sidebar and hand the choice to `connect`.

    A slow connect (the built-in demo API starting on a fresh server) is said in `notice`, a
    slot in the main area, where the viewer looks: the sidebar is collapsed on a phone.
    With `memory` (signed in), the saved connection is chosen on the session's first run, and
    a new choice replaces it.
    """
    with st.sidebar:
        st.header("Connection", anchor=False)
        configured = _deployment_setting(resolve_connection, _NO_SERVER_PRESET)
        policy = _deployment_setting(resolve_policy, _STRICT_POLICY)
        if memory is not None:
            _restore_saved(memory, configured, policy)
        choice = _choose(configured, policy)
        what = "Starting the built-in demo API" if choice.is_demo else "Connecting to the API"
        with waiting(what, where=notice):
            problem = connect(choice)
        if problem is not None:
            st.error(escape_markdown(problem.message), icon=":material/key_off:")
        elif memory is not None and not configured.token:
            _keep_choice(memory, choice)
        if choice.is_demo:
            with st.expander("Demo jobs", expanded=False):
                demo_job_links(demo_jobs, where=st.container())


def _restore_saved(
    memory: ConnectionMemory, configured: ConfiguredConnection, policy: ApiPolicy
) -> None:
    """On the session's first run, before anything is chosen, choose the saved connection."""
    if st.session_state.get(RESTORED_KEY):
        return
    st.session_state[RESTORED_KEY] = True
    st.session_state[KEPT_KEY] = _DEMO_KEPT
    if PRESET_KEY in st.session_state or configured.token:
        return
    try:
        saved = memory.load()
    except SettingsError as err:
        st.warning(escape_markdown(str(err)), icon=":material/cloud_off:")
        return
    if saved is None or saved.api_url is None:
        return
    st.session_state[KEPT_KEY] = saved.identity
    st.session_state[SAVED_TOKEN_KEY] = saved
    if configured.api_url is not None:
        return  # the server's address wins; the saved token serves it only if saved for it
    if saved.api_url == preset_url(ApiPreset.CLOUD):
        st.session_state[PRESET_KEY] = ApiPreset.CLOUD
    elif policy.custom_allowed:
        st.session_state[PRESET_KEY] = ApiPreset.CUSTOM
        st.session_state[CUSTOM_URL_KEY] = saved.api_url


def _keep_choice(memory: ConnectionMemory, choice: Connection) -> None:
    """Save a new complete choice (or forget the saved one for the demo), once per change."""
    if choice.is_demo:
        kept, keep = _DEMO_KEPT, None
    elif choice.api_url is not None and choice.token is not None:
        kept, keep = choice.identity, choice
    else:
        return  # half typed: the saved connection stays until a whole new one replaces it
    if st.session_state.get(KEPT_KEY) == kept:
        return
    try:
        memory.keep(keep)
    except SettingsError as err:
        st.warning(escape_markdown(str(err)), icon=":material/cloud_off:")
        return
    st.session_state[KEPT_KEY] = kept
    st.session_state[SAVED_TOKEN_KEY] = keep
    st.caption(":material/save: Connection saved for your next visit.")


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
