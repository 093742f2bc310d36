"""Time columns: the format and date order decided from the whole column, zones, epochs, steps."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from dashboard.forecasts.forecast_data import ForecastCsvError, ReadOptions
from dashboard.forecasts.forecast_times import ParsedTimes, looks_like_time, parse_times

SEEDS = range(40)


def parse(values: list[str], **options: object) -> ParsedTimes:
    return parse_times(pd.Series(values), "when", ReadOptions(**options), lambda at: at + 2)  # type: ignore[arg-type]


def as_datetimes(parsed: ParsedTimes) -> list[datetime]:
    return [pd.Timestamp(value).to_pydatetime() for value in parsed.values]


def random_dates(rng: random.Random, count: int = 8) -> list[datetime]:
    return [datetime(2000, 1, 1) + timedelta(days=rng.randrange(20_000)) for _ in range(count)]


@pytest.mark.parametrize("seed", SEEDS)
def test_any_column_with_a_day_above_12_is_read_in_the_right_order(seed: int) -> None:
    rng = random.Random(seed)
    dates = [*random_dates(rng), datetime(2001, rng.randrange(1, 13), rng.randrange(13, 29))]
    rng.shuffle(dates)
    separator = rng.choice("/.-")
    for dayfirst, pattern in ((True, "%d{0}%m{0}%Y"), (False, "%m{0}%d{0}%Y")):
        written = [date.strftime(pattern.format(separator)) for date in dates]
        parsed = parse(written)
        assert as_datetimes(parsed) == dates
        assert parsed.order == ("day first" if dayfirst else "month first")


@pytest.mark.parametrize("seed", SEEDS)
def test_a_column_with_no_day_above_12_is_refused_until_the_order_is_chosen(seed: int) -> None:
    rng = random.Random(seed)
    dates = [datetime(rng.randrange(1990, 2040), rng.randrange(1, 13), rng.randrange(1, 13))]
    dates += [datetime(2020, 3, 4)]  # one date whose two readings differ
    written = [date.strftime("%d/%m/%Y") for date in dates]
    with pytest.raises(ForecastCsvError, match=r"day first or month first.*--dayfirst"):
        parse(written)
    assert as_datetimes(parse(written, dayfirst=True)) == dates


def test_dates_that_read_the_same_either_way_need_no_choice() -> None:
    assert as_datetimes(parse(["01/01/2024", "02/02/2024"])) == [
        datetime(2024, 1, 1),
        datetime(2024, 2, 2),
    ]


def test_a_chosen_order_that_the_dates_contradict_is_refused_naming_the_date() -> None:
    with pytest.raises(ForecastCsvError, match=r"'01/13/2024' on line 2.*read day first"):
        parse(["01/13/2024"], dayfirst=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_one_offset_keeps_wall_clock_times_and_several_become_utc(seed: int) -> None:
    rng = random.Random(seed)
    minutes = [rng.randrange(-12 * 60, 14 * 60, 15) for _ in range(2)]
    dates = random_dates(rng, 4)
    zones = [timezone(timedelta(minutes=m)) for m in minutes]
    one = parse([date.replace(tzinfo=zones[0]).isoformat() for date in dates])
    assert as_datetimes(one) == dates
    mixed = [date.replace(tzinfo=zones[i % 2]) for i, date in enumerate(dates)]
    several = parse([date.isoformat() for date in mixed])
    utc = [date.astimezone(UTC).replace(tzinfo=None) for date in mixed]
    assert as_datetimes(several) == utc
    if minutes[0] != minutes[1]:
        assert several.offsets == ("UTC",)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-01-31 10:00:00 UTC", datetime(2024, 1, 31, 10)),
        ("Wed, 31 Jan 2024 10:00:00 GMT", datetime(2024, 1, 31, 10)),
        ("2024-01-31T10:00:00.5Z", datetime(2024, 1, 31, 10, 0, 0, 500_000)),
        ("1/31/2024 1:30 PM", datetime(2024, 1, 31, 13, 30)),
        ("31.01.24", datetime(2024, 1, 31)),
        ("2024/01/31", datetime(2024, 1, 31)),
        ("31-Jan-2024", datetime(2024, 1, 31)),
        ("January 31, 2024", datetime(2024, 1, 31)),
        ("Jan 2024", datetime(2024, 1, 1)),
        ("2024 Q3", datetime(2024, 7, 1)),
        ("20240131", datetime(2024, 1, 31)),
        ("1706695200", datetime(2024, 1, 31, 10)),
        ("1706695200000", datetime(2024, 1, 31, 10)),
        ("1706695200.25", datetime(2024, 1, 31, 10, 0, 0, 250_000)),
    ],
)
def test_the_ways_tools_write_a_time_are_read(written: str, expected: datetime) -> None:
    assert as_datetimes(parse([written])) == [expected]


def test_small_whole_numbers_are_steps() -> None:
    parsed = parse(["0", "1", "12"])
    assert (parsed.kind, parsed.values.tolist()) == ("step", [0, 1, 12])


def test_whole_numbers_between_steps_and_epochs_are_refused_naming_the_epoch_unit() -> None:
    with pytest.raises(ForecastCsvError, match="no one epoch unit"):
        parse(["5000000", "5003600"])
    assert parse(["5000000"], integers="s").values[0] == np.datetime64("1970-02-27T20:53:20")


def test_epoch_seconds_and_milliseconds_in_one_column_are_refused() -> None:
    with pytest.raises(ForecastCsvError, match="epoch unit"):
        parse(["1706695200", "1706695200000"])


def test_a_column_mixing_formats_names_the_odd_value_and_line() -> None:
    with pytest.raises(ForecastCsvError, match=r"'31/01/2024' on line 3.*like '2024-01-30'"):
        parse(["2024-01-30", "31/01/2024"])


def test_unknown_month_names_are_refused_naming_the_value() -> None:
    with pytest.raises(ForecastCsvError, match=r"'Foo 2024' on line 2, which is not a valid date"):
        parse(["Foo 2024"])


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["Jan 1961", "Feb 1961"], True), (["1", "2"], True), (["A", "B"], False), ([""], False)],
)
def test_a_time_column_can_be_recognised_by_its_values(values: list[str], expected: bool) -> None:
    assert looks_like_time(values) is expected
