"""A failing browser test carries the dashboard's log in its own report."""

from __future__ import annotations

import pytest

from harness.dashboard import ROOT

pytest_plugins = ["pytester"]

_FAILING_TEST = """
import subprocess
import sys
from pathlib import Path

from harness.dashboard import RUNNING, Dashboard


def test_first(tmp_path: Path) -> None:
    log = tmp_path / "streamlit.log"
    log.write_text("Traceback: MARKER-FROM-THE-DASHBOARD")
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    RUNNING.append(Dashboard("http://127.0.0.1:9", process, log))
    assert False, "the page did not show the job"


def test_second_passes() -> None:
    assert True
"""


def test_a_failing_test_report_holds_the_dashboard_log(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest("from tests.e2e.conftest import pytest_runtest_makereport\n")
    pytester.makepyfile(test_reports=_FAILING_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rN")
    result.assert_outcomes(passed=1, failed=1)
    # The log is in the first test's own section of the report, not printed at teardown.
    result.stdout.fnmatch_lines(
        ["*_ test_first _*", "*dashboard log http://127.0.0.1:9*", "*MARKER-FROM-THE-DASHBOARD*"]
    )
