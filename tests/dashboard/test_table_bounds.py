"""Tables read from a file keep within their bounds, and column guessing looks at a sample."""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
import pytest

from dashboard.series_files import SeriesColumns, SeriesFileError, guess_columns, read_table
from dashboard.tables.table_bounds import GUESS_COLUMNS
from harness import hostile_files

LIMIT = 20 << 20


def test_a_csv_of_two_thousand_columns_is_refused_naming_the_bound() -> None:
    with pytest.raises(SeriesFileError, match=r"2,000 columns; files of at most 1,000 columns"):
        read_table(hostile_files.wide_csv(), "wide.csv", LIMIT)


def test_a_csv_of_more_cells_than_allowed_is_refused_before_it_is_parsed() -> None:
    content = b"a,b,c,d,e\n" + b"1,2,3,4,5\n" * 1_100_000
    with pytest.raises(SeriesFileError, match=r"5,500,0\d\d cells.*at most 5,000,000"):
        read_table(content, "cells.csv", LIMIT)


def test_a_cell_longer_than_allowed_is_refused_with_its_line() -> None:
    content = b"timestamp,target\n2024-01-01,1\n2024-01-02," + b"9" * 5_000 + b"\n"
    with pytest.raises(
        SeriesFileError, match=r"cell of 5,000 characters \(column 'target', line 3"
    ):
        read_table(content, "long.csv", LIMIT)


def test_a_time_cell_followed_by_thousands_of_spaces_is_read_and_judged_at_once() -> None:
    frame = read_table(hostile_files.regex_csv(), "regex.csv", LIMIT)
    with pytest.raises(SeriesFileError, match="No time column found"):
        guess_columns(frame)


class _Watched(pd.DataFrame):
    """A table that notes which columns were read (a fake: the real reads, recorded)."""

    _metadata: ClassVar[list[str]] = ["read"]
    read: set[str]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            self.read.add(key)
        return super().__getitem__(key)


def test_guessing_reads_the_cells_of_a_sample_of_columns_only() -> None:
    names = [f"c{index}" for index in range(900)] + ["timestamp", "sales"]
    rows = [[f"v{row}" for _ in range(900)] + [f"2024-01-{row:02d}", str(row)] for row in (1, 2)]
    watched = _Watched(pd.DataFrame(rows, columns=names, dtype=str))
    watched.read = set()
    assert guess_columns(watched) == SeriesColumns(None, "timestamp", "sales")
    assert len(watched.read) <= GUESS_COLUMNS + 2
