"""Import rules and folders of docs/architecture.md, checked against the real imports and files."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# Third-party packages a layer row's "never imports" may name in prose.
THIRD_PARTY_WORDS = {"Streamlit": "streamlit", "httpx": "httpx"}
# The two folders issue 22 sorted by capability and feature, and the limit on a folder's modules.
SORTED_FOLDERS = ("dashboard", "components")
MAX_MODULES = 20
# Modules left at the top of a sorted folder on purpose.
TOP_LEVEL = {"dashboard/series_files.py"}  # `python3 -m dashboard.series_files` is public

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


@cache
def parsed(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once per process: the checks here walk the same files."""
    return ast.parse(path.read_text(encoding="utf-8"))


@cache
def imported_top_levels(path: Path) -> frozenset[str]:
    """Top-level package names a module imports."""
    names: set[str] = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return frozenset(names)


def imported_wiring(path: Path) -> set[str]:
    """The modules of deps/ a module imports (`from deps.x import`, `import deps.x`)."""
    names: set[str] = set()
    for node in ast.walk(parsed(path)):
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


def _cells(section: str) -> list[list[str]]:
    """The rows of the tables in a section of docs/architecture.md, as lists of cells."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in body.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]


def _ticked(cell: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", cell))


def documented_layers() -> dict[str, tuple[set[str], set[str]]]:
    """Each layer's row: the packages of ours it imports, and what it never imports."""
    layers = {}
    for name, _holds, imports, _uses, never in _cells("Layers"):
        package = name.strip("`").removesuffix("/").removesuffix(".py")
        words = {module for word, module in THIRD_PARTY_WORDS.items() if word in never}
        layers[package] = (_ticked(imports), _ticked(never) | words)
    return layers


def our_packages() -> list[str]:
    folders = [path.name for path in ROOT.iterdir() if (path / "__init__.py").is_file()]
    return sorted([*folders, "app", "pages"])


def imports_of_ours() -> dict[str, set[str]]:
    """The import graph of our top-level packages, drawn from every module's imports."""
    ours = set(our_packages())
    return {
        package: {
            name
            for path in modules_of(package)
            for name in imported_top_levels(path) & ours
            if name != package
        }
        for package in ours
    }


def test_every_package_but_the_tests_has_a_row_in_the_layer_table() -> None:
    assert sorted(documented_layers()) == sorted(set(our_packages()) - {"tests"})


def test_the_layer_table_names_exactly_the_packages_each_layer_imports() -> None:
    graph = imports_of_ours()
    documented = {package: imports for package, (imports, _) in documented_layers().items()}
    differences = {
        package: {
            "undocumented": sorted(graph[package] - names),
            "unused": sorted(names - graph[package]),
        }
        for package, names in documented.items()
        if graph[package] != names
    }
    assert differences == {}


@pytest.mark.parametrize("package", sorted(documented_layers()))
def test_package_imports_nothing_its_row_says_it_never_imports(package: str) -> None:
    never = documented_layers()[package][1]
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_top_levels(path) & never)
        for path in modules_of(package)
    }
    assert {name: bad for name, bad in offending.items() if bad} == {}


def test_nothing_imports_the_tests() -> None:
    graph = imports_of_ours()
    assert sorted(package for package, names in graph.items() if "tests" in names) == []


def test_every_layer_has_modules_to_check() -> None:
    assert all(modules_of(package) for package in our_packages())


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


def test_no_two_packages_import_each_other() -> None:
    graph = imports_of_ours()
    pairs = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph[b]})
    assert pairs == []


def test_no_circle_of_packages() -> None:
    ours = set(our_packages())
    graph = imports_of_ours()
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


# Packages whose parts must not import each other in a circle: a part is a sub-package, or a
# module at the package's top. A circle means two parts are one, or a shared piece belongs lower.
PARTED = ("dashboard", "components", "demo_api")
# The dashboard's parts from the bottom up: each imports only the ones before it, so a shared
# piece has one place to go (docs/architecture.md, "Folders", lists the folders in this order).
DASHBOARD_ORDER = [
    "tables",
    "session",
    "safety",
    "forecasts",
    "series",
    "series_files",
    "isolation",
    "jobs",
    "analysis",
    "caching",
    "snapshot",
]


def _part_of(package: str, dotted: str) -> str:
    """The part of `package` a dotted module name falls in."""
    parts = dotted.split(".")
    if len(parts) > 1 and (
        (ROOT / package / parts[1]).is_dir() or (ROOT / package / f"{parts[1]}.py").is_file()
    ):
        return ".".join(parts[:2])
    return package


def _imported_modules(path: Path) -> set[str]:
    """Dotted names a module imports, each `from x import y` as both `x` and `x.y`."""
    names: set[str] = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def part_graph(package: str) -> dict[str, set[str]]:
    """Which parts of `package` each part imports."""
    graph: dict[str, set[str]] = {}
    for path in modules_of(package):
        source = _part_of(package, ".".join(path.relative_to(ROOT).with_suffix("").parts))
        targets = {
            _part_of(package, name)
            for name in _imported_modules(path)
            if name.split(".")[0] == package
        }
        graph.setdefault(source, set()).update(targets - {source, package})
    return graph


def circles_in(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of parts that reach one another by imports (strongly connected), sorted."""
    reach = {node: _reachable(graph, node) for node in graph}
    groups = {
        tuple(sorted(other for other in reach[node] if node in reach.get(other, set())))
        for node in graph
    }
    return sorted(list(group) for group in groups if len(group) > 1)


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in graph.get(todo.pop(), set()) - seen:
            seen.add(target)
            todo.append(target)
    return seen


@pytest.mark.parametrize("package", PARTED)
def test_no_circle_among_the_parts_of_a_package(package: str) -> None:
    assert circles_in(part_graph(package)) == []


def test_each_part_of_the_dashboard_imports_only_the_parts_below_it() -> None:
    graph = part_graph("dashboard")
    assert sorted(graph) == sorted(f"dashboard.{name}" for name in [*DASHBOARD_ORDER, "__init__"])
    offending = {
        name: sorted(graph[f"dashboard.{name}"] - {f"dashboard.{x}" for x in DASHBOARD_ORDER[:at]})
        for at, name in enumerate(DASHBOARD_ORDER)
    }
    assert {name: above for name, above in offending.items() if above} == {}


def test_the_dashboard_folder_table_lists_the_folders_from_the_bottom_up() -> None:
    rows = [row[0].strip("`").removesuffix("/") for row in _cells("Folders")]
    documented = [row.removeprefix("dashboard/") for row in rows if row.startswith("dashboard/")]
    assert documented == [name for name in DASHBOARD_ORDER if name != "series_files"]


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles_in(graph) == [["a", "b", "c"]]


def _folders_of(top: str) -> list[Path]:
    return sorted({path.parent for path in (ROOT / top).rglob("*.py")})


def _modules_in(folder: Path) -> list[Path]:
    return [path for path in folder.glob("*.py") if path.name != "__init__.py"]


@pytest.mark.parametrize("top", SORTED_FOLDERS)
def test_no_folder_holds_more_than_twenty_modules(top: str) -> None:
    crowded = {
        str(folder.relative_to(ROOT)): len(_modules_in(folder))
        for folder in _folders_of(top)
        if len(_modules_in(folder)) > MAX_MODULES
    }
    assert crowded == {}


@pytest.mark.parametrize("top", SORTED_FOLDERS)
def test_a_sorted_folder_keeps_its_modules_in_its_sub_packages(top: str) -> None:
    loose = {str(path.relative_to(ROOT)) for path in _modules_in(ROOT / top)} - TOP_LEVEL
    assert sorted(loose) == []


def test_the_folder_tables_name_every_sub_package() -> None:
    documented = {row[0].strip("`").removesuffix("/") for row in _cells("Folders")}
    real = {
        str(folder.relative_to(ROOT))
        for top in SORTED_FOLDERS
        for folder in _folders_of(top)
        if folder.parent == ROOT / top
    }
    assert sorted(documented) == sorted(real)


def test_module_names_of_the_sorted_folders_are_used_once_in_the_product() -> None:
    # Benchmarks are named for what they measure (bench/series_files.py), and tests mirror.
    product = [
        path
        for package in set(our_packages()) - {"tests", "bench", "app"}
        for path in modules_of(package)
        if path.name not in {"__init__.py", "__main__.py"}
    ]
    sorted_names = {path.name for top in SORTED_FOLDERS for path in (ROOT / top).rglob("*.py")} - {
        "__init__.py"
    }
    seen: dict[str, list[str]] = {}
    for path in product:
        if path.name in sorted_names:
            seen.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {name: sorted(paths) for name, paths in seen.items() if len(paths) > 1} == {}
