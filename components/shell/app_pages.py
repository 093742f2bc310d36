"""The page config and the navigation, drawn before anything slow is imported."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.session.routes import ROUTES

# A local file: a Material or emoji page icon makes the browser fetch it from a third party.
FAVICON = Path(__file__).resolve().parent.parent.parent / "assets" / "favicon.png"
ABOUT = (
    "**Eomer jobs dashboard**: watch forecast jobs of the Eomer API live, read why one failed, "
    "its explainability and its forecast."
)


def app_navigation() -> StreamlitPage:
    """Configure the page and draw the navigation; returns the page the URL names."""
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
    # .streamlit/config.toml hides the list of raw file names Streamlit draws for pages/ on a
    # fresh server's first run, before this has run once; these pages, titled, are shown.
    st.set_option("client.showSidebarNavigation", True)
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
    return st.navigation(pages)
