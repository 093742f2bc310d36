"""Files from outside read in a worker process, never in the server: series, forecasts, tables.

Each public function waits for a worker of dashboard/isolation/worker_pool.py to run the `_...`
function beside it, under that kind of file's limits; a limit passed or a busy pool becomes the
reader's own error (SeriesFileError, ForecastCsvError) naming the bound. What comes back is bounded
by the table bounds (dashboard/tables/table_bounds.py) and cheap to unpickle: text tables and
forecasts are pandas frames of arrow strings and numbers.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pandas as pd

from dashboard.forecasts.forecast_data import ForecastCsvError, ForecastData, ReadOptions
from dashboard.forecasts.forecast_reader import read_forecast
from dashboard.isolation.worker_pool import IsolationError, Limits, default_pool, run_isolated
from dashboard.series.observations import Observations
from dashboard.series.series_checks import Problem, check_series
from dashboard.series.series_upload import sendable
from dashboard.series_files import (
    SeriesColumns,
    SeriesFileError,
    guess_columns,
    read_table,
    to_observations,
)
from dashboard.tables.table_attrs import SHEET, SHEETS
from dashboard.tables.table_bounds import BoundsError, check_table
from eomer_client.errors import ContentError

_MB = 1 << 20
# A file of series is at most 20 MB; its text table a few times that.
SERIES_LIMITS = Limits(1024 * _MB, cpu_seconds=30, deadline_seconds=60.0, reply_bytes=256 * _MB)
_ADVICE = (
    "A small file that needs that much is built to exhaust a server, or holds far more than a "
    "series: save the series alone as CSV and send that."
)


@dataclass(frozen=True)
class SeriesTable:
    """A file of series read as text in a worker, and which column is which, guessed there."""

    filename: str
    digest: str  # sha256 of the file's bytes, as hex
    frame: pd.DataFrame  # every value as text, indexed by file line (series_files.read_table)
    guess: SeriesColumns | None
    guess_problem: str | None = None  # why nothing was guessed

    @property
    def sheets(self) -> list[str]:
        """A spreadsheet's sheets, by name; empty for a text file."""
        return [str(name) for name in self.frame.attrs.get(SHEETS, [])]

    @property
    def sheet(self) -> str | None:
        """The sheet the table was read from; None for a text file."""
        read = self.frame.attrs.get(SHEET)
        return None if read is None else str(read)

    @property
    def reading_key(self) -> str:
        """Names this file and sheet in widget keys: a choice made on one sheet stays there."""
        sheets, sheet = self.sheets, self.sheet
        if len(sheets) < 2 or sheet not in sheets:
            return self.digest[:16]
        return f"{self.digest[:16]}_{sheets.index(sheet)}"


def start_readers() -> None:
    """Start the worker processes now (they take seconds to import their libraries)."""
    default_pool()


def _refusal(what: str, err: IsolationError) -> str:
    return f"{what} cannot be read here: {err}. {_ADVICE}"


def _table(content: bytes, filename: str, max_bytes: int, sheet: str | None) -> SeriesTable:
    frame = read_table(content, filename, max_bytes, sheet)
    digest = hashlib.sha256(content).hexdigest()
    try:
        return SeriesTable(filename, digest, frame, guess_columns(frame))
    except SeriesFileError as err:
        return SeriesTable(filename, digest, frame, None, str(err))


def read_series_table(
    content: bytes, filename: str, max_bytes: int, sheet: str | None = None
) -> SeriesTable:
    """The file's table as text (a spreadsheet's `sheet`, else its first table), its columns
    guessed; raise SeriesFileError."""
    try:
        return run_isolated(SERIES_LIMITS, _table, content, filename, max_bytes, sheet)
    except IsolationError as err:
        raise SeriesFileError(_refusal(repr(filename), err)) from err


def _observations(
    _: bytes, frame: pd.DataFrame, columns: SeriesColumns, source: str, dayfirst: bool | None
) -> Observations:
    return to_observations(frame, columns, source, dayfirst=dayfirst)


def series_observations(
    table: SeriesTable, columns: SeriesColumns, source: str, *, dayfirst: bool | None = None
) -> Observations:
    """The table's rows as Observations (see series_files.to_observations); SeriesFileError."""
    try:
        return run_isolated(
            SERIES_LIMITS, _observations, b"", table.frame, columns, source, dayfirst
        )
    except IsolationError as err:
        raise SeriesFileError(_refusal(repr(table.filename), err)) from err


def _checked(
    _: bytes, frame: pd.DataFrame, columns: SeriesColumns, sizes: tuple[int, int], label: str,
    dayfirst: bool | None,
) -> tuple[Observations | None, list[Problem]]:  # fmt: skip
    size_bytes, max_bytes = sizes
    problems = check_series(
        frame, columns, size_bytes=size_bytes, max_bytes=max_bytes, dayfirst=dayfirst
    )
    if problems:
        return None, problems
    try:
        return to_observations(frame, columns, label, dayfirst=dayfirst), []
    except SeriesFileError as err:
        return None, [Problem(str(err))]


def checked_series(
    table: SeriesTable,
    columns: SeriesColumns,
    *,
    size_bytes: int,
    max_bytes: int,
    label: str,
    dayfirst: bool | None = None,
) -> tuple[Observations | None, list[Problem]]:
    """The series once every check passes (series_checks.check_series), else what to fix."""
    sizes = (size_bytes, max_bytes)
    try:
        return run_isolated(
            SERIES_LIMITS, _checked, b"", table.frame, columns, sizes, label, dayfirst
        )
    except IsolationError as err:
        return None, [Problem(_refusal(repr(table.filename), err))]


def _sendable(
    content: bytes, filename: str, frame: pd.DataFrame, columns: SeriesColumns,
    dayfirst: bool | None,
) -> tuple[bytes, str, SeriesColumns]:  # fmt: skip
    return sendable(content, filename, frame, columns, dayfirst)


def sendable_series(
    content: bytes, table: SeriesTable, columns: SeriesColumns, dayfirst: bool | None = None
) -> tuple[bytes, str, SeriesColumns]:
    """What POST /forecast is sent for the file (series_upload.sendable); SeriesFileError."""
    try:
        return run_isolated(
            SERIES_LIMITS, _sendable, content, table.filename, table.frame, columns, dayfirst
        )
    except IsolationError as err:
        raise SeriesFileError(_refusal(repr(table.filename), err)) from err


def _csv_rows(content: bytes, rows: int) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(content), nrows=rows)
    check_table("The table", frame)
    return frame


def csv_rows(content: bytes, rows: int) -> pd.DataFrame:
    """The first `rows` rows of a CSV the API linked, read in a worker, to show as a table.

    ValueError when it is malformed (pandas' own); ContentError when it passes a bound.
    """
    try:
        return run_isolated(SERIES_LIMITS, _csv_rows, content, rows)
    except (IsolationError, BoundsError) as err:
        raise ContentError(f"The table cannot be shown here: {err}") from err


def forecast_limits(size: int) -> Limits:
    """A forecast file's limits grow with it: its table takes a few times its bytes."""
    return Limits(
        memory_bytes=768 * _MB + 6 * size,
        cpu_seconds=60,
        deadline_seconds=120.0,
        reply_bytes=256 * _MB + 4 * size,
    )


def read_forecast_file(content: bytes, options: ReadOptions | None = None) -> ForecastData:
    """A forecast file read in a worker (forecast_reader.read_forecast); ForecastCsvError."""
    try:
        return run_isolated(forecast_limits(len(content)), read_forecast, content, options)
    except IsolationError as err:
        raise ForecastCsvError(_refusal("The forecast file", err)) from err
