"""Column detection and parsing of forecast CSVs, whatever their naming, and their bad data."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.forecast_csv import (
    ForecastCsvError,
    detect_columns,
    parse_forecast_csv,
    quantile_level,
)


def csv_bytes(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("0.1,0.5,0.9", ((0.1, "0.1"), (0.5, "0.5"), (0.9, "0.9"))),
        ("q10,q50,q90", ((0.1, "q10"), (0.5, "q50"), (0.9, "q90"))),
        ("p10,p50,p90", ((0.1, "p10"), (0.5, "p50"), (0.9, "p90"))),
        ("quantile_0.1,quantile_0.9", ((0.1, "quantile_0.1"), (0.9, "quantile_0.9"))),
        ("q0.25,Q0.75", ((0.25, "q0.25"), (0.75, "Q0.75"))),
        ("10%,90%", ((0.1, "10%"), (0.9, "90%"))),
        ("p2.5,p97.5", ((0.025, "p2.5"), (0.975, "p97.5"))),
    ],
)
def test_quantile_columns_are_found_in_every_naming(
    header: str, expected: tuple[tuple[float, str], ...]
) -> None:
    columns = detect_columns(["item_id", "timestamp", "mean", *header.split(",")])
    assert columns.quantiles == expected


@pytest.mark.parametrize("name", ["10", "mean", "q", "1.5", "p0", "item_10", "200%", "0.0"])
def test_names_that_are_not_quantiles_have_no_level(name: str) -> None:
    assert quantile_level(name) is None


def test_item_timestamp_and_mean_are_found_under_other_names() -> None:
    columns = detect_columns(["unique_id", "ds", "yhat", "model"])
    assert (columns.item, columns.timestamp, columns.point) == ("unique_id", "ds", "yhat")
    assert columns.ignored == ("model",)


def test_the_median_quantile_is_the_point_when_there_is_no_mean() -> None:
    columns = detect_columns(["series", "date", "q10", "q50", "q90"])
    assert (columns.point, columns.point_label) == ("q50", "median")


def test_symmetric_quantile_pairs_become_named_intervals_widest_first() -> None:
    columns = detect_columns(["id", "date", "mean", "0.1", "0.25", "0.5", "0.75", "0.9", "0.95"])
    assert columns.intervals() == [("0.1", "0.9", 80), ("0.25", "0.75", 50)]


def test_a_csv_without_quantiles_parses_with_the_mean_alone() -> None:
    data = parse_forecast_csv(csv_bytes("item_id,timestamp,mean", "A,2024-01-01,1.5"))
    assert data.columns.quantiles == ()
    assert data.columns.intervals() == []
    assert data.item_frame("A")["mean"].tolist() == [1.5]


def test_unexpected_columns_are_refused_with_the_columns_found() -> None:
    with pytest.raises(ForecastCsvError, match=r"\(a, b, c\) do not look like a forecast"):
        parse_forecast_csv(csv_bytes("a,b,c", "1,2,3"))


def test_a_forecast_without_values_is_refused() -> None:
    with pytest.raises(ForecastCsvError, match="no forecast values"):
        detect_columns(["item_id", "timestamp", "comment"])


def test_two_columns_for_one_quantile_are_refused() -> None:
    with pytest.raises(ForecastCsvError, match=r"both hold quantile 0\.1"):
        detect_columns(["item_id", "timestamp", "0.1", "q10"])


def test_text_in_a_numeric_column_names_the_column_and_first_bad_line() -> None:
    content = csv_bytes("item_id,timestamp,mean,0.9", "A,2024-01-01,1,2", "A,2024-01-02,n/a?,3")
    with pytest.raises(ForecastCsvError, match=r"Column 'mean' .* 'n/a\?' on line 3"):
        parse_forecast_csv(content)


def test_a_missing_timestamp_names_its_line() -> None:
    content = csv_bytes("item_id,timestamp,mean", "A,2024-01-01,1", "A,,2", "A,,3")
    with pytest.raises(ForecastCsvError, match=r"empty on line 3 \(2 row\(s\) in all\)"):
        parse_forecast_csv(content)


def test_an_unreadable_timestamp_names_its_value_and_line() -> None:
    content = csv_bytes("item_id,timestamp,mean", "A,2024-01-01,1", "A,tomorrow,2")
    with pytest.raises(ForecastCsvError, match=r"'tomorrow' on line 3"):
        parse_forecast_csv(content)


@pytest.mark.parametrize("content", [b"", b"\n", b"item_id,timestamp,mean\n"])
def test_an_empty_csv_is_refused(content: bytes) -> None:
    with pytest.raises(ForecastCsvError, match=r"empty|no rows"):
        parse_forecast_csv(content)


def test_a_ragged_csv_is_refused_as_malformed() -> None:
    with pytest.raises(ForecastCsvError, match="malformed"):
        parse_forecast_csv(csv_bytes("item_id,timestamp,mean", "A,2024-01-01,1,9"))


def test_rows_are_indexed_by_item_in_time_order() -> None:
    content = csv_bytes(
        "item_id,timestamp,mean",
        "B,2024-01-02,4",
        "A,2024-01-02,2",
        "B,2024-01-01,3",
        "A,2024-01-01,1",
    )
    data = parse_forecast_csv(content)
    assert data.items == ["A", "B"]
    assert data.item_frame("B")["mean"].tolist() == [3.0, 4.0]
    assert data.selection(["B", "A"])["mean"].tolist() == [3.0, 4.0, 1.0, 2.0]


def test_item_ids_keep_their_leading_zeros() -> None:
    data = parse_forecast_csv(csv_bytes("item_id,timestamp,mean", "007,2024-01-01,1"))
    assert data.items == ["007"]


def test_timestamps_keep_the_wall_clock_time_and_offset_as_written() -> None:
    content = csv_bytes(
        "item_id,timestamp,mean", "A,2024-03-31T01:00:00+01:00,1", "A,2024-03-31T03:00:00+02:00,2"
    )
    data = parse_forecast_csv(content)
    stamps = data.item_frame("A")["timestamp"].tolist()
    assert stamps == [pd.Timestamp("2024-03-31 01:00"), pd.Timestamp("2024-03-31 03:00")]
    assert data.offsets == ("+01:00", "+02:00")


def test_a_single_utc_offset_is_not_converted() -> None:
    data = parse_forecast_csv(csv_bytes("item_id,timestamp,mean", "A,2024-01-01T23:30:00Z,1"))
    assert data.item_frame("A")["timestamp"].tolist() == [pd.Timestamp("2024-01-01 23:30")]
    assert data.offsets == ("Z",)


def test_day_first_dates_are_read_in_one_consistent_format() -> None:
    content = csv_bytes("item_id,date,mean", "A,31/01/2024,1", "A,01/02/2024,2")
    stamps = parse_forecast_csv(content).item_frame("A")["date"].tolist()
    assert stamps == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-01")]


def test_integer_values_with_gaps_are_read_as_floats() -> None:
    data = parse_forecast_csv(
        csv_bytes("item_id,timestamp,mean,0.9", "A,2024-01-01,1,", "A,2024-01-02,,2")
    )
    frame = data.item_frame("A")
    assert frame["mean"].isna().tolist() == [False, True]
    assert frame["0.9"].dtype == "float64"


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbfitem_id,timestamp,mean\nA,2024-01-01,1\n",
        b"item_id,timestamp,mean\r\nA,2024-01-01,1\r\n",
    ],
)
def test_a_byte_order_mark_or_windows_line_ends_do_not_matter(content: bytes) -> None:
    data = parse_forecast_csv(content)
    assert (data.columns.item, data.items) == ("item_id", ["A"])


def test_an_item_called_na_is_an_item_not_a_gap() -> None:
    data = parse_forecast_csv(csv_bytes("item_id,timestamp,mean", "NA,2024-01-01,1"))
    assert data.items == ["NA"]


def test_gaps_in_numbers_do_not_hide_the_first_real_bad_value() -> None:
    content = csv_bytes(
        "item_id,timestamp,mean", "A,2024-01-01,", "A,2024-01-02,NA", "A,2024-01-03,1"
    )
    assert parse_forecast_csv(content).item_frame("A")["mean"].isna().sum() == 2
    bad = content + b"A,2024-01-04,twelve\n"
    with pytest.raises(ForecastCsvError, match=r"'twelve' on line 5"):
        parse_forecast_csv(bad)
