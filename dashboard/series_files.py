"""Reading a file of observed series (CSV or spreadsheet) into text columns and then Observations.

`read_table` keeps every value as text and indexes each row by its line in the file (the header
is line 1), so checks and errors can name lines; `guess_columns` says which column is which;
`to_observations` parses them (dashboard/series_values.py reads the cells). Bounds on columns,
cells and characters (dashboard/table_bounds.py, dashboard/workbook_bounds.py) are checked before
the work they bound. dashboard/series_upload.py writes what `POST /forecast` is sent.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from xml.parsers.expat import ExpatError

import numpy as np
import numpy.typing as npt
import pandas as pd
from python_calamine import CalamineError

from dashboard.forecast_data import SINGLE_SERIES, ForecastCsvError, ReadOptions
from dashboard.forecast_dialect import Layout, as_utf8, sniff_layout
from dashboard.forecast_times import looks_like_time
from dashboard.observations import ITEM, TIME, VALUE, Observations
from dashboard.series_values import (
    DECIMAL,
    LINES,
    first_lines,
    lines_of,
    lines_text,
    missing_values,
    numbers_of,
    parse_series_times,
)
from dashboard.table_bounds import (
    GUESS_COLUMNS,
    GUESS_ROWS,
    BoundsError,
    check_csv_text,
    check_table,
)
from dashboard.workbook_bounds import check_workbook

__all__ = [
    "SeriesColumns",
    "SeriesFileError",
    "guess_columns",
    "read_table",
    "to_observations",
]

_SPREADSHEET_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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
_MB = 1024 * 1024

ITEM_NAMES = (
    "item_id", "unique_id", "series_id", "series", "id", "sku", "item", "store", "name",
    "itemid", "key", "product", "product_id", "store_id", "location", "region", "country",
)  # fmt: skip
TIME_NAMES = (
    "timestamp", "ds", "date", "time", "datetime", "date_time", "period", "month", "week",
    "day", "year", "quarter", "hour", "ts", "step",
)  # fmt: skip
TARGET_NAMES = (
    "target", "y", "value", "values", "sales", "demand", "volume", "load", "price", "amount",
    "quantity", "qty", "count", "units", "revenue", "observed", "actual", "actuals",
)  # fmt: skip
_NUMERIC_SHARE = 0.8


class SeriesFileError(ValueError):
    """A file of series cannot be read; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class SeriesColumns:
    """Which columns hold the series id (None: one series), the time and the observed value."""

    item: str | None
    timestamp: str
    target: str

    def used(self) -> list[str]:
        """The columns named, item first."""
        return [name for name in (self.item, self.timestamp, self.target) if name is not None]


def read_table(content: bytes, filename: str, max_bytes: int) -> pd.DataFrame:
    """The file's first table, every value as text, indexed by file line; raise SeriesFileError."""
    if len(content) > max_bytes:
        raise SeriesFileError(
            f"{filename!r} is {len(content) / _MB:.1f} MB; files of at most "
            f"{max_bytes / _MB:.0f} MB are accepted. Send fewer rows or fewer series, or "
            "remove columns that are not needed."
        )
    if not content.strip():
        raise SeriesFileError(f"{filename!r} is empty. Choose the file that holds the series.")
    _refuse_other_kinds(content, filename)
    try:
        if content.startswith((_ZIP, _OLE)):
            frame = _read_spreadsheet(content, filename)
        else:
            frame = _read_csv(content, filename)
        check_table(repr(filename), frame)
    except BoundsError as exc:
        raise SeriesFileError(str(exc)) from exc
    frame = frame[~(frame == "").all(axis=1)]
    frame.attrs[LINES] = True
    if frame.empty:
        raise SeriesFileError(
            f"{filename!r} has a header but no rows. Check that the export holds the data."
        )
    return frame


def _refuse_other_kinds(content: bytes, filename: str) -> None:
    kind = next((what for magic, what in _NOT_TABLES if content.startswith(magic)), None)
    if kind is None and not content.startswith((_ZIP, _OLE, b"\xff\xfe", b"\xfe\xff")):
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


def _read_spreadsheet(content: bytes, filename: str) -> pd.DataFrame:
    if content.startswith(_ZIP):
        _refuse_zip_bomb(content, filename)
    try:
        frame = pd.read_excel(io.BytesIO(content), engine="calamine", sheet_name=0, dtype=str)
    except (CalamineError, ValueError, OSError) as exc:
        suffix = PurePath(filename).suffix.lower()
        kind = "spreadsheet" if suffix in _SPREADSHEET_EXTENSIONS else "spreadsheet or CSV file"
        raise SeriesFileError(
            f"{filename!r} cannot be read as a {kind} ({exc}). Open it in a spreadsheet program "
            "and save it again as XLSX or CSV."
        ) from exc
    if frame.columns.empty:
        raise SeriesFileError(f"The first sheet of {filename!r} is empty. Put the series first.")
    _refuse_unnamed(list(map(str, frame.columns)), filename)
    frame = frame.fillna("").astype(str)
    frame.columns = [str(name).strip() for name in frame.columns]
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # the header is row 1 of the sheet
    return frame


def _read_csv(content: bytes, filename: str) -> pd.DataFrame:
    content = as_utf8(content)
    layout = _layout(content, filename)
    check_csv_text(repr(filename), content, len(layout.names))
    _refuse_unnamed(list(layout.names), filename)
    _refuse_repeated(list(layout.names), filename)
    dialect = layout.dialect
    skipped = dialect.skip_rows + dialect.header_rows
    encoding = "utf-8-sig" if dialect.encoding == "utf-8" else dialect.encoding
    try:
        frame = pd.read_csv(
            io.BytesIO(content),
            sep=dialect.separator,
            header=None,
            names=list(layout.names),
            skiprows=skipped,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            encoding=encoding,
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise SeriesFileError(
            f"{filename!r} cannot be read as CSV: {exc}. Every row needs as many fields as "
            f"the header, separated by {dialect.separator!r}."
        ) from exc
    frame.index = pd.RangeIndex(skipped + 1, skipped + 1 + len(frame))
    frame.attrs[DECIMAL] = dialect.decimal
    return frame


def _layout(content: bytes, filename: str) -> Layout:
    try:
        return sniff_layout(content, ReadOptions())
    except ForecastCsvError as exc:
        raise SeriesFileError(
            f"{filename!r} has a single column whatever the separator (comma, semicolon, tab, "
            "|). A series needs a time column and a value column: export it as CSV with a "
            "header line such as 'timestamp,target', or as a spreadsheet."
        ) from exc


# A number or a date: a value, not a column's name.
_LOOKS_LIKE_DATA = re.compile(r"^(?=.*\d)[+-]?[\d.,:/\-\sTZ]+$")


def _refuse_unnamed(names: list[str], filename: str) -> None:
    """A first line mostly of values (no header) or of blanks cannot name the columns."""
    cleaned = [name.strip() for name in names]
    values = sum(bool(_LOOKS_LIKE_DATA.match(name)) for name in cleaned)
    if not any(cleaned) or 2 * values >= len(cleaned):
        raise SeriesFileError(
            f"The first line of {filename!r} ({', '.join(cleaned)[:80]!r}) holds values, not "
            "column names. Add a header line naming the columns, e.g. "
            "'item_id,timestamp,target'."
        )


def _refuse_repeated(names: list[str], filename: str) -> None:
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise SeriesFileError(
            f"Column {repeated[0]!r} appears more than once in {filename!r}. Rename or remove "
            "the copies, then upload the file again."
        )


def _named(names: list[str], wanted: tuple[str, ...]) -> list[str]:
    """The columns whose name (lower-cased, trimmed) is in `wanted`, in the order of `wanted`."""
    lowered = {name.strip().lower(): name for name in reversed(names)}
    return [lowered[key] for key in wanted if key in lowered]


def _sample(frame: pd.DataFrame, name: str) -> pd.Series:
    values = frame[name].iloc[:GUESS_ROWS].astype(str).str.strip()
    return values[values != ""]


def _number_share(frame: pd.DataFrame, name: str) -> float:
    """The share of the first filled cells that are numbers."""
    sample = _sample(frame, name)
    sample = sample[~missing_values(sample).to_numpy()]
    if sample.empty:
        return 0.0
    return float(numbers_of(sample, frame.attrs.get(DECIMAL)).notna().mean())


def _timelike(frame: pd.DataFrame, name: str) -> bool:
    sample = _sample(frame, name)
    return not sample.empty and looks_like_time(sample.tolist())


def guess_columns(frame: pd.DataFrame) -> SeriesColumns:
    """Item, time and target columns by name, else by content; raise SeriesFileError if none.

    Cells are looked at in the first GUESS_ROWS rows of the columns named like a role and of
    the first GUESS_COLUMNS columns: a file of thousands of columns is guessed as fast as one
    of a few.
    """
    every = [str(name) for name in frame.columns]
    named = set(_named(every, (*TIME_NAMES, *TARGET_NAMES, *ITEM_NAMES)))
    names = [name for index, name in enumerate(every) if index < GUESS_COLUMNS or name in named]
    shares = {name: _number_share(frame, name) for name in names}
    # Nearly every cell: a typo must not hide a column of numbers (the checks name the typo).
    numeric = {name for name, share in shares.items() if share >= _NUMERIC_SHARE}
    time = _guess_time(frame, names, numeric)
    target = _guess_target(names, shares, time)
    rest = [name for name in names if name not in (time, target)]
    return SeriesColumns(_guess_item(frame, rest, numeric), time, target)


def _guess_time(frame: pd.DataFrame, names: list[str], numeric: set[str]) -> str:
    for name in _named(names, TIME_NAMES):
        if _timelike(frame, name):
            return name
    # Dates written as text first: whole numbers read as steps or years too easily.
    texts = [name for name in names if name not in numeric]
    counted = [name for name in names if name in numeric and len(numeric - {name}) > 0]
    for name in (*texts, *counted):
        if _timelike(frame, name):
            return name
    raise SeriesFileError(
        f"No time column found among {', '.join(names)}: none is named like one "
        f"({', '.join(TIME_NAMES[:6])}, ...) and none holds dates in every row. Add a column "
        "of dates (2024-01-31 or 2024-01-31T10:00:00Z), or name it 'timestamp'."
    )


def _guess_target(names: list[str], shares: dict[str, float], time: str) -> str:
    """A column named like a target holding some numbers, else the first column of numbers."""
    named = [name for name in _named(names, TARGET_NAMES) if name != time and shares[name] > 0]
    candidates = [n for n in names if shares[n] >= _NUMERIC_SHARE and n != time]
    chosen = next(iter(named), None)
    if chosen is None and candidates:
        chosen = candidates[0]
    if chosen is None:
        raise SeriesFileError(
            f"No column of numbers found beside the time column {time!r} among "
            f"{', '.join(names)}. Add the observed values as a column of numbers, named "
            "'target' for instance."
        )
    return chosen


def _guess_item(frame: pd.DataFrame, names: list[str], numeric: set[str]) -> str | None:
    named = _named(names, ITEM_NAMES)
    if named:
        return named[0]
    for name in names:
        values = frame[name]
        if name not in numeric and values.nunique() < len(values):
            return name
    return None


def to_observations(
    frame: pd.DataFrame, columns: SeriesColumns, source: str, *, dayfirst: bool | None = None
) -> Observations:
    """The rows as Observations; rows without a value are left out; raise SeriesFileError.

    `dayfirst` settles dates such as 01/02/2024 when no day in the column passes 12.
    """
    _require_columns(frame, columns)
    values = numbers_of(frame[columns.target], frame.attrs.get(DECIMAL))
    bad = (values.isna() & ~missing_values(frame[columns.target])).to_numpy()
    if bad.any():
        shown = lines_text(first_lines(lines_of(frame), bad), int(bad.sum()))
        raise SeriesFileError(
            f"The value column {columns.target!r} holds text that is not a number on line(s) "
            f"{shown}. Correct those cells (decimal comma or point, no units), or choose "
            "another value column."
        )
    present = values.notna().to_numpy()
    kept = frame[present]
    parsed = parse_series_times(
        kept[columns.timestamp], columns.timestamp, lines_of(kept), dayfirst=dayfirst
    )
    if parsed.error is not None:
        raise SeriesFileError(parsed.error)
    observed = pd.DataFrame(
        {
            ITEM: _items(kept, columns.item),
            TIME: parsed.times,
            VALUE: values.to_numpy(dtype=np.float64)[present],
        }
    )
    observed = observed.drop_duplicates([ITEM, TIME], keep="last")
    observed = observed.sort_values([ITEM, TIME], kind="stable").reset_index(drop=True)
    return Observations(observed, source, target_name=columns.target)


def _items(kept: pd.DataFrame, column: str | None) -> npt.NDArray[np.object_]:
    if column is None:
        return np.full(len(kept), SINGLE_SERIES, dtype=object)
    items = kept[column].astype(str).str.strip()
    blank = (items == "").to_numpy()
    if blank.any():
        raise SeriesFileError(
            f"The item column {column!r} is empty on line(s) "
            f"{lines_text(first_lines(lines_of(kept), blank), int(blank.sum()))}. Every row "
            "needs the id of its series: fill it in, or choose another item column."
        )
    return items.to_numpy(dtype=object)


def _require_columns(frame: pd.DataFrame, columns: SeriesColumns) -> None:
    missing = [name for name in columns.used() if name not in frame.columns]
    if missing:
        raise SeriesFileError(
            f"There is no column {missing[0]!r} in the file; its columns are "
            f"{', '.join(map(str, frame.columns))}. Choose one of those."
        )
