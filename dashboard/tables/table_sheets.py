"""Spreadsheets (XLSX, XLS, ODS) read sheet by sheet, and files that are no table refused."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePath
from xml.parsers.expat import ExpatError

import pandas as pd
from python_calamine import CalamineError

from dashboard.tables.table_attrs import NOTES, SHEET, SHEETS, SeriesFileError
from dashboard.tables.workbook_bounds import check_workbook

SPREADSHEET_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Magic numbers of files people upload by mistake, with what they are.
_NOT_TABLES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"PAR1", "a Parquet file"),
    (b"{\\rtf", "an RTF document"),
)
# A grid read without a header, and the file's name, made a table (raises SeriesFileError).
Tabler = Callable[[pd.DataFrame, str], pd.DataFrame]


def refuse_other_kinds(content: bytes, filename: str) -> None:
    """Documents, images and archives are refused, named."""
    kind = next((what for magic, what in _NOT_TABLES if content.startswith(magic)), None)
    if kind is None and not content.startswith((ZIP, OLE, b"\xff\xfe", b"\xfe\xff")):
        kind = "a binary file" if b"\x00" in content[:8192] else None
    if kind is not None:
        raise SeriesFileError(
            f"{filename!r} is {kind}, not a table. Send a CSV file or a spreadsheet "
            "(XLSX, XLS, ODS) with one row per time: a time column and a value column."
        )


def _refuse_zip_bomb(content: bytes, filename: str) -> None:
    """A small XLSX or ODS can inflate a thousandfold once read: refuse one that would."""
    try:
        check_workbook(repr(filename), content)
    except (zipfile.BadZipFile, ExpatError, EOFError) as exc:
        raise SeriesFileError(
            f"{filename!r} looks like a spreadsheet (a zip archive) but is damaged ({exc}). "
            "Open it in a spreadsheet program and save it again."
        ) from exc


def _unreadable(filename: str, exc: Exception) -> SeriesFileError:
    suffix = PurePath(filename).suffix.lower()
    kind = "spreadsheet" if suffix in SPREADSHEET_EXTENSIONS else "spreadsheet or CSV file"
    return SeriesFileError(
        f"{filename!r} cannot be read as a {kind} ({exc}). Open it in a spreadsheet program "
        "and save it again as XLSX or CSV."
    )


def _grid(book: pd.ExcelFile, name: str | int) -> pd.DataFrame:
    grid = pd.read_excel(book, sheet_name=name, header=None, dtype=str)
    grid = grid.fillna("").astype(str)
    grid.index = pd.RangeIndex(1, len(grid) + 1)  # rows as the sheet numbers them
    return grid


def read_sheet(content: bytes, filename: str, sheet: str | None, tabler: Tabler) -> pd.DataFrame:
    """The sheet named, else the first sheet that holds a table (the others named in notes)."""
    if content.startswith(ZIP):
        _refuse_zip_bomb(content, filename)
    try:
        book = pd.ExcelFile(io.BytesIO(content), engine="calamine")
        names = [str(name) for name in book.sheet_names]
        if sheet is not None and sheet not in names:
            raise SeriesFileError(
                f"{filename!r} has no sheet {sheet!r}; its sheets are {', '.join(names)}."
            )
        wanted = [sheet] if sheet is not None else names
        problem: SeriesFileError | None = None
        for name in wanted:
            grid = _grid(book, name)
            if grid.empty or grid.shape[1] < 2:
                continue
            try:
                frame = tabler(grid, filename)
            except SeriesFileError as err:
                problem = problem or err
                continue
            if not (frame == "").all(axis=None):
                return _noted(frame, name, names)
    except (CalamineError, ValueError, OSError) as exc:
        if isinstance(exc, SeriesFileError):
            raise
        raise _unreadable(filename, exc) from exc
    if problem is not None:
        raise problem
    raise SeriesFileError(
        f"No sheet of {filename!r} holds a table of two columns or more. Put the series first."
    )


def _noted(frame: pd.DataFrame, name: str, names: list[str]) -> pd.DataFrame:
    frame.attrs[SHEETS] = names
    frame.attrs[SHEET] = name
    if len(names) > 1:
        frame.attrs[NOTES] = [
            f"read sheet {name!r} of {len(names)} ({', '.join(map(repr, names))[:120]})",
            *frame.attrs.get(NOTES, []),
        ]
    return frame
