"""The lock held by code that swaps Python's process-wide warning filters for a long stretch."""

from __future__ import annotations

import threading

# `warnings.catch_warnings` saves the process-wide filter list on entry and restores it on exit,
# so two threads inside one at the same time undo each other's filters (Python < 3.14). Each
# forecast fit holds such a block for its whole length (to keep the model's warnings), and
# FastAPI holds one while it builds a route (to silence a pydantic warning it always raises
# there); where warnings are errors, a fit restoring the filters mid-build turns the build into
# an exception. Routes are therefore built before a server serves (demo_api.routes.serve), and
# fits and any route building that can overlap running servers (mounting the test apparatus in
# demo_api.app) hold this lock.
FILTERS_LOCK = threading.Lock()
