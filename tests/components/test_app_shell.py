"""The app shell leans on one private Streamlit attribute: this fails the day it changes."""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager

from components.shell.app_shell import require_app_shell
from dashboard.session.routes import ROUTES, URL_PATHS
from tests.conftest import ROOT


def test_streamlit_still_has_the_pages_directory_flag_the_shell_reads() -> None:
    # require_app_shell reads it to run a page inside the shell when Streamlit ran it alone.
    assert isinstance(PagesManager.uses_pages_directory, bool | None)
    assert "uses_pages_directory" in vars(PagesManager)
    assert callable(require_app_shell)


def test_every_route_names_a_page_script_that_exists_and_paths_are_unique() -> None:
    assert all((ROOT / route.script).is_file() for route in ROUTES)
    assert len(set(URL_PATHS)) == len(URL_PATHS)
    assert [route for route in ROUTES if route.is_default] == [ROUTES[0]]
