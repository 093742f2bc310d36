"""CSV exports: formula cells neutralised, numbers (negative ones too) left as numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.tables.csv_exports import FORMULA_STARTS, neutralised_cell, safe_csv

ATTACKS = [
    '=HYPERLINK("http://evil.test","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_text_cell_a_spreadsheet_would_run_starts_with_an_apostrophe(attack: str) -> None:
    frame = pd.DataFrame({"item_id": [attack], "status": [attack], "mean": [1.5]})
    (row,) = rows_of(safe_csv(frame))
    assert row["item_id"] == row["status"] == "'" + attack
    assert row["mean"] == "1.5"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_dangerous_first_character_is_neutralised(start: str) -> None:
    assert neutralised_cell(f"{start}x") == f"'{start}x"


@pytest.mark.parametrize("value", [-3, -2.5, 0, 7, 1e-9, None, "plain", "a=b", "x-1"])
def test_numbers_and_harmless_text_are_left_alone(value: object) -> None:
    assert neutralised_cell(value) == value


def test_negative_numbers_stay_numbers_in_the_file() -> None:
    frame = pd.DataFrame({"mean": [-2.5, 3.0], "count": [-1, 4]})
    assert rows_of(safe_csv(frame)) == [
        {"mean": "-2.5", "count": "-1"},
        {"mean": "3.0", "count": "4"},
    ]


def test_a_column_name_is_neutralised_too() -> None:
    frame = pd.DataFrame({"=cmd()": ["a"]})
    assert next(iter(rows_of(safe_csv(frame))[0])) == "'=cmd()"
