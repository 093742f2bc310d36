"""Files as public sources and tools write them: preambles, header rows, footers, missing
values, thousands, periods, epochs and spreadsheets, each read with what was assumed said."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard.series.observations import ITEM, TIME, VALUE
from dashboard.series.series_columns import SeriesColumns
from dashboard.series.series_guess import guess_columns
from dashboard.series.series_rows import to_observations
from dashboard.tables.table_attrs import NOTES, SeriesFileError
from dashboard.tables.table_reading import read_table

LIMIT = 1 << 20


def _read(content: bytes, name: str = "series.csv") -> pd.DataFrame:
    return read_table(content, name, LIMIT)


def _observed(content: bytes, name: str = "series.csv") -> tuple[pd.DataFrame, list[str]]:
    frame = _read(content, name)
    observed = to_observations(frame, guess_columns(frame), name)
    return observed.frame, list(observed.notes)


def test_a_statistics_office_preamble_and_footnotes_are_skipped_and_said() -> None:
    content = (
        b'"Table 3.1: Retail sales index, monthly, seasonally adjusted"\n'
        b'"Source: Office for National Statistics"\n'
        b'"Release date: 2024-03-22"\n'
        b"\n"
        b'"Month","Retail sales index (2019=100)"\n'
        b'"2023-11","101.2"\n"2023-12","99.8"\n"2024-01","102.4"\n'
        b"\n"
        b'"Notes: figures for the latest month are provisional and will be revised"\n'
    )
    frame = _read(content)
    assert list(frame.columns) == ["Month", "Retail sales index (2019=100)"]
    assert frame.index.tolist() == [6, 7, 8]  # the file's own lines
    observed, notes = _observed(content)
    assert observed[VALUE].tolist() == [101.2, 99.8, 102.4]
    assert notes[0].startswith("skipped 3 line(s) above the header ('Table 3.1")
    assert notes[1].startswith("skipped 1 footer line(s) ('Notes: figures")


def test_a_header_of_several_rows_is_joined_as_yfinance_writes_it() -> None:
    content = (
        b"Price,Close,High,Low,Open,Volume\n"
        b"Ticker,AAPL,AAPL,AAPL,AAPL,AAPL\n"
        b"Date,,,,,\n"
        b"2024-01-02,185.64,188.44,183.89,187.15,82488700\n"
        b"2024-01-03,184.25,185.88,183.43,184.22,58414500\n"
    )
    frame = _read(content)
    assert list(frame.columns)[:2] == ["Price Ticker Date", "Close AAPL"]
    assert guess_columns(frame) == SeriesColumns(None, "Price Ticker Date", "Close AAPL")
    assert "column names joined from a header of 3 rows" in frame.attrs[NOTES]


def test_a_totals_row_at_the_end_is_no_observation() -> None:
    content = b"date,sales\n2024-01-01,10\n2024-01-02,12\nTotal,22\n"
    observed, notes = _observed(content)
    assert observed[VALUE].tolist() == [10.0, 12.0]
    assert "skipped 1 footer line(s) ('Total 22')" in notes


@pytest.mark.parametrize("missing", [b".", b"NA", b"-", b"null", b"", b"..", b"#N/A"])
def test_missing_values_are_dropped_and_counted_not_refused(missing: bytes) -> None:
    # FRED writes "." for a missing value, R "NA", Eurostat ":", spreadsheets "#N/A".
    content = b"DATE,GDP\n2020-01-01,100.5\n2020-04-01," + missing + b"\n2020-07-01,98.25\n"
    observed, notes = _observed(content)
    assert observed[VALUE].tolist() == [100.5, 98.25]
    assert "dropped 1 row(s) without a value (empty, NA, ., -...)" in notes


def test_thousands_separators_are_read_as_english_tools_write_them() -> None:
    content = b'date,revenue\n2024-01-01,"12,345.60"\n2024-01-02,"1,002,003"\n2024-01-03,7\n'
    observed, _ = _observed(content)
    assert observed[VALUE].tolist() == [12345.6, 1002003.0, 7.0]


def test_european_csv_with_decimal_commas_and_grouped_thousands() -> None:
    content = "Datum;Umsatz\n13.01.2024;1.234,50\n14.01.2024;12,5\n15.01.2024;\n".encode("cp1252")
    observed, notes = _observed(content)
    assert observed[VALUE].tolist() == [1234.5, 12.5]
    assert observed[TIME].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-13", "2024-01-14"]
    assert "dropped 1 row(s) without a value (empty, NA, ., -...)" in notes


@pytest.mark.parametrize(
    ("times", "first", "note"),
    [
        (["2024-W05", "2024-W06"], "2024-01-29", "ISO weeks"),
        (["2024Q1", "2024Q2"], "2024-01-01", None),
        (["2024-Q1", "2024-Q2"], "2024-01-01", None),
        (["Q1 2024", "Q2 2024"], "2024-01-01", "quarters"),
        (["2024M01", "2024M02"], "2024-01-01", "months"),
        (["1700.0", "1701.0"], "1700-01-01", "years written as numbers"),
        (["1990", "1991"], "1990-01-01", "whole numbers of four digits read as years"),
    ],
)
def test_periods_are_read_as_the_date_they_start_on(
    times: list[str], first: str, note: str | None
) -> None:
    content = ("period,value\n" + "".join(f"{t},{i}.5\n" for i, t in enumerate(times))).encode()
    observed, notes = _observed(content)
    assert observed[TIME].dt.strftime("%Y-%m-%d").iloc[0] == first
    assert len(observed) == 2
    if note is not None:
        assert any(text.startswith(note) for text in notes)


def test_a_column_of_whole_years_beside_values_is_the_time_not_a_step() -> None:
    content = b"YEAR,SUNACTIVITY\n1700,5\n1701,11\n1702,16\n"
    frame = _read(content)
    assert guess_columns(frame).timestamp == "YEAR"
    observed, _ = _observed(content)
    assert observed[TIME].dt.year.tolist() == [1700, 1701, 1702]


def test_epoch_seconds_are_read_as_times() -> None:
    observed, _ = _observed(b"timestamp,load\n1704067200,1.5\n1704070800,2.5\n")
    assert observed[TIME].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-01 01:00")]


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, index=False, header=False)
    return buffer.getvalue()


def test_a_spreadsheet_with_a_notes_sheet_and_a_title_row_reads_its_data_sheet() -> None:
    book = _workbook(
        {
            "About": [["This workbook holds the monthly sales of the Northern stores."]],
            "Data": [
                ["Monthly sales by store", None, None],
                [None, None, None],
                ["Store", "Month", "Sales"],
                ["North", "2024-01-01", 10],
                ["North", "2024-02-01", 12],
                ["South", "2024-01-01", 7],
                ["South", "2024-02-01", 8],
            ],
        }
    )
    frame = _read(book, "sales.xlsx")
    assert list(frame.columns) == ["Store", "Month", "Sales"]
    assert frame.index.tolist() == [4, 5, 6, 7]  # rows as the sheet numbers them
    notes = frame.attrs[NOTES]
    assert notes[0] == "read sheet 'Data' of 2 ('About', 'Data')"
    assert notes[1].startswith("skipped 1 line(s) above the header ('Monthly sales by store'")
    observed = to_observations(frame, guess_columns(frame), "sales.xlsx").frame
    assert observed[ITEM].tolist() == ["North", "North", "South", "South"]
    assert read_table(book, "sales.xlsx", LIMIT, sheet="Data").equals(frame)
    with pytest.raises(SeriesFileError, match="has no sheet 'Other'; its sheets are About, Data"):
        read_table(book, "sales.xlsx", LIMIT, sheet="Other")
