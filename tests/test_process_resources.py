"""The tests' clearing of process resources reaches every `st.cache_resource` of the product."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT
from tests.process_resources import wiring_resources

PRODUCT = ("app.py", "pages", "components", "dashboard", "deps", "eomer_client", "store")


def _product_files() -> list[Path]:
    files: list[Path] = []
    for name in PRODUCT:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def _decorated_resources() -> set[str]:
    """`module.function` of every function the product decorates with `st.cache_resource`."""
    names: set[str] = set()
    for path in _product_files():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                called = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(called).endswith("cache_resource"):
                    names.add(f"{module}.{node.name}")
    return names


def test_every_process_resource_of_the_product_is_one_the_tests_clear() -> None:
    decorated = _decorated_resources()
    assert "deps.resources.demo_api_url" in decorated  # the parse finds them
    # A CachedFunc carries its function's names (functools.update_wrapper); its type omits them.
    found = {f"{r.__module__}.{r.__qualname__}" for r in wiring_resources()}  # type: ignore[attr-defined]
    assert found == decorated
