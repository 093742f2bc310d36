"""The one way tests build a Streamlit AppTest: the dashboard's app.py, or a function as an app."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
# A run's deadline, not its expected time: a rerun takes well under a second on an idle machine,
# but two workers, their browsers and a CPU hog beside them once made one take over 3 s (AppTest's
# default) and over 60 s. A page that hangs still fails, only later.
RUN_DEADLINE_SECONDS = 180


def dashboard_app() -> AppTest:
    """The dashboard's app.py, not yet run."""
    return _sharing_components(
        AppTest.from_file(ROOT / "app.py", default_timeout=RUN_DEADLINE_SECONDS)
    )


def function_app(script: Callable[..., Any], *, args: tuple[Any, ...] = ()) -> AppTest:
    """`script` run as a Streamlit app with `args`, not yet run."""
    return _sharing_components(
        AppTest.from_function(script, args=args, default_timeout=RUN_DEADLINE_SECONDS)
    )


@cache
def _installed_components() -> BidiComponentManager:
    """Streamlit's registry of installed custom components, scanned once per process."""
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def _sharing_components(at: AppTest) -> AppTest:
    # Each new AppTest scans every installed distribution's metadata for custom components at its
    # first run (~0.25 s, most of a short test); a server scans once for all its sessions, so the
    # tests' apps share one scan as a server's sessions do.
    at._bidi_component_manager = _installed_components()
    return at
