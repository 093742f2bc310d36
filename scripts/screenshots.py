"""Refresh docs/screenshots/ from the browser tests that take them (the tests alone never do)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "screenshots"


def main() -> int:
    """Run the browser tests that take pictures, in every window, writing into the docs."""
    env = {**os.environ, "EOMER_SCREENSHOT_DIR": str(FOLDER)}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-m", "pictures"]
    return subprocess.run([*command, "tests/e2e"], cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
