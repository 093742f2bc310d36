"""The app shell (page config, navigation, connection sidebar) that every page runs inside."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.uploaded_file_manager import UploadedFile

from components.connection import ConnectionMemory, sidebar_connection
from components.plain_text import escape_markdown
from components.sign_in import Account, SignIn, sidebar_sign_in, sign_in_gate
from dashboard.routes import ROUTES, SNAPSHOT_PAGE, SNAPSHOT_PARAM
from dashboard.session_data import DemoJob
from dashboard.settings import Connection, SettingsError, snapshots_members_only
from eomer_client.errors import EomerError

# A local file: a Material or emoji page icon makes the browser fetch it from a third party.
FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"
ABOUT = (
    "**Eomer jobs dashboard**: watch forecast jobs of the Eomer API live, read why one failed, "
    "its explainability and its forecast."
)
THEME_HINT = ":material/contrast: Light or dark: the **⋮** menu at the top right."


class Wiring(Protocol):
    """What the shell needs from the wiring (the `deps` module): connect, the demo's jobs, the
    signed-in analyst's account and saved connection (each raises SettingsError when the store
    cannot be used), and the uploads a session may make."""

    def connect(self, choice: Connection) -> EomerError | None: ...

    def demo_jobs(self) -> list[DemoJob]: ...

    def sign_in(self, issuer: str, sub: str, email: str | None, name: str | None) -> None: ...

    def sign_out(self) -> None: ...

    def forget_me(self) -> None: ...

    def saved_connection(self) -> Connection | None: ...

    def remember_connection(self, choice: Connection | None) -> None: ...

    def open_uploads(self, allowed: bool) -> None: ...

    def release_uploads(self, in_use: set[str]) -> None: ...


def run_app(wiring: Wiring) -> None:
    """Configure the page, draw the shared sidebar and run the page the URL names."""
    # "auto": shown on wide screens, collapsed on phones, where it would cover the page.
    # An About entry makes toolbarMode="minimal" show the ⋮ menu, and with it Streamlit's own
    # theme chooser (System, Light, Dark): Streamlit 1.67 lets a script read the theme only.
    st.set_page_config(
        page_title="Eomer jobs",
        page_icon=str(FAVICON),
        layout="wide",
        initial_sidebar_state="auto",
        menu_items={"About": ABOUT},
    )
    pages = [
        st.Page(
            route.script,
            title=route.title,
            icon=route.icon,
            url_path=route.url_path or None,
            default=route.is_default,
        )
        for route in ROUTES
    ]
    page = st.navigation(pages)
    notice = st.empty()
    signed = sidebar_sign_in(Account(wiring.sign_in, wiring.sign_out, wiring.forget_me))
    # Streamlit's upload route takes files for a session only once it passed the gate.
    wiring.open_uploads(signed.status is not SignIn.SIGNED_OUT)
    if signed.status is SignIn.SIGNED_OUT:
        if _snapshot_link(page):
            page.run()  # the store only, as for members below: no connection, no API asked
            return
        # No page and no connection: nothing of the team's is shown, no API is asked.
        sign_in_gate(signed.providers)
        return
    if page.url_path == SNAPSHOT_PAGE.url_path:
        # A snapshot is read from the store alone: no connection, no token, no API request.
        page.run()
        return
    memory = None
    if signed.status is SignIn.SIGNED_IN:
        memory = ConnectionMemory(wiring.saved_connection, wiring.remember_connection)
    sidebar_connection(wiring.connect, wiring.demo_jobs, notice=notice, memory=memory)
    st.sidebar.caption(THEME_HINT)
    page.run()
    # A run that ended (not stopped or rerun): every widget holding a file is in the state.
    wiring.release_uploads(_uploads_in_use())


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
