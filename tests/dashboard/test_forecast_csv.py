"""Parsing forecast files and their bad data, and the command that says how a file was read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.forecasts.forecast_csv import (
    ForecastCsvError,
    ReadOptions,
    describe,
    main,
    parse_forecast_csv,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "forecasts"


def csv_bytes(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_a_csv_without_quantiles_parses_with_the_mean_alone() -> None:
    data = parse_forecast_csv(csv_bytes("item_id,timestamp,mean", "A,2024-01-01,1.5"))
    assert data.columns.quantiles == ()
    assert data.columns.intervals() == []
    assert data.item_frame("A")["mean"].tolist() == [1.5]


def test_the_old_item_field_names_the_first_series_column() -> None:
    data = parse_forecast_csv(csv_bytes("unique_id,ds,yhat,model", "A,2024-01-01,1,x"))
    assert (data.columns.item, data.columns.timestamp, data.columns.point) == (
        "unique_id",
        "ds",
        "yhat",
    )
    assert data.columns.ignored == ("model",)  # one value only: it splits nothing


def test_the_median_quantile_is_the_point_when_there_is_no_mean() -> None:
    data = parse_forecast_csv(csv_bytes("series,date,q10,q50,q90", "A,2024-01-01,1,2,3"))
    assert (data.columns.point, data.columns.point_label) == ("q50", "median")


def test_a_file_in_a_windows_code_page_keeps_its_accents() -> None:
    data = parse_forecast_csv("item_id,date,mean\nCafé,2024-01-01,1\n".encode("cp1252"))
    assert data.items == ["Café"]


def test_two_columns_for_one_quantile_are_refused() -> None:
    with pytest.raises(ForecastCsvError, match=r"both hold quantile 0\.1"):
        parse_forecast_csv(csv_bytes("item_id,timestamp,0.1,q10", "A,2024-01-01,1,1"))


def test_text_in_a_numeric_column_names_the_column_and_first_bad_line() -> None:
    content = csv_bytes("item_id,timestamp,mean,0.9", "A,2024-01-01,1,2", "A,2024-01-02,n/a?,3")
    with pytest.raises(ForecastCsvError, match=r"Column 'mean' .* 'n/a\?' on line 3"):
        parse_forecast_csv(content)


def test_a_decimal_comma_read_as_text_is_refused_naming_the_decimal_mark() -> None:
    content = csv_bytes("item_id;date;mean", "A;2024-01-01;1.5", "A;2024-01-02;1,5")
    with pytest.raises(ForecastCsvError, match="decimal commas: choose ','"):
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


def test_a_ragged_csv_is_refused_as_malformed_naming_the_separator() -> None:
    with pytest.raises(ForecastCsvError, match=r"malformed.*split by ','"):
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


def test_item_ids_keep_their_leading_zeros_even_unquoted() -> None:
    data = parse_forecast_csv(csv_bytes("item_id,timestamp,mean", "007,2024-01-01,1"))
    assert data.items == ["007"]


def test_a_single_offset_keeps_the_wall_clock_time_and_names_the_offset() -> None:
    data = parse_forecast_csv(csv_bytes("item_id,timestamp,mean", "A,2024-01-01T23:30:00Z,1"))
    assert data.item_frame("A")["timestamp"].tolist() == [pd.Timestamp("2024-01-01 23:30")]
    assert (data.offsets, data.time_offset) == (("Z",), "+00:00")


def test_several_offsets_are_converted_to_utc_so_the_axis_has_one_zone() -> None:
    content = csv_bytes(
        "item_id,timestamp,mean", "A,2024-03-31T01:00:00+01:00,1", "A,2024-03-31T03:00:00+02:00,2"
    )
    data = parse_forecast_csv(content)
    stamps = data.item_frame("A")["timestamp"].tolist()
    assert stamps == [pd.Timestamp("2024-03-31 00:00"), pd.Timestamp("2024-03-31 01:00")]
    assert (data.offsets, data.time_offset) == (("UTC",), "+00:00")


def test_utc_can_be_asked_for_even_with_one_offset() -> None:
    content = csv_bytes("item_id,timestamp,mean", "A,2024-01-01T00:00:00+05:30,1")
    data = parse_forecast_csv(content, ReadOptions(utc=True))
    assert data.item_frame("A")["timestamp"].tolist() == [pd.Timestamp("2023-12-31 18:30")]


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
        b'"item_id","timestamp","mean"\r\n"A","2024-01-01","1"\r\n',
    ],
)
def test_a_byte_order_mark_windows_line_ends_or_quotes_do_not_matter(content: bytes) -> None:
    data = parse_forecast_csv(content)
    assert (data.columns.item, data.items) == ("item_id", ["A"])


def test_an_item_called_na_is_an_item_not_a_gap() -> None:
    assert parse_forecast_csv(csv_bytes("item_id,date,mean", "NA,2024-01-01,1")).items == ["NA"]


def test_gaps_in_numbers_do_not_hide_the_first_real_bad_value() -> None:
    content = csv_bytes(
        "item_id,timestamp,mean", "A,2024-01-01,", "A,2024-01-02,NA", "A,2024-01-03,1"
    )
    assert parse_forecast_csv(content).item_frame("A")["mean"].isna().sum() == 2
    bad = content + b"A,2024-01-04,twelve\n"
    with pytest.raises(ForecastCsvError, match=r"'twelve' on line 5"):
        parse_forecast_csv(bad)


def test_the_description_of_a_single_series_has_no_series_columns() -> None:
    answer = describe(parse_forecast_csv(csv_bytes("ds,yhat", "2024-01-01,1", "2024-01-01,2")))
    assert answer["series_columns"] == []
    assert answer["first_series"] == {
        "id": "forecast",
        "first_time": "2024-01-01T00:00:00",
        "first_point": 1.0,
        "rows": 2,
        "duplicate_times": 1,
    }


def run_command(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dashboard.forecasts.forecast_csv", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


def one_json_object(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert result.stdout.count("\n") == 1, result.stdout + result.stderr
    answer: dict[str, object] = json.loads(result.stdout)
    return answer


def test_the_command_prints_how_a_chartable_file_was_read_and_exits_0() -> None:
    result = run_command(str(CORPUS / "statsforecast_levels.csv"))
    answer = one_json_object(result)
    assert result.returncode == 0
    assert answer["ok"] is True
    assert answer["models"] == ["AutoETS", "Naive"]
    assert answer["intervals"] == [
        {"lower": "AutoETS-lo-95", "upper": "AutoETS-hi-95", "coverage": 95},
        {"lower": "AutoETS-lo-80", "upper": "AutoETS-hi-80", "coverage": 80},
    ]


def main_answer(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    """The command's main() in this process (a process each took ~1 s): status and its JSON."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert out.count("\n") == 1, out + err
    answer: dict[str, object] = json.loads(out)
    return code, answer


def test_the_command_refuses_with_the_cause_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, answer = main_answer(capsys, str(CORPUS / "uk_dayfirst_ambiguous.csv"))
    assert code == 2
    assert answer["ok"] is False
    assert "day first or month first" in str(answer["error"])


def test_the_command_takes_the_readers_corrections(capsys: pytest.CaptureFixture[str]) -> None:
    file = str(CORPUS / "uk_dayfirst_ambiguous.csv")
    code, answer = main_answer(capsys, file, "--dayfirst", "--single-series")
    assert code == 0
    assert answer["first_series"] == {
        "id": "forecast",
        "first_time": "2024-02-01T00:00:00",
        "first_point": 10.0,
        "rows": 3,
        "duplicate_times": 0,
    }


@pytest.mark.parametrize(
    ("args", "cause"),
    [
        (("missing.csv",), "Cannot read the file"),
        ((), "the following arguments are required: file"),
        (("x.csv", "--integers", "days"), "invalid choice: 'days'"),
    ],
)
def test_the_command_answers_in_json_even_when_called_wrongly(
    args: tuple[str, ...], cause: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(list(args)) == 2
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] is False
    assert cause in answer["error"]
