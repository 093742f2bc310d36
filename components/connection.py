"""The sidebar's connection: which API, which token, and the one client every page uses."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.plain_text import escape_markdown
from dashboard.settings import (
    ApiPreset,
    ConfiguredConnection,
    SettingsError,
    preset_url,
    resolve_connection,
)
from eomer_client.client import EomerClient
from eomer_client.errors import EomerError

DEMO_TOKEN = "demo-token"
PRESET_KEY = "connection_preset"
CUSTOM_URL_KEY = "connection_custom_url"
TOKEN_INPUT_KEY = "connection_token"
JOB_PAGE = "pages/job.py"
_ACTIVE_KEY = "connection_active"
_CLIENT_KEY = "connection_client"
_CACHES_KEY = "connection_caches"
_POOL_KEY = "connection_pool"
_SCENARIOS_MAX_BYTES = 1024 * 1024
_NO_SERVER_PRESET = ConfiguredConnection(None, None, "none")


@dataclass(frozen=True)
class ActiveConnection:
    """The API and token this session uses now; `identity` scopes every cache to both."""

    api_url: str | None
    token: str | None
    is_demo: bool = False

    def __repr__(self) -> str:
        token = "None" if self.token is None else "'***'"
        return f"ActiveConnection(api_url={self.api_url!r}, token={token})"

    @property
    def identity(self) -> str:
        digest = hashlib.sha256((self.token or "").encode()).hexdigest()[:16]
        return f"{self.api_url}|{digest}"


@st.cache_resource(show_spinner="Starting the built-in demo API…")
def demo_api_url() -> str:
    """One built-in demo API per dashboard process, started on first use."""
    from demo_api.server import start_background_server

    url: str = start_background_server()
    return url


def _close_pool(http: httpx.Client) -> None:
    http.close()


# Closed when the cache lets it go, so its sockets are not left for the garbage collector.
@st.cache_resource(show_spinner=False, on_release=_close_pool)
def shared_http() -> httpx.Client:
    """One connection pool for every session; it holds no token and keeps no cookies."""
    # A shared cookie jar would carry one analyst's session cookies into another's requests.
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    return httpx.Client(follow_redirects=False, cookies=jar, limits=limits)


def _server_preset() -> ConfiguredConnection:
    try:
        return resolve_connection(os.environ, st.secrets)
    except SettingsError as err:
        st.error(escape_markdown(str(err)), icon=":material/settings:")
        return _NO_SERVER_PRESET


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


def _choose(configured: ConfiguredConnection) -> ActiveConnection:
    if configured.api_url is not None:
        st.caption(f"API set by the server: {escape_markdown(configured.api_url)}")
        return ActiveConnection(configured.api_url, _token_field(configured.token))
    chosen = st.radio("API", list(ApiPreset), format_func=lambda p: p.label, key=PRESET_KEY)
    preset = chosen or ApiPreset.DEMO
    if preset is ApiPreset.DEMO:
        st.badge("Demo data", icon=":material/science:", color="orange")
        st.caption("Jobs and forecasts come from the built-in demo API, not from Eomer.")
        return ActiveConnection(demo_api_url(), DEMO_TOKEN, is_demo=True)
    typed_url = ""
    if preset is ApiPreset.CUSTOM:
        typed_url = st.text_input("API URL", key=CUSTOM_URL_KEY, placeholder="https://…")
    try:
        url = preset_url(preset, typed_url)
    except SettingsError as err:
        st.error(escape_markdown(str(err)), icon=":material/link_off:")
        url = None
    # The server's token goes only to the cloud: a typed URL could be anyone's server.
    server_token = configured.token if preset is ApiPreset.CLOUD else None
    return ActiveConnection(url, _token_field(server_token))


def sidebar_connection() -> ActiveConnection:
    """Draw the connection settings in the sidebar and make the session's client from them."""
    with st.sidebar:
        st.header("Connection", anchor=False)
        active = _choose(_server_preset())
        _remember(active)
        if active.is_demo:
            with st.expander("Demo jobs", expanded=False):
                demo_job_links(where=st.container())
    return active


def _remember(active: ActiveConnection) -> None:
    previous = st.session_state.get(_ACTIVE_KEY)
    pool = shared_http()
    same_pool = st.session_state.get(_POOL_KEY) is pool  # a released pool is closed
    if (
        isinstance(previous, ActiveConnection)
        and previous.identity == active.identity
        and same_pool
    ):
        return
    st.session_state[_ACTIVE_KEY] = active
    st.session_state[_POOL_KEY] = pool
    st.session_state[_CLIENT_KEY] = None
    if active.api_url is None or active.token is None:
        return
    try:
        st.session_state[_CLIENT_KEY] = EomerClient(active.api_url, active.token, http=pool)
    except EomerError as err:
        st.error(escape_markdown(err.message), icon=":material/key_off:")


def current_client() -> EomerClient | None:
    """The session's client, or None while no API address or token is set."""
    client = st.session_state.get(_CLIENT_KEY)
    return client if isinstance(client, EomerClient) else None


def session_cache(name: str) -> dict[str, Any]:
    """A per-session dict for `name`, emptied whenever the API address or token changes."""
    active = st.session_state.get(_ACTIVE_KEY)
    identity = active.identity if isinstance(active, ActiveConnection) else ""
    scoped = st.session_state.get(_CACHES_KEY)
    if not isinstance(scoped, tuple) or scoped[0] != identity:
        scoped = (identity, {})
        st.session_state[_CACHES_KEY] = scoped
    caches: dict[str, dict[str, Any]] = scoped[1]
    return caches.setdefault(name, {})


def _demo_scenarios(client: EomerClient) -> list[dict[str, str]]:
    cache = session_cache("demo_scenarios")
    if "list" not in cache:
        fetched = client.fetch(
            client.base_url + "/_demo/scenarios",
            max_bytes=_SCENARIOS_MAX_BYTES,
            accept=["application/json"],
        )
        rows = json.loads(fetched.content)
        cache["list"] = [
            {key: str(row.get(key, "")) for key in ("job_id", "scenario", "status")}
            for row in rows
            if isinstance(row, dict)
        ]
    scenarios: list[dict[str, str]] = cache["list"]
    return scenarios


def demo_job_links(where: DeltaGenerator) -> None:
    """Links to the demo API's jobs, when the session is on the demo."""
    active = st.session_state.get(_ACTIVE_KEY)
    client = current_client()
    if not isinstance(active, ActiveConnection) or not active.is_demo or client is None:
        return
    try:
        scenarios = _demo_scenarios(client)
    except (EomerError, ValueError) as err:
        where.caption(f"The demo job list could not be loaded: {escape_markdown(str(err))}")
        return
    for row in scenarios:
        label = f"{row['scenario'].replace('_', ' ')} · {row['status']}"
        where.page_link(JOB_PAGE, label=escape_markdown(label), query_params={"job": row["job_id"]})
