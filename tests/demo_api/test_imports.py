"""demo_api imports nothing of ours, and its product modules leave the test apparatus alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import demo_api

OURS = {"app", "pages", "components", "dashboard", "eomer_client", "bench", "tests"}
PACKAGE = Path(demo_api.__file__).parent
APPARATUS = "demo_api.testing"
# Old import paths kept for code outside demo_api: each only re-exports the apparatus.
RE_EXPORTS = {"beacon.py", "hostile.py", "hostile_jobs.py"}


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _module_level_imports(path: Path) -> set[str]:
    """Modules imported at the top of the file, not inside a function (where fences are)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_demo_api_imports_none_of_our_other_packages() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert modules
    offending = {str(p.name): _top_level_imports(p) & OURS for p in modules}
    assert {name: bad for name, bad in offending.items() if bad} == {}


def test_product_modules_do_not_import_the_test_apparatus_at_module_level() -> None:
    product = [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "testing" not in p.relative_to(PACKAGE).parts and p.name not in RE_EXPORTS
    ]
    assert len(product) > 20
    offending = {
        str(p.relative_to(PACKAGE)): sorted(
            n for n in _module_level_imports(p) if n.startswith(APPARATUS)
        )
        for p in product
    }
    assert {name: bad for name, bad in offending.items() if bad} == {}


def test_a_demo_without_faults_or_hostile_jobs_never_loads_the_test_apparatus() -> None:
    script = (
        "import sys\n"
        "from demo_api.app import create_app\n"
        "from demo_api.server import start_demo_server\n"
        "create_app()\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('demo_api.testing'))\n"
        "print(loaded)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
        timeout=120,
    )
    assert run.stdout.strip() == "[]"
