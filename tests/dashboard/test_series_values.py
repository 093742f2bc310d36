"""Cells of a file of series read as values: numbers, missing cells, times, and lines to name."""

from __future__ import annotations

from datetime import UTC, timedelta

import numpy as np
import pandas as pd
import pytest

from dashboard.series.series_values import (
    SHOWN_LINES,
    first_lines,
    lines_of,
    lines_text,
    missing_values,
    numbers_of,
    parse_series_times,
)
from dashboard.tables.table_attrs import LINES


def _times(*text: str) -> pd.Series:
    parsed = parse_series_times(pd.Series(text), "timestamp")
    assert parsed.error is None, parsed.error
    return pd.Series(parsed.times)


def test_decimal_commas_and_grouped_thousands_are_read_where_the_file_writes_them() -> None:
    cells = pd.Series(["1.234,5", "0,5", "7", "seven", "inf", ""])
    assert numbers_of(cells, ",").tolist()[:3] == [1234.5, 0.5, 7.0]
    assert numbers_of(cells, ",").iloc[3:].isna().all()  # text, infinity and blanks: no number
    # Text cells of a spreadsheet (no decimal mark known): "1,5" is a decimal comma.
    assert numbers_of(pd.Series(["1,5", "2.5", "1e3"]), None).tolist() == [1.5, 2.5, 1000.0]
    # A file written with decimal points: "1,5" is no number.
    assert numbers_of(pd.Series(["1,5", "2.5"]), ".").isna().tolist() == [True, False]


def test_written_numbers_are_read_among_names_and_dates_in_one_column() -> None:
    cells = ["12,345.60", "\u00a01.5", " 1e3\u00a0", "12 345,6", "12'345.6", "-7"]
    cells += ["s0001", "2024-01-01", "nan", "\u00a0inf", "12:30"]
    numbers = numbers_of(pd.Series(cells, dtype=object), ".").tolist()
    assert numbers[:6] == [12345.6, 1.5, 1000.0, 12345.6, 12345.6, -7.0]
    assert np.isnan(numbers[6:]).all()


def test_cells_that_say_no_value_are_missing_whatever_their_case_and_spaces() -> None:
    cells = pd.Series(["", " NA ", "n/a", "null", "None", "#N/A", "-", "0", "x"])
    assert missing_values(cells).tolist() == [True] * 7 + [False] * 2


def test_lines_are_the_files_own_when_read_table_indexed_them_else_counted_from_two() -> None:
    frame = pd.DataFrame({"a": ["x", "y", "z"]}, index=[3, 4, 6])
    assert lines_of(frame).tolist() == [2, 3, 4]
    frame.attrs[LINES] = True
    assert lines_of(frame).tolist() == [3, 4, 6]


def test_messages_name_the_first_lines_and_count_the_rest() -> None:
    lines = np.arange(2, 16, dtype=np.int64)
    bad = np.arange(14) % 2 == 1
    shown = first_lines(lines, bad)
    assert len(shown) == SHOWN_LINES
    assert lines_text(shown, 1_005) == "3, 5, 7, 9, 11 and 1,000 more"
    assert lines_text([7], 1) == "7"


def test_zoned_times_keep_their_offset() -> None:
    times = _times("2024-03-01T10:00:00+05:30", "2024-03-01T11:00:00+05:30")
    assert times.dt.tz.utcoffset(None) == timedelta(hours=5, minutes=30)
    assert times.iloc[0] == pd.Timestamp("2024-03-01T04:30:00Z")


def test_times_with_several_offsets_are_kept_as_utc() -> None:
    times = _times("2024-03-30T23:00:00+01:00", "2024-03-31T23:00:00+02:00")
    assert times.dt.tz == UTC
    assert times.tolist() == [
        pd.Timestamp("2024-03-30T22:00:00Z"),
        pd.Timestamp("2024-03-31T21:00:00Z"),
    ]


def test_step_times_become_whole_numbers() -> None:
    parsed = parse_series_times(pd.Series(["1", "2", "3"]), "step")
    assert parsed.kind == "step"
    assert pd.Series(parsed.times).tolist() == [1, 2, 3]
    assert not pd.api.types.is_datetime64_any_dtype(pd.Series(parsed.times))


def test_unclear_date_order_asks_for_it_without_the_readers_command_line_flags() -> None:
    text = pd.Series(["01/02/2024", "02/02/2024"])
    refused = parse_series_times(text, "date")
    assert refused.error is not None
    assert refused.error.endswith("day first (UK, Europe) or month first (US).")
    assert "--" not in refused.error
    settled = parse_series_times(text, "date", dayfirst=True)
    assert pd.Series(settled.times).dt.month.tolist() == [2, 2]


@pytest.mark.parametrize(
    ("text", "what", "bad_lines"),
    [
        (["2024-01-01", "yesterday", "2024-01-03"], "cannot be read as a time", [4]),
        (["2024-01-01", "", "2024-01-03", " "], "is empty", [4, 7]),
    ],
)
def test_a_bad_or_empty_time_names_its_file_lines(
    text: list[str], what: str, bad_lines: list[int]
) -> None:
    lines = np.array([3, 4, 6, 7][: len(text)], dtype=np.int64)
    parsed = parse_series_times(pd.Series(text), "t", lines)
    assert parsed.times is None
    assert parsed.bad_lines == bad_lines
    assert parsed.bad_count == len(bad_lines)
    assert parsed.error is not None
    assert parsed.error.startswith(f"The time column 't' {what} on line(s) ")
