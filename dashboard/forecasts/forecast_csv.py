"""Reading forecast files as tools write them; `python3 -m dashboard.forecasts.forecast_csv FILE`.

The command prints one JSON object saying how the file was read, and exits 0 when it can be
charted, 2 when it is refused ({"ok": false, "error": "..."}).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, get_args

import numpy as np
import pandas as pd

from dashboard.forecasts.forecast_data import (
    ForecastColumns,
    ForecastCsvError,
    ForecastData,
    IntegerTimes,
    Interval,
    ReadOptions,
)
from dashboard.forecasts.forecast_names import quantile_level
from dashboard.forecasts.forecast_reader import read_forecast

__all__ = [
    "ForecastColumns",
    "ForecastCsvError",
    "ForecastData",
    "Interval",
    "ReadOptions",
    "describe",
    "main",
    "parse_forecast_csv",
    "quantile_level",
]


def parse_forecast_csv(content: bytes, options: ReadOptions | None = None) -> ForecastData:
    """Parse a forecast file; raise ForecastCsvError with what is wrong and what to do."""
    return read_forecast(content, options)


def _first_time(times: pd.Series, data: ForecastData) -> str | int:
    if data.columns.time_kind == "step":
        return int(times.to_numpy(dtype=np.int64)[0])
    return pd.Timestamp(times.iloc[0]).isoformat() + (data.time_offset or "")


def _first_number(values: pd.Series) -> float | None:
    number = float(values.to_numpy(dtype=np.float64)[0])
    return number if math.isfinite(number) else None  # JSON has no NaN nor infinity


def describe(data: ForecastData) -> dict[str, object]:
    """The command's JSON answer for a file that was read."""
    columns = data.columns
    first = data.items[0]
    rows = data.item_frame(first)
    point = None if columns.point is None else _first_number(rows[columns.point])
    return {
        "ok": True,
        "series_columns": list(columns.series),
        "time_column": columns.timestamp,
        "time_kind": columns.time_kind,
        "point_column": columns.point,
        "intervals": [
            {"lower": band.lower, "upper": band.upper, "coverage": band.coverage}
            for band in columns.bands
        ],
        "models": list(columns.models),
        "items": len(data.items),
        "first_series": {
            "id": first,
            "first_time": _first_time(rows[columns.timestamp], data),
            "first_point": point,
            "rows": len(rows),
            "duplicate_times": data.duplicate_times(first),
        },
    }


class _UsageError(Exception):
    """The command line itself is wrong."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message}. {' '.join(self.format_usage().split())}")


def _band(text: str) -> Interval:
    """A band from the command line: "Lo 80,Hi 80,80"; "low,high," leaves its coverage unstated."""
    lower, upper, coverage = text.rsplit(",", 2)
    return Interval(lower, upper, int(coverage) if coverage.strip() else None)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python3 -m dashboard.forecasts.forecast_csv", description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--separator", help="field separator, e.g. ';' or tab")
    parser.add_argument("--decimal", choices=(".", ","), help="decimal mark")
    order = parser.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", action="store_const", const=True, dest="dayfirst")
    order.add_argument("--monthfirst", action="store_const", const=False, dest="dayfirst")
    parser.add_argument("--utc", action="store_true", help="convert zoned times to UTC")
    parser.add_argument("--integers", choices=get_args(IntegerTimes), help="integer times as")
    series = parser.add_mutually_exclusive_group()
    series.add_argument("--series", action="append", help="a series column (repeatable)")
    series.add_argument("--single-series", action="store_true", help="no series column")
    parser.add_argument("--time", help="the time column")
    parser.add_argument("--point", help="the point forecast column")
    parser.add_argument(
        "--band", action="append", type=_band, help="LOWER,UPPER,COVERAGE (repeatable)"
    )
    parser.add_argument("--model", help="the model to read, when the file has several")
    return parser


def _options(args: argparse.Namespace) -> ReadOptions:
    separator = "\t" if args.separator in ("\\t", "tab") else args.separator
    series = () if args.single_series else args.series and tuple(args.series)
    return ReadOptions(
        separator=separator,
        decimal=args.decimal,
        dayfirst=args.dayfirst,
        utc=args.utc,
        integers=args.integers,
        series=series,
        time=args.time,
        point=args.point,
        bands=args.band and tuple(args.band),
        model=args.model,
    )


def _answer(argv: Sequence[str] | None) -> tuple[dict[str, object], int]:
    try:
        args = _parser().parse_args(argv)
        content = args.file.read_bytes()
        return describe(parse_forecast_csv(content, _options(args))), 0
    except (_UsageError, ForecastCsvError) as exc:
        return {"ok": False, "error": str(exc)}, 2
    except OSError as exc:
        return {"ok": False, "error": f"Cannot read the file: {exc.strerror} ({exc.filename})."}, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Print one JSON object about the file; 0 when it can be charted, 2 when refused."""
    answer, status = _answer(argv)
    sys.stdout.write(json.dumps(answer) + "\n")  # ASCII, whatever the terminal's encoding
    return status


if __name__ == "__main__":
    sys.exit(main())
