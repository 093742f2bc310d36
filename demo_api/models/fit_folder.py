"""Where the seeded fits are kept on disk: named without importing the libraries that fit them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CACHE_ENV = "EOMER_DEMO_CACHE_DIR"


def cache_dir(env: Mapping[str, str] = os.environ) -> Path:
    """`$EOMER_DEMO_CACHE_DIR`, else `$XDG_CACHE_HOME/eomer-demo`, else `~/.cache/eomer-demo`."""
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eomer-demo"
