"""The checks before a file is sent: each problem names its lines, its column or its series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.series.series_checks import Problem, check_series
from dashboard.series_files import SeriesColumns, read_table

LIMIT = 1 << 20
COLUMNS = SeriesColumns("item_id", "timestamp", "target")


def _check(content: bytes, columns: SeriesColumns = COLUMNS, **limits: int) -> list[Problem]:
    frame = read_table(content, "series.csv", LIMIT)
    return check_series(
        frame,
        columns,
        size_bytes=limits.get("size_bytes", len(content)),
        max_bytes=limits.get("max_bytes", LIMIT),
        max_items=limits.get("max_items", 500),
    )


GOOD = b"item_id,timestamp,target\na,2024-01-01,1\na,2024-01-02,2\nb,2024-01-01,3\nb,2024-01-02,4\n"


def test_a_good_file_has_no_problem() -> None:
    assert _check(GOOD) == []


def test_a_missing_column_and_a_column_in_two_roles_are_named() -> None:
    problems = _check(GOOD, SeriesColumns("item_id", "date", "target"))
    assert [(problem.column, problem.line) for problem in problems] == [("date", None)]
    assert problems[0].message.startswith("There is no column 'date' in the file; its columns")
    problems = _check(GOOD, SeriesColumns("item_id", "timestamp", "timestamp"))
    assert [problem.column for problem in problems] == ["timestamp"]
    assert "chosen for two roles" in problems[0].message


def test_unreadable_times_name_the_first_lines() -> None:
    content = (
        b"item_id,timestamp,target\na,2024-01-01,1\na,soon,2\na,2024-01-03,3\na,later,4\na,,5\n"
    )
    problems = _check(content)
    assert len(problems) == 1
    assert (problems[0].column, problems[0].line) == ("timestamp", 6)
    assert "'timestamp' is empty on line(s) 6." in problems[0].message
    problems = _check(content.replace(b"a,,5\n", b""))
    assert (problems[0].column, problems[0].line) == ("timestamp", 3)
    assert "cannot be read as a time on line(s) 3, 5." in problems[0].message


def test_targets_that_are_not_numbers_name_their_lines_and_empty_ones_are_left_out() -> None:
    content = (
        b"item_id,timestamp,target\na,2024-01-01,1 kg\na,2024-01-02,\na,2024-01-03,NA\n"
        b"a,2024-01-04,.\na,2024-01-05,3\na,2024-01-06,4\n"
    )
    problems = _check(content)
    assert [(problem.column, problem.line) for problem in problems] == [("target", 2)]
    assert "holds '1 kg', not a number, on line(s) 2." in problems[0].message


def test_a_series_with_one_observation_is_named() -> None:
    problems = _check(GOOD + b"lonely,2024-01-01,5\n")
    assert [problem.line for problem in problems] == [6]
    assert "1 series have a single observation: 'lonely'." in problems[0].message


def test_repeated_times_name_the_series_and_its_lines() -> None:
    problems = _check(GOOD + b"b,2024-01-02,9\n")
    assert [problem.line for problem in problems] == [5]
    assert "Series 'b' has the time 2024-01-02 00:00:00 more than once (lines 5, 6)" in (
        problems[0].message
    )


def test_step_times_cannot_be_sent() -> None:
    problems = _check(b"timestamp,target\n1,5\n2,6\n", SeriesColumns(None, "timestamp", "target"))
    assert [problem.column for problem in problems] == ["timestamp"]
    assert "step numbers" in problems[0].message


def test_the_size_and_the_number_of_series_are_limited() -> None:
    problems = _check(GOOD, size_bytes=3 << 20, max_bytes=2 << 20, max_items=1)
    assert [problem.message.split(";")[0] for problem in problems] == [
        "The file is 3.0 MB",
        "The file holds 2 series (column 'item_id')",
    ]


def test_a_million_rows_are_checked_and_their_problems_found() -> None:
    rows, items = 1_000_000, 500
    steps = rows // items
    times = pd.date_range("2000-01-01", periods=steps, freq="h").strftime("%Y-%m-%dT%H:%M:%S")
    stamps = np.tile(times.to_numpy(dtype=object), items)
    targets = np.arange(rows).astype(str).astype(object)
    frame = pd.DataFrame(
        {
            "item_id": np.repeat([f"item_{index}" for index in range(items)], steps),
            "timestamp": stamps,
            "target": targets,
        }
    )
    assert check_series(frame, COLUMNS, size_bytes=50 << 20, max_bytes=100 << 20) == []
    targets[700_000] = "n/a?"
    stamps[800_000] = stamps[800_001]
    broken = frame.assign(timestamp=stamps, target=targets)
    problems = check_series(broken, COLUMNS, size_bytes=50 << 20, max_bytes=100 << 20)
    # Without read_table's line index, row n is on line n + 2 (the header is line 1).
    assert [problem.line for problem in problems] == [700_002, 800_002]
    assert "Series 'item_400'" in problems[1].message
