"""The table `scripts/check` ends with: its phases' wall times and the tests' time per folder."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path


def folder_seconds(junit_files: list[Path]) -> dict[str, float]:
    """Summed test time per test folder (tests/e2e, tests/pages, ...) from JUnit XML reports."""
    seconds: dict[str, float] = defaultdict(float)
    for path in junit_files:
        if not path.exists() or path.stat().st_size == 0:
            continue
        for case in ElementTree.parse(path).iter("testcase"):
            parts = case.get("classname", "").split(".")
            folder = "/".join(parts[:2]) if len(parts) > 2 else parts[0]
            seconds[folder] += float(case.get("time", 0) or 0)
    return dict(seconds)


# Below a second of one core's ticks (USER_HZ is 100), a share says nothing.
MIN_TICKS = 100


def busy_share(before: str, after: str) -> str:
    """The share of the machine's CPU time spent busy between two `busy all` tick readings."""
    (busy0, all0), (busy1, all1) = (map(int, reading.split()) for reading in (before, after))
    if all1 - all0 < MIN_TICKS:
        return "-"
    return f"{100 * (busy1 - busy0) / (all1 - all0):.0f} %"


def main(argv: list[str]) -> int:
    """argv: a file of `phase<TAB>seconds` lines, then the JUnit reports of the test runs."""
    phases = [line.split("\t") for line in Path(argv[0]).read_text().splitlines() if line]
    print(f"\n{'phase':<42}{'wall s':>8}{'cpu busy':>10}")
    for name, wall, before, after in phases:
        print(f"{name:<42}{wall:>8}{busy_share(before, after):>10}")
    folders = folder_seconds([Path(name) for name in argv[1:]])
    if folders:
        # Summed over both workers, so the folders add up to more than the test phases' wall time.
        print(f"\n{'tests per folder (worker time)':<34}{'s':>8}")
        for folder, total in sorted(folders.items(), key=lambda item: -item[1]):
            print(f"{folder:<34}{total:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
