"""The one way tests build a Streamlit AppTest: the dashboard's app.py, or a function as an app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
# A run's deadline, not its expected time: a rerun takes well under a second on an idle machine,
# but two workers, their browsers and a CPU hog beside them once made one take over 3 s (AppTest's
# default) and over 60 s. A page that hangs still fails, only later.
RUN_DEADLINE_SECONDS = 180


def dashboard_app() -> AppTest:
    """The dashboard's app.py, not yet run."""
    return AppTest.from_file(ROOT / "app.py", default_timeout=RUN_DEADLINE_SECONDS)


def function_app(script: Callable[..., Any], *, args: tuple[Any, ...] = ()) -> AppTest:
    """`script` run as a Streamlit app with `args`, not yet run."""
    return AppTest.from_function(script, args=args, default_timeout=RUN_DEADLINE_SECONDS)
