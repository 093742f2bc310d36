"""The navigation is drawn before anything slow is imported: titled pages from the first paint."""

from __future__ import annotations

import builtins
import tomllib
from collections.abc import Mapping, Sequence
from types import ModuleType

import pytest
from streamlit import config as streamlit_config
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from dashboard.session.routes import ROUTES
from tests.apptest import dashboard_app
from tests.conftest import ROOT


def test_navigation_holds_the_titled_pages_before_the_wiring_is_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Importing the wiring and the components takes seconds on a cold server; until app.py calls
    # st.navigation the browser shows Streamlit's list of pages/ by file name, or nothing.
    seen: list[list[str]] = []
    real_import = builtins.__import__

    def recording_import(
        name: str,
        globals: Mapping[str, object] | None = None,
        locals: Mapping[str, object] | None = None,
        fromlist: Sequence[str] = (),
        level: int = 0,
    ) -> ModuleType:
        if name == "deps" and globals and str(globals.get("__file__", "")).endswith("app.py"):
            ctx = get_script_run_ctx()
            assert ctx is not None
            seen.append([str(p.get("page_name")) for p in ctx.pages_manager.get_pages().values()])
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", recording_import)
    dashboard_app().run()
    assert seen[:1] == [[route.title for route in ROUTES]]


def test_streamlits_file_name_list_is_hidden_until_the_titled_pages_replace_it() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showSidebarNavigation"] is False
    dashboard_app().run()
    assert streamlit_config.get_option("client.showSidebarNavigation") is True
