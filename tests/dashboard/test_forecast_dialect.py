"""The layout of a forecast file's text: separator, decimal mark, header lines, encoding."""

from __future__ import annotations

import random

import pytest

from dashboard.forecasts.forecast_data import ForecastCsvError, ReadOptions
from dashboard.forecasts.forecast_dialect import Layout, sniff_layout


def layout(text: str, **options: object) -> Layout:
    return sniff_layout(text.encode(), ReadOptions(**options))  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_the_separator_is_the_one_the_rows_agree_on(separator: str, seed: int) -> None:
    rng = random.Random(seed)
    decimal = "," if separator != "," and rng.random() < 0.5 else "."
    header = ["item_id", "date", "mean", "0.1", "0.9"][: rng.randrange(2, 6)]
    rows = [
        [f"id{rng.randrange(99)}", "2024-01-01"]
        + [f"{rng.randrange(1000)}{decimal}{rng.randrange(10)}" for _ in header[2:]]
        for _ in range(rng.randrange(1, 30))
    ]
    text = "\n".join(separator.join(row) for row in [header, *rows]) + "\n"
    found = layout(text)
    assert (found.dialect.separator, found.names) == (separator, tuple(header))
    assert found.dialect.decimal == (decimal if len(header) > 2 else ".")


def test_a_semicolon_file_with_decimal_commas_is_not_split_on_its_commas() -> None:
    found = layout("item_id;date;0,1;0,9\nA;2024-01-01;1,5;2,5\nB;2024-01-01;3,5;4,5\n")
    assert (found.dialect.separator, found.dialect.decimal) == (";", ",")
    assert found.names == ("item_id", "date", "0,1", "0,9")


def test_excels_separator_line_is_obeyed_and_skipped() -> None:
    found = layout("sep=|\nitem_id|date|mean\nA|2024-01-01|1\n")
    assert (found.dialect.separator, found.dialect.skip_rows, found.names[0]) == ("|", 1, "item_id")


def test_a_chosen_separator_and_decimal_mark_win_over_the_guess() -> None:
    found = layout("a;b,c\n1;2,5\n", separator=";", decimal=".")
    assert (found.names, found.dialect.decimal) == (("a", "b,c"), ".")


def test_a_pandas_multi_row_header_is_joined_column_by_column() -> None:
    found = layout(",y,y\n,0.8,0.8\n,lower,upper\n2024-01,1,2\n")
    assert found.dialect.header_rows == 3
    assert found.names == ("(unnamed column 1)", "y 0.8 lower", "y 0.8 upper")
    assert found.rows == (("2024-01", "1", "2"),)


def test_the_index_name_line_of_a_multi_row_header_is_part_of_the_header() -> None:
    found = layout(",y,y\n,0.1,0.9\nmonth,,\n2024-01,1,2\n")
    assert (found.dialect.header_rows, found.names[0]) == (3, "month")


def test_a_file_that_is_one_column_whatever_the_separator_is_refused_naming_it() -> None:
    with pytest.raises(ForecastCsvError, match="one single column with every separator tried"):
        layout("date:forecast\n2024-01-01:1\n")


def test_a_file_that_is_not_utf8_is_read_in_windows_code_page() -> None:
    found = sniff_layout("item_id,date,mean\nCafé,2024-01-01,1\n".encode("cp1252"), ReadOptions())
    assert (found.dialect.encoding, found.rows[0][0]) == ("cp1252", "Café")
