"""Every upload widget has a size cap, and the server's upload route the largest of them."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from dashboard.safety.upload_limits import MAX_FILE_MB

ROOT = Path(__file__).resolve().parent.parent.parent


def _uploaders() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted((ROOT / "components").rglob("*.py")) + sorted((ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.file_uploader":
                found.append((path.name, node))
    return found


def test_every_upload_widget_names_its_size_cap() -> None:
    uploaders = _uploaders()
    assert len(uploaders) >= 4  # /new, the viewer's attach, /compare's two
    uncapped = [
        name
        for name, call in uploaders
        if not any(keyword.arg == "max_upload_size" for keyword in call.keywords)
    ]
    assert uncapped == []


def test_the_servers_upload_route_takes_the_largest_file_a_widget_takes() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_FILE_MB
