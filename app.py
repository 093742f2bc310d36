"""Entry point: page config, the shared connection sidebar, and navigation over the pages."""

from __future__ import annotations

from components.shell.app_pages import app_navigation

# Drawn before the wiring and the components are imported (seconds on a cold server), so the
# first paint already has the navigation with its titles and icons.
page = app_navigation()

import deps  # noqa: E402
from components.shell.app_shell import run_app  # noqa: E402

run_app(deps, page)
