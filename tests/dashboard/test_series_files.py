"""Reading files of observed series: dialects, spreadsheets, refused kinds, columns, times."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from dashboard.series.observations import ITEM, TIME, VALUE
from dashboard.series_files import (
    SeriesColumns,
    SeriesFileError,
    guess_columns,
    read_table,
    to_observations,
)

LIMIT = 1 << 20
SEMICOLON = (
    "sep=;\nDatum;Filiale;Umsatz\n"
    "13.01.2024;Nord;1,5\n14.01.2024;Nord;2,25\n\n13.01.2024;Süd;-3,75\n14.01.2024;Süd;4\n"
).encode("cp1252")


def _read(content: bytes, name: str = "series.csv") -> pd.DataFrame:
    return read_table(content, name, LIMIT)


def _xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def test_a_semicolon_file_with_decimal_commas_in_cp1252_is_read_line_by_line() -> None:
    frame = _read(SEMICOLON)
    assert list(frame.columns) == ["Datum", "Filiale", "Umsatz"]
    # The "sep=;" line is line 1, the header line 2; the blank line 5 is dropped.
    assert frame.index.tolist() == [3, 4, 6, 7]
    columns = guess_columns(frame)
    assert columns == SeriesColumns("Filiale", "Datum", "Umsatz")
    read = to_observations(frame, columns, "upload")
    assert read.target_name == "Umsatz"  # the value axis is titled as the file names it
    observed = read.frame
    assert observed[ITEM].tolist() == ["Nord", "Nord", "Süd", "Süd"]
    assert observed[VALUE].tolist() == [1.5, 2.25, -3.75, 4.0]
    assert observed[TIME].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-13", "2024-01-14"] * 2


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_blank_lines_of_a_utf8_file_are_dropped_and_rows_keep_their_file_lines(
    newline: bytes,
) -> None:
    lines = [b"time,value", b"2024-01-01,1", b"", b"2024-01-02,2", b"2024-01-03,3", b"", b""]
    frame = _read(newline.join(lines))
    assert frame.index.tolist() == [2, 4, 5]
    assert frame["value"].tolist() == ["1", "2", "3"]


def test_a_utf8_file_without_blank_lines_keeps_its_lines_with_or_without_a_last_break() -> None:
    for content in (b"time,value\n2024-01-01,1\n2024-01-02,2", b"time,value\r\n2024-01-01,1\r\n"):
        frame = _read(content)
        assert frame.index.tolist() == list(range(2, 2 + len(frame)))


def test_a_tab_file_with_decimal_commas_and_thousands_dots_reads_its_numbers() -> None:
    content = b"date\tsales\n2024-01-01\t1.234,5\n2024-01-02\t0,5\n2024-01-03\t7\n"
    frame = _read(content, "sales.tsv")
    observed = to_observations(frame, guess_columns(frame), "upload").frame
    assert observed[VALUE].tolist() == [1234.5, 0.5, 7.0]
    assert observed[ITEM].unique().tolist() == ["forecast"]


def test_a_utf16_file_as_excel_saves_unicode_text_is_read() -> None:
    content = "timestamp\tvalue\n2024-01-01\t1\n2024-01-02\t2\n".encode("utf-16")
    frame = _read(content)
    assert guess_columns(frame) == SeriesColumns(None, "timestamp", "value")


def test_an_xlsx_written_by_openpyxl_is_read_from_its_first_sheet() -> None:
    sheet = pd.DataFrame(
        {
            "store": ["a", "a", "b", "b"],
            "week": pd.to_datetime(["2024-01-01", "2024-01-08"] * 2),
            "units": [1.5, 2, 3, 4],
        }
    )
    frame = _read(_xlsx(sheet), "weekly.csv")  # the content decides, not the name
    assert frame.index.tolist() == [2, 3, 4, 5]
    columns = guess_columns(frame)
    assert columns == SeriesColumns("store", "week", "units")
    observed = to_observations(frame, columns, "weekly.xlsx").frame
    assert observed[VALUE].tolist() == [1.5, 2.0, 3.0, 4.0]
    assert observed[TIME].iloc[1] == pd.Timestamp("2024-01-08")


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\x00\x01\x02\x03binary\x00", "a binary file"),
    ],
)
def test_documents_and_images_are_refused_as_not_tables(content: bytes, kind: str) -> None:
    with pytest.raises(SeriesFileError, match=f"'upload.pdf' is {kind}, not a table. Send a CSV"):
        read_table(content, "upload.pdf", LIMIT)


def test_a_damaged_spreadsheet_says_to_save_it_again() -> None:
    with pytest.raises(SeriesFileError, match=r"'book.xlsx' looks like a spreadsheet .* damaged"):
        read_table(b"PK\x03\x04 not really a zip", "book.xlsx", LIMIT)


def test_a_zip_that_is_no_workbook_cannot_be_read_as_a_spreadsheet() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(SeriesFileError, match=r"cannot be read as a spreadsheet .* save it again"):
        read_table(buffer.getvalue(), "book.xlsx", LIMIT)


def test_a_file_over_the_limit_is_refused_with_its_size() -> None:
    with pytest.raises(SeriesFileError, match=r"'big.csv' is 2\.0 MB; files of at most 1 MB"):
        read_table(b"x" * (2 << 20), "big.csv", LIMIT)


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_file_is_refused(content: bytes) -> None:
    with pytest.raises(SeriesFileError, match=r"'empty.csv' is empty"):
        read_table(content, "empty.csv", LIMIT)


@pytest.mark.parametrize("first", [b"2024-01-01,1.5", b"a,2024-01-01,1.5"])
def test_a_file_without_header_line_asks_for_one(first: bytes) -> None:
    with pytest.raises(SeriesFileError, match=r"holds values, not column names. Add a header"):
        _read(first + b"\n2024-01-02,2.5\n")


def test_short_names_are_names() -> None:
    assert list(_read(b"T,Z\n2024-01-01,1\n").columns) == ["T", "Z"]


def test_a_header_without_rows_is_refused() -> None:
    with pytest.raises(SeriesFileError, match="has a header but no rows"):
        _read(b"timestamp,target\n")


def test_a_single_column_file_says_what_a_series_needs() -> None:
    with pytest.raises(SeriesFileError, match="single column whatever the separator"):
        _read(b"values\n1\n2\n")


def test_a_row_with_too_many_fields_names_its_line() -> None:
    with pytest.raises(SeriesFileError, match="line 3"):
        _read(b"timestamp,target\n2024-01-01,1\n2024-01-02,2,3\n")


def test_repeated_column_names_are_refused() -> None:
    with pytest.raises(SeriesFileError, match="Column 'target' appears more than once"):
        _read(b"timestamp,target,target\n2024-01-01,1,2\n")


def test_columns_are_found_by_name_whatever_their_case() -> None:
    frame = _read(b"SKU,Extra,DS,Y\nA,x,2024-01-01,1\nA,y,2024-01-02,2\n")
    assert guess_columns(frame) == SeriesColumns("SKU", "DS", "Y")


def test_columns_are_found_by_content_when_their_names_say_nothing() -> None:
    content = b"when,who,how_many\n2024-01-01,a,1\n2024-01-02,a,2\n2024-01-01,b,3\n"
    assert guess_columns(_read(content)) == SeriesColumns("who", "when", "how_many")


def test_a_file_without_dates_or_numbers_says_what_is_missing() -> None:
    with pytest.raises(SeriesFileError, match="No time column found among a, b"):
        guess_columns(_read(b"a,b\nx,1\ny,2\n"))
    with pytest.raises(SeriesFileError, match="No column of numbers found beside the time"):
        guess_columns(_read(b"when,who\n2024-01-01,a\n2024-01-02,b\n"))


def test_unclear_date_order_is_settled_by_dayfirst() -> None:
    frame = _read(b"date,value\n01/02/2024,1\n02/02/2024,2\n")
    columns = guess_columns(frame)
    with pytest.raises(SeriesFileError, match="day first or month first"):
        to_observations(frame, columns, "upload")
    times = to_observations(frame, columns, "upload", dayfirst=True).frame[TIME]
    assert times.dt.month.tolist() == [2, 2]


def test_a_bad_number_or_time_names_its_line() -> None:
    frame = _read(b"timestamp,target\n2024-01-01,1\n2024-01-02,one\n2024-01-03,3\n")
    with pytest.raises(SeriesFileError, match=r"'target' holds text .* on line\(s\) 3\."):
        to_observations(frame, guess_columns(frame), "upload")
    frame = _read(b"timestamp,target\n2024-01-01,1\nyesterday,2\n2024-01-03,3\n")
    columns = SeriesColumns(None, "timestamp", "target")
    with pytest.raises(SeriesFileError, match=r"'timestamp' cannot be read .* line\(s\) 3\."):
        to_observations(frame, columns, "upload")


def test_rows_without_a_value_are_left_out_and_repeats_keep_the_last() -> None:
    content = b"timestamp,target\n2024-01-01,1\n2024-01-02,\n2024-01-03,NA\n2024-01-01,5\n"
    frame = _read(content)
    observed = to_observations(frame, guess_columns(frame), "upload").frame
    assert observed[VALUE].tolist() == [5.0]
