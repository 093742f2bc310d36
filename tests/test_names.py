"""Names a reader can search for: no two product classes share a name across the code."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = (
    "components",
    "dashboard",
    "deps",
    "eomer_client",
    "store",
    "demo_api",
    "deploy",
    "harness",
    "localserve",
)


def _public_classes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                    found[node.name].append(str(path.relative_to(ROOT)))
    return found


def test_no_two_public_classes_share_a_name() -> None:
    repeated = {name: where for name, where in _public_classes().items() if len(where) > 1}
    assert repeated == {}


def test_the_scan_sees_the_classes_it_is_about() -> None:
    found = _public_classes()
    assert found["WeightedLru"] == ["eomer_client/weighted_lru.py"]
    assert len(found) > 100
