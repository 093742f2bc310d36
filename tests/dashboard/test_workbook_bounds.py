"""Spreadsheets that would inflate once read are refused from their parts, naming the bound."""

from __future__ import annotations

import io
import zipfile

import pytest

from dashboard.series_files import SeriesFileError, read_table
from dashboard.tables.table_bounds import MAX_CELL_CHARS
from harness import hostile_files

LIMIT = 20 << 20


def test_cells_that_all_refer_to_one_long_shared_string_are_refused_by_their_characters() -> None:
    # 120 million characters once read, from a file of a few KB that declares about 1 MB.
    bomb = hostile_files.shared_string_bomb(cells=40_000, chars=3_000)
    with pytest.raises(SeriesFileError, match=r"120,00\d,\d{3} characters once read.*100,000,000"):
        read_table(bomb, "bomb.xlsx", LIMIT)


def test_the_32_kb_spreadsheet_bomb_is_refused_whatever_it_is_called() -> None:
    bomb = hostile_files.shared_string_bomb()
    assert len(bomb) < 40_000
    with pytest.raises(SeriesFileError, match=f"cell of 30,000 characters.*{MAX_CELL_CHARS:,}"):
        read_table(bomb, "actuals.csv", LIMIT)


def test_two_cells_far_apart_are_refused_by_the_range_they_span() -> None:
    with pytest.raises(SeriesFileError, match="16,384 columns"):
        read_table(hostile_files.sparse_bomb(), "sparse.xlsx", LIMIT)


def test_an_ods_cell_repeated_a_billion_times_is_refused_by_its_cells() -> None:
    with pytest.raises(SeriesFileError, match=r"1,000,001,000 cells.*5,000,000"):
        read_table(hostile_files.repeat_bomb(), "repeat.ods", LIMIT)


def test_ods_spaces_repeated_in_one_element_count_as_characters() -> None:
    cell = (
        '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="900000"/></text:p>'
    )
    table = (
        f"<table:table><table:table-row>{cell}</table:table-cell></table:table-row></table:table>"
    )
    with pytest.raises(SeriesFileError, match="cell of 900,001 characters"):
        read_table(hostile_files.ods(table), "spaces.ods", LIMIT)


def test_an_honest_ods_is_read() -> None:
    rows = [["timestamp", "target"], ["2024-01-01", "1"], ["2024-01-02", "2"]]
    frame = read_table(hostile_files.ods(hostile_files.ods_rows(rows)), "honest.ods", LIMIT)
    assert frame.to_dict("list") == {
        "timestamp": ["2024-01-01", "2024-01-02"],
        "target": ["1", "2"],
    }


def test_a_document_type_in_a_part_is_refused() -> None:
    dtd = '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>'
    book = hostile_files.xlsx(['<row><c t="s"><v>0</v></c></row>'], ["&a;"], prolog=dtd)
    with pytest.raises(SeriesFileError, match="document type"):
        read_table(book, "entities.xlsx", LIMIT)


def test_a_binary_workbook_is_refused_with_a_way_out() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    with pytest.raises(SeriesFileError, match=r"binary workbook.*Save it as XLSX or CSV"):
        read_table(buffer.getvalue(), "book.xlsb", LIMIT)
