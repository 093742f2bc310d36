"""Entry point: page config, the shared connection sidebar, and navigation over the pages."""

from __future__ import annotations

import deps
from components.app_shell import run_app

run_app(deps)
