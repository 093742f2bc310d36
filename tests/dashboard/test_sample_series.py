"""The demo data sets: real series, small enough to upload, that pass the checks before sending."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard.analysis.seasonality import season_length
from dashboard.series.sample_series import SAMPLES, split_tail
from dashboard.series.series_checks import check_series
from dashboard.series_files import SeriesColumns, guess_columns, read_table, to_observations

LIMIT = 10 << 20
# The season each sample's spacing implies, and how many series it holds.
EXPECTED = {"co2": (52, 1), "macro": (4, 6), "sunspots": (1, 1), "elnino": (12, 1)}


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_each_sample_is_a_long_csv_that_passes_the_checks(key: str) -> None:
    sample = SAMPLES[key]
    content = sample.csv()
    assert sample.filename.endswith(".csv")
    assert content.startswith(b"item_id,timestamp,target\n")
    frame = read_table(content, sample.filename, LIMIT)
    assert len(frame) <= 5000
    columns = guess_columns(frame)
    assert columns == SeriesColumns("item_id", "timestamp", "target")
    assert check_series(frame, columns, size_bytes=len(content), max_bytes=LIMIT) == []
    observed = to_observations(frame, columns, sample.filename)
    season, items = EXPECTED[key]
    assert (season_length(observed.frame, "item_id", "timestamp"), len(observed.items)) == (
        season,
        items,
    )
    assert observed.frame["target"].notna().all()


def test_co2_is_the_mauna_loa_record() -> None:
    frame = pd.read_csv(io.BytesIO(SAMPLES["co2"].csv()))
    assert (frame["timestamp"].iloc[0], frame["target"].iloc[0]) == ("1958-03-29", 316.1)
    assert len(frame) == 2284


def test_split_tail_holds_out_the_last_steps_of_each_series() -> None:
    content = b"item_id,timestamp,target\na,1,1\na,2,2\na,3,3\nb,1,4\nb,2,5\n"
    history, tail = split_tail(content, 2)
    assert history == b"item_id,timestamp,target\na,1,1\n"
    assert tail == b"item_id,timestamp,target\na,2,2\na,3,3\nb,1,4\nb,2,5\n"


def test_split_tail_of_a_sample_rejoins_into_the_sample() -> None:
    content = SAMPLES["macro"].csv()
    history, tail = split_tail(content, 8)
    rejoined = pd.concat([pd.read_csv(io.BytesIO(part)) for part in (history, tail)])
    rejoined = rejoined.sort_values(["item_id", "timestamp"], kind="stable")
    original = pd.read_csv(io.BytesIO(content))
    pd.testing.assert_frame_equal(rejoined.reset_index(drop=True), original)
    assert pd.read_csv(io.BytesIO(tail)).groupby("item_id").size().tolist() == [8] * 6


def test_split_tail_of_a_file_without_item_column_treats_it_as_one_series() -> None:
    history, tail = split_tail(b"timestamp,target\n1,1\n2,2\n3,3\n", 1)
    assert (history, tail) == (b"timestamp,target\n1,1\n2,2\n", b"timestamp,target\n3,3\n")
