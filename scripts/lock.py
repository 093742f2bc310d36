"""Regenerate requirements.txt and requirements-dev.txt, pinned with hashes, from the .in files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPILE = [sys.executable, "-m", "uv", "pip", "compile", "--quiet", "--python-version", "3.11"]
COMPILE += ["--generate-hashes", "--custom-compile-command", "python3 -m scripts.lock"]


def main(upgrade: bool) -> None:
    """Lock the runtime first, then the tools constrained to the runtime's exact versions."""
    extra = ["--upgrade"] if upgrade else []
    runtime = [*COMPILE, *extra, "requirements.in", "-o", "requirements.txt"]
    tools = [*COMPILE, *extra, "-c", "requirements.txt", "requirements-dev.in"]
    subprocess.run(runtime, cwd=ROOT, check=True)
    subprocess.run([*tools, "-o", "requirements-dev.txt"], cwd=ROOT, check=True)


if __name__ == "__main__":
    main(upgrade="--upgrade" in sys.argv[1:])
