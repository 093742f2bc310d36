"""demo_api imports nothing of ours: testing the client against it must prove something."""

from __future__ import annotations

import ast
from pathlib import Path

import demo_api

OURS = {"app", "pages", "components", "dashboard", "eomer_client", "bench", "tests"}


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_demo_api_imports_none_of_our_other_packages() -> None:
    package = Path(demo_api.__file__).parent
    modules = sorted(package.rglob("*.py"))
    assert modules
    offending = {str(p.name): _top_level_imports(p) & OURS for p in modules}
    assert {name: bad for name, bad in offending.items() if bad} == {}
