"""The table `scripts/check` ends with: phase times, how busy the cores were, time per folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.phases import busy_share, folder_seconds, main


def test_busy_share_is_the_busy_ticks_over_all_ticks_between_two_readings() -> None:
    assert busy_share("100 400", "250 600") == "75 %"
    assert busy_share("100 400", "150 450") == "-"
    assert busy_share("100 400", "100 400") == "-"


def test_the_table_names_each_phase_with_its_time_and_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    phases = tmp_path / "phases"
    phases.write_text("installs\t9\t0 100\t50 200\ntests: all\t300\t50 200\t250 400\n")
    report = tmp_path / "main.xml"
    report.write_text(
        '<testsuites><testsuite><testcase classname="tests.e2e.test_x" name="a" time="2.5"/>'
        '<testcase classname="tests.pages.test_y" name="b" time="1.0"/></testsuite></testsuites>'
    )
    assert folder_seconds([report]) == {"tests/e2e": 2.5, "tests/pages": 1.0}
    assert main([str(phases), str(report)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[-2:] for line in lines if line.startswith(("installs", "tests:"))] == [
        ["50", "%"],
        ["100", "%"],
    ]
