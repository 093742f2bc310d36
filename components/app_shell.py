"""The app shell (page config, navigation, connection sidebar) that every page runs inside."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from components.connection import sidebar_connection

# A local file: a Material or emoji page icon makes the browser fetch it from a third party.
FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"


def run_app() -> None:
    """Configure the page, draw the shared sidebar and run the page the URL names."""
    st.set_page_config(
        page_title="Eomer jobs",
        page_icon=str(FAVICON),
        layout="wide",
        initial_sidebar_state="expanded",
    )
    # URL contract: the job page is the root (`/?job=<id>`); the others keep their path for ever.
    pages = [
        st.Page("pages/job.py", title="Job", icon=":material/work:", default=True),
        st.Page(
            "pages/watchlist.py",
            title="Watch list",
            icon=":material/visibility:",
            url_path="watchlist",
        ),
        st.Page(
            "pages/forecast.py", title="Forecast", icon=":material/show_chart:", url_path="forecast"
        ),
    ]
    page = st.navigation(pages)
    sidebar_connection()
    page.run()


def require_app_shell() -> None:
    """Run this page inside the app shell when Streamlit ran the page file on its own.

    Streamlit 1.67 treats a `pages/` folder as a v1 multipage app until `st.navigation` has run
    once in the process, so a shared `/watchlist` link opened first on a fresh server (and every
    AppTest rerun) runs the page file alone, without the sidebar. `st.navigation` clears that
    flag, and page hashes come from the URL path, so the shell runs this same page again, in
    this same run (widget events are kept); then the outer, shell-less run stops.
    """
    if PagesManager.uses_pages_directory:
        run_app()
        st.stop()
