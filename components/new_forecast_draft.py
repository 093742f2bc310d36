"""What one click on "Start forecast" sends: the file, its columns, the settings, the history."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd
from python_calamine import CalamineError

from components.new_forecast_form import ForecastSettings, forecast_upload, readable_settings
from components.new_forecast_source import SeriesReading, SeriesSource
from dashboard.forecast_data import Dialect, ForecastCsvError, ReadOptions
from dashboard.forecast_dialect import sniff_layout
from dashboard.observations import Observations
from dashboard.series_files import SeriesColumns, upload_csv
from eomer_client.models import ForecastUpload

_XLSX_MAGIC = b"PK\x03\x04"
# Dates, or dates and times, as ISO 8601 writes them (a space for the T, as spreadsheets do).
_ISO_TIME = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"


@dataclass(frozen=True)
class Draft:
    """A POST /forecast request, what it says for people, and the series it sends."""

    upload: ForecastUpload
    settings: Mapping[str, str]
    history: Observations
    file_name: str
    input_hash: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "input_hash", hashlib.sha256(self.upload.file).hexdigest())


def _plain_csv(content: bytes) -> bool:
    """Comma-separated, decimal points, one header line, UTF-8: what any CSV reader takes."""
    try:
        return sniff_layout(content, ReadOptions()).dialect == Dialect()
    except ForecastCsvError:
        return False


def _raw_names(content: bytes, spreadsheet: bool) -> list[str]:
    """The header as written in the file: the table read for the page has its names trimmed."""
    if spreadsheet:
        try:
            header = pd.read_excel(io.BytesIO(content), engine="calamine", nrows=0)
        except (CalamineError, ValueError, OSError):
            return []
        return [str(name) for name in header.columns]
    first = content.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return next(csv.reader(first), [])


def _readable_as_is(frame: pd.DataFrame, columns: SeriesColumns) -> bool:
    """ISO times and plain numbers in every row: no reader can take them for something else."""
    times = frame[columns.timestamp].astype(str).str.strip()
    numbers = pd.to_numeric(frame[columns.target].astype(str).str.strip(), errors="coerce")
    return bool(times.str.fullmatch(_ISO_TIME).all()) and bool(numbers.notna().all())


def sendable(
    source: SeriesSource, columns: SeriesColumns, dayfirst: bool | None = None
) -> tuple[bytes, str, SeriesColumns]:
    """The bytes to send, their file name and columns: the file itself when the API reads it so.

    A plain CSV or an XLSX workbook goes as it is when it has an item column, its header is
    as read, its times are ISO 8601 and its values plain numbers; anything else goes as a plain
    CSV of the checked rows, so the API reads exactly what the page checked.
    """
    name = PurePath(source.filename)
    suffix = name.suffix.lower()
    spreadsheet = suffix == ".xlsx" and source.content.startswith(_XLSX_MAGIC)
    as_is = (
        columns.item is not None
        and (spreadsheet or (suffix == ".csv" and _plain_csv(source.content)))
        and _raw_names(source.content, spreadsheet) == [str(c) for c in source.frame.columns]
        and _readable_as_is(source.frame, columns)
    )
    if as_is:
        return source.content, source.filename, columns
    content, sent = upload_csv(source.frame, columns, dayfirst=dayfirst)
    return content, f"{name.stem or 'series'}.csv", sent


def make_draft(
    source: SeriesSource, reading: SeriesReading, history: Observations, settings: ForecastSettings
) -> Draft:
    """The request for `source` read as `reading` says, sent with `settings`."""
    content, filename, sent = sendable(source, reading.columns, reading.dayfirst)
    upload = forecast_upload(settings, content, filename, sent)
    readable = readable_settings(settings, reading.columns, source.filename, reading.dayfirst)
    return Draft(upload, readable, history, source.filename)
