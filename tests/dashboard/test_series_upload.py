"""What POST /forecast is sent for a file of series: a plain CSV of the checked rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.series.observations import ITEM, VALUE
from dashboard.series.series_upload import upload_csv
from dashboard.series_files import (
    SeriesColumns,
    SeriesFileError,
    guess_columns,
    read_table,
    to_observations,
)

SEMICOLON = (
    "sep=;\nDatum;Filiale;Umsatz\n"
    "13.01.2024;Nord;1,5\n14.01.2024;Nord;2,25\n\n13.01.2024;Süd;-3,75\n14.01.2024;Süd;4\n"
).encode("cp1252")


def _read(content: bytes) -> pd.DataFrame:
    return read_table(content, "series.csv", 1 << 20)


def test_upload_csv_adds_an_item_column_and_writes_iso_times() -> None:
    frame = _read(
        SEMICOLON.replace(b"Filiale;", b"").replace(b"Nord;", b"").replace(b"S\xfcd;", b"")
    )
    columns = SeriesColumns(None, "Datum", "Umsatz")
    body, sent = upload_csv(frame.iloc[:2], columns)
    assert sent == SeriesColumns("item_id", "Datum", "Umsatz")
    assert body == b"item_id,Datum,Umsatz\nseries,2024-01-13,1.5\nseries,2024-01-14,2.25\n"


def test_upload_csv_keeps_offsets_and_clocks() -> None:
    content = b"id,timestamp,target\nA,2024-03-01T10:00:00+05:30,1\nA,2024-03-01T11:30:00+05:30,2\n"
    frame = _read(content)
    body, sent = upload_csv(frame, guess_columns(frame))
    assert sent == SeriesColumns("id", "timestamp", "target")
    assert body.decode().splitlines()[1:] == [
        "A,2024-03-01T10:00:00+05:30,1",
        "A,2024-03-01T11:30:00+05:30,2",
    ]


def test_upload_csv_quotes_ids_that_hold_commas_or_quotes() -> None:
    content = b'id;timestamp;target\n"North, ""big""";2024-01-01;0,1\nSouth;2024-01-01;1e-7\n'
    frame = _read(content)
    body, _ = upload_csv(frame, guess_columns(frame))
    assert body == (
        b'id,timestamp,target\n"North, ""big""","2024-01-01",0.1\n"South","2024-01-01",1e-7\n'
    )
    assert to_observations(_read(body), guess_columns(frame), "again").frame[ITEM].tolist() == [
        'North, "big"',
        "South",
    ]


def test_upload_csv_refuses_step_times() -> None:
    frame = _read(b"step,value\n1,10\n2,11\n")
    with pytest.raises(SeriesFileError, match="step numbers"):
        upload_csv(frame, SeriesColumns(None, "step", "value"))


def test_upload_csv_reads_back_as_the_same_observations() -> None:
    frame = _read(SEMICOLON)
    columns = guess_columns(frame)
    body, sent = upload_csv(frame, columns)
    again = to_observations(_read(body), sent, "again").frame
    first = to_observations(frame, columns, "first").frame
    pd.testing.assert_frame_equal(again, first)
    assert np.isfinite(again[VALUE].to_numpy()).all()
