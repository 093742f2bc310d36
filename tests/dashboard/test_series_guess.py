"""Guessing which column is which by what names mean: the value over volume and covariates, row
ids never a series, composite keys, wide files melted, and ties refused naming both."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.series.observations import ITEM, VALUE
from dashboard.series.series_columns import SeriesColumns
from dashboard.series.series_guess import guess_columns
from dashboard.series.series_rows import to_observations
from dashboard.tables.table_attrs import SeriesFileError
from dashboard.tables.table_reading import read_table

LIMIT = 1 << 20


def _read(content: bytes) -> pd.DataFrame:
    return read_table(content, "series.csv", LIMIT)


def test_the_close_is_the_value_of_market_data_not_the_volume() -> None:
    content = (
        b"Date,Open,High,Low,Close,Adj Close,Volume\n"
        b"2024-01-02,187.15,188.44,183.89,185.64,184.73,82488700\n"
        b"2024-01-03,184.22,185.88,183.43,184.25,183.35,58414500\n"
    )
    columns = guess_columns(_read(content))
    assert columns == SeriesColumns(None, "Date", "Close")
    assert columns.notes[0].startswith("value column 'Close' (named like a value) over")


def test_the_target_of_a_benchmark_set_is_found_among_its_covariates() -> None:
    content = (
        b"date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT\n"
        b"2016-07-01 00:00:00,5.827,2.009,1.599,0.462,4.203,1.340,30.531\n"
        b"2016-07-01 01:00:00,5.693,2.076,1.492,0.426,4.142,1.371,27.787\n"
    )
    assert guess_columns(_read(content)).target == "OT"


def test_a_row_id_is_no_series_and_two_columns_name_the_series_together() -> None:
    # As the store-sales competition writes it: id numbers rows; store and family name series.
    rows = [
        f"{n},{day},{store},{family},{n * 1.5},0"
        for n, (day, store, family) in enumerate(
            (d, s, f)
            for d in ("2017-01-01", "2017-01-02")
            for s in (1, 2)
            for f in ("BREAD", "DAIRY")
        )
    ]
    content = ("id,date,store_nbr,family,sales,onpromotion\n" + "\n".join(rows)).encode()
    frame = _read(content)
    columns = guess_columns(frame)
    assert columns == SeriesColumns(("store_nbr", "family"), "date", "sales")
    assert any("together" in note for note in columns.notes)
    observed = to_observations(frame, columns, "train.csv").frame
    assert observed[ITEM].unique().tolist() == ["1 / BREAD", "1 / DAIRY", "2 / BREAD", "2 / DAIRY"]
    assert len(observed) == 8


def test_walmart_stores_and_departments_and_the_holiday_flag() -> None:
    content = (
        b"Store,Dept,Date,Weekly_Sales,IsHoliday\n"
        b"1,1,2010-02-05,24924.5,FALSE\n1,1,2010-02-12,46039.49,TRUE\n"
        b"1,2,2010-02-05,50605.27,FALSE\n1,2,2010-02-12,44682.74,TRUE\n"
        b"2,1,2010-02-05,35034.06,FALSE\n2,1,2010-02-12,60483.7,TRUE\n"
    )
    assert guess_columns(_read(content)) == SeriesColumns(("Store", "Dept"), "Date", "Weekly_Sales")


def test_a_country_column_of_one_value_is_no_series() -> None:
    content = b"country,date,value\nUS,2024-01-01,1\nUS,2024-01-02,2\nUS,2024-01-03,3\n"
    assert guess_columns(_read(content)) == SeriesColumns(None, "date", "value")


def test_a_pandas_index_column_is_neither_the_value_nor_a_series() -> None:
    content = b",date,reading\n0,2024-01-01,5.5\n1,2024-01-02,6.5\n2,2024-01-03,4.5\n"
    assert guess_columns(_read(content)) == SeriesColumns(None, "date", "reading")


def test_a_wide_file_of_meters_is_melted_one_series_a_column() -> None:
    # As the electricity load data set writes it: semicolons, decimal commas, one meter a column.
    content = (
        b'"";"MT_001";"MT_002";"MT_003"\n'
        b'"2011-01-01 00:15:00";0,0;2,84;1,5\n"2011-01-01 00:30:00";1,2;2,5;0\n'
    )
    frame = _read(content)
    columns = guess_columns(frame)
    assert columns.target == ("MT_001", "MT_002", "MT_003")
    assert columns.item is None
    assert any("melted" in note for note in columns.notes)
    observed = to_observations(frame, columns, "LD2011_2014.txt").frame
    assert observed[ITEM].unique().tolist() == ["MT_001", "MT_002", "MT_003"]
    assert observed[VALUE].tolist() == [0.0, 1.2, 2.84, 2.5, 1.5, 0.0]


def test_a_row_per_series_with_step_columns_and_no_dates_is_refused_saying_so() -> None:
    content = b"id,item_id,d_1,d_2,d_3,d_4\nA_1,A,3,0,1,2\nB_1,B,0,0,1,5\n"
    with pytest.raises(SeriesFileError, match=r"one row per series and one column per step"):
        guess_columns(_read(content))


def test_a_row_per_series_with_a_column_per_year_is_refused_naming_the_years() -> None:
    # The World Bank's layout: country, code, indicator, then one column per year, early ones
    # empty; the years are no steps, and the message says what they are.
    years = list(range(1960, 1976))
    header = "Country Name,Country Code,Indicator Name,Indicator Code," + ",".join(map(str, years))
    rows = [
        f"{name},{code},GDP (current US$),NY.GDP.MKTP.CD,"
        + ",".join("" if year < 1965 else f"{year * 1.5:.1f}" for year in years)
        for name, code in (("Aruba", "ABW"), ("Angola", "AGO"))
    ]
    content = ("\n".join([header, *rows]) + "\n").encode()
    with pytest.raises(SeriesFileError, match=r"one column per year \('1960' … '1975', 16 columns"):
        guess_columns(_read(content))


def test_two_columns_of_numbers_that_nothing_ranks_are_refused_naming_both() -> None:
    content = b"date,Germany,France\n2024-01-01,1,2\n2024-01-02,3,4\n"
    with pytest.raises(SeriesFileError, match=r"'Germany', 'France'\. Choose the value column"):
        guess_columns(_read(content))
    # Named, they are read as asked: one of them, or both as one series each.
    frame = _read(content)
    assert guess_columns(frame, target=["France"]).target == "France"
    both = guess_columns(frame, target=["Germany", "France"])
    assert to_observations(frame, both, "x").frame[ITEM].unique().tolist() == [
        "France",
        "Germany",
    ]
