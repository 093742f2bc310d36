"""The app shell (page config, navigation, connection sidebar) that every page runs inside."""

from __future__ import annotations

import os
from functools import partial
from typing import Protocol

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.uploaded_file_manager import UploadedFile

from components.common.plain_text import escape_markdown
from components.shell.app_pages import app_navigation
from components.shell.connection import ConnectionMemory, sidebar_connection
from components.shell.connection_notice import connection_notice
from components.shell.sign_in import Account, SignIn, sidebar_sign_in, sign_in_gate
from dashboard.jobs.demo_tour import DemoJob
from dashboard.session.connection_settings import Connection, SettingsError, snapshots_members_only
from dashboard.session.return_to import read_return_path, return_path
from dashboard.session.routes import SNAPSHOT_PAGE, SNAPSHOT_PARAM
from eomer_client.errors import EomerError

THEME_HINT = ":material/contrast: Light or dark: the **⋮** menu at the top right."
# Streamlit's frontend asks the server it reconnects to for a run only when the page has a timed
# fragment: without one, a tab whose replica died kept its old page, unrefreshed, until a click.
RECONNECT_TIMER_SECONDS = 3600
# Set on a session's first signed-in run: only that run may take the page kept for sign-in.
RETURN_CHECKED_KEY = "shell_return_checked"


class Wiring(Protocol):
    """What the shell needs from the wiring (the `deps` package): connect, the demo's jobs, the
    signed-in analyst's account and saved connection (each raises SettingsError when the store
    cannot be used), and the uploads a session may make."""

    def connect(self, choice: Connection) -> EomerError | None: ...

    def demo_jobs(self) -> list[DemoJob]: ...

    def sign_in(self, issuer: str, sub: str, email: str | None, name: str | None) -> None: ...

    def sign_out(self) -> None: ...

    def forget_me(self) -> None: ...

    def remember_return(self, path: str) -> None: ...

    def take_return(self) -> str | None: ...

    def saved_connection(self) -> Connection | None: ...

    def remember_connection(self, choice: Connection | None) -> None: ...

    def open_uploads(self, allowed: bool) -> None: ...

    def release_uploads(self, in_use: set[str]) -> None: ...


def run_app(wiring: Wiring, page: StreamlitPage | None = None) -> None:
    """Draw the shared sidebar and run `page` (app.py drew the navigation), else the URL's page."""
    page = page or app_navigation()
    with st.sidebar:
        connection_notice()  # every page, signed in or not: the server may go away under any
    notice = st.empty()
    here = return_path(page.url_path, {k: st.query_params.get_all(k) for k in st.query_params})
    before_login = partial(wiring.remember_return, here) if here else lambda: None
    account = Account(wiring.sign_in, wiring.sign_out, wiring.forget_me, before_login)
    signed = sidebar_sign_in(account)
    # Streamlit's upload route takes files for a session only once it passed the gate.
    wiring.open_uploads(signed.status is not SignIn.SIGNED_OUT)
    if signed.status is SignIn.SIGNED_OUT:
        if _snapshot_link(page):
            page.run()  # the store only, as for members below: no connection, no API asked
            return
        # No page and no connection: nothing of the team's is shown, no API is asked.
        sign_in_gate(signed.providers, before_login)
        return
    if signed.status is SignIn.SIGNED_IN:
        _return_after_sign_in(wiring, page.url_path)
    if page.url_path == SNAPSHOT_PAGE.url_path:
        # A snapshot is read from the store alone: no connection, no token, no API request.
        page.run()
        return
    memory = None
    if signed.status is SignIn.SIGNED_IN:
        memory = ConnectionMemory(wiring.saved_connection, wiring.remember_connection)
    sidebar_connection(wiring.connect, wiring.demo_jobs, notice=notice, memory=memory)
    st.sidebar.caption(THEME_HINT)
    with st.sidebar:
        _run_again_after_a_reconnect()
    page.run()
    # A run that ended (not stopped or rerun): every widget holding a file is in the state.
    wiring.release_uploads(_uploads_in_use())


@st.fragment(run_every=RECONNECT_TIMER_SECONDS)
def _run_again_after_a_reconnect() -> None:
    """Draws nothing: its timer makes the page run again on whichever server it reconnects to."""


def _return_after_sign_in(wiring: Wiring, url_path: str) -> None:
    """Open the page the browser was on before signing in (Streamlit's callback lands on `/`).

    Only a session's first signed-in run takes it: another tab of the browser, already signed
    in and rerunning, must not take the page a tab that is signing in kept.
    """
    if st.session_state.get(RETURN_CHECKED_KEY):
        return
    st.session_state[RETURN_CHECKED_KEY] = True
    target = read_return_path(wiring.take_return())
    # A visit that already names a page or a query is where the analyst means to be.
    if target is None or url_path != "" or len(st.query_params) > 0:
        return
    if target.route.url_path != "" or target.query:
        st.switch_page(target.route.script, query_params=target.query_params)


def _snapshot_link(page: StreamlitPage) -> bool:
    """A snapshot's link, opened signed out where the deployment shares snapshots by link.

    Only `/snapshot?id=`: the list of one's own snapshots stays behind the gate. A malformed
    setting keeps snapshots for members (and says so) rather than opening them.
    """
    if page.url_path != SNAPSHOT_PAGE.url_path or not st.query_params.get(SNAPSHOT_PARAM):
        return False
    try:
        return not snapshots_members_only(os.environ, st.secrets)
    except SettingsError as err:
        st.error(escape_markdown(str(err)), icon=":material/error:")
        return False


def _uploads_in_use() -> set[str]:
    """The IDs of the files the session's upload widgets hold."""
    held: set[str] = set()
    for value in st.session_state.to_dict().values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, UploadedFile):
                held.add(item.file_id)
    return held


def require_app_shell(wiring: Wiring) -> None:
    """Run this page inside the app shell when Streamlit ran the page file on its own.

    Streamlit 1.67 treats a `pages/` folder as a v1 multipage app until `st.navigation` has run
    once in the process, so a shared `/watchlist` link opened first on a fresh server (and every
    AppTest rerun) runs the page file alone, without the sidebar. `st.navigation` clears that
    flag, and page hashes come from the URL path, so the shell runs this same page again, in
    this same run (widget events are kept); then the outer, shell-less run stops.
    `PagesManager.uses_pages_directory` is private: tests/components/test_app_shell.py fails
    the day Streamlit renames or drops it.
    """
    if PagesManager.uses_pages_directory:
        run_app(wiring)
        st.stop()
