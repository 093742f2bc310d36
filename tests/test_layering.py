"""Import rules of STYLE.md: pages -> components -> dashboard -> eomer_client; deps/ wires them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each layer must never import (of ours, or of third parties where it says so).
FORBIDDEN: dict[str, set[str]] = {
    "eomer_client": {"streamlit", "app", "deps", "pages", "components", "dashboard", "demo_api"},
    "dashboard": {"streamlit", "httpx", "app", "deps", "pages", "components", "demo_api"},
    # Components take data or a function that fetches: no HTTP, no wiring, no demo server.
    "components": {"httpx", "app", "deps", "pages", "demo_api"},
    "pages": {"httpx", "app", "demo_api"},
    "deps": {"app", "pages", "components"},
    "demo_api": {"app", "deps", "pages", "components", "dashboard", "eomer_client", "harness"},
    # Test servers and benchmarks are shared by tests; they never reach back into tests.
    "harness": {"tests", "bench", "app", "deps", "pages", "components"},
    "bench": {"tests"},
    # Local processes the launcher and the tests share: nothing of ours above them.
    "localserve": {
        "tests",
        "bench",
        "harness",
        "deploy",
        "app",
        "deps",
        "pages",
        "components",
        "dashboard",
        "eomer_client",
        "demo_api",
        "store",
        "streamlit",
        "httpx",
    },
    # Running replicas: processes and configuration only, nothing of the dashboard itself and
    # nothing of the tests' harness (the product launcher must not need it).
    "deploy": {
        "tests",
        "harness",
        "bench",
        "app",
        "deps",
        "pages",
        "components",
        "dashboard",
        "eomer_client",
        "demo_api",
        "streamlit",
    },
    # The team store is plain data access: no Streamlit, no HTTP, nothing of the dashboard's.
    "store": {
        "streamlit",
        "httpx",
        "app",
        "deps",
        "pages",
        "components",
        "dashboard",
        "eomer_client",
        "demo_api",
        "harness",
        "tests",
    },
}

# The wiring's modules from the bottom up: each imports only the ones before it, so the package
# has no circle and a new piece of wiring has one place (docs/architecture.md, "The wiring").
WIRING_ORDER = [
    "browser",
    "resources",
    "sessions",
    "team",
    "snapshots",
    "tenants",
    "jobs",
    "history",
    "forecasts",
    "uploads",
]


def imported_top_levels(path: Path) -> set[str]:
    """Top-level package names a module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def imported_wiring(path: Path) -> set[str]:
    """The modules of deps/ a module imports (`from deps.x import`, `import deps.x`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            if node.module == "deps":
                modules = [f"deps.{alias.name}" for alias in node.names]
        names.update(name.split(".")[1] for name in modules if name.startswith("deps."))
    return names


def modules_of(package: str) -> list[Path]:
    single = ROOT / f"{package}.py"
    return [single] if single.is_file() else sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_its_layer_allows(package: str) -> None:
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_top_levels(path) & FORBIDDEN[package])
        for path in modules_of(package)
    }
    assert {name: bad for name, bad in offending.items() if bad} == {}


def test_every_layer_has_modules_to_check() -> None:
    assert all(modules_of(package) for package in FORBIDDEN)


def test_the_wiring_is_a_package_whose_modules_import_only_those_below_them() -> None:
    wiring = ROOT / "deps"
    assert not (ROOT / "deps.py").exists()  # it would be shadowed by the package, unseen
    assert sorted(path.stem for path in wiring.glob("*.py")) == sorted([*WIRING_ORDER, "__init__"])
    offending = {
        name: sorted(imported_wiring(wiring / f"{name}.py") - set(WIRING_ORDER[:position]))
        for position, name in enumerate(WIRING_ORDER)
    }
    assert {name: above for name, above in offending.items() if above} == {}


def test_the_product_demo_does_not_import_its_testing_apparatus() -> None:
    apparatus = ROOT / "demo_api" / "testing"
    product = [path for path in modules_of("demo_api") if apparatus not in path.parents]
    offending = [
        str(path.relative_to(ROOT))
        for path in product
        if "demo_api.testing" in path.read_text(encoding="utf-8")
        # The app mounts the apparatus when faults or hostile mode is on; the server takes a clock.
        and path.name not in {"app.py", "server.py"}
    ]
    assert offending == []


def _our_packages() -> list[str]:
    folders = [path.name for path in ROOT.iterdir() if (path / "__init__.py").is_file()]
    return sorted([*folders, "app"])


def test_no_circle_of_packages() -> None:
    ours = set(_our_packages())
    graph = {
        package: {
            name
            for path in modules_of(package)
            for name in imported_top_levels(path) & ours
            if name != package
        }
        for package in ours
    }
    circles = []

    def visit(package: str, trail: list[str]) -> None:
        for target in sorted(graph[package]):
            if target in trail:
                circles.append([*trail[trail.index(target) :], target])
            elif len(trail) < len(ours):
                visit(target, [*trail, target])

    for package in sorted(ours):
        visit(package, [package])
    assert circles == []
