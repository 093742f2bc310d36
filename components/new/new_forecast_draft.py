"""What one click on "Start forecast" sends: the file, its columns, the settings, the history."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from components.new.new_forecast_form import ForecastSettings, forecast_upload, readable_settings
from components.new.new_forecast_source import SeriesReading, SeriesSource
from dashboard.isolation.isolated_reading import sendable_series
from dashboard.series.observations import Observations
from dashboard.series_files import SeriesColumns
from eomer_client.models import ForecastUpload


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


def sendable(
    source: SeriesSource, columns: SeriesColumns, dayfirst: bool | None = None
) -> tuple[bytes, str, SeriesColumns]:
    """The bytes to send, their file name and columns (dashboard/series/series_upload.sendable, in a
    worker): the file itself when the API reads it as the page did, else a plain CSV."""
    return sendable_series(source.content, source.table, columns, dayfirst)


def make_draft(
    source: SeriesSource, reading: SeriesReading, history: Observations, settings: ForecastSettings
) -> Draft:
    """The request for `source` read as `reading` says, sent with `settings`."""
    content, filename, sent = sendable(source, reading.columns, reading.dayfirst)
    upload = forecast_upload(settings, content, filename, sent)
    readable = readable_settings(settings, reading.columns, source.filename, reading.dayfirst)
    return Draft(upload, readable, history, source.filename)
