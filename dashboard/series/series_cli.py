"""`python3 -m dashboard.series_files FILE`: how a file of series reads, as one JSON object.

Prints {"ok": true, "names", "columns", "series", "observations", "first", "last", "notes"} and
exits 0, or {"ok": false, "error", "names", "columns"} and exits 2. `--observations OUT` writes
`item,time,value` (ISO 8601 times, offsets kept) of exactly what /new would send.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from dashboard.safety.upload_limits import MAX_FILE_MB
from dashboard.series.observations import TIME, Observations
from dashboard.series.series_checks import check_series
from dashboard.series.series_columns import SeriesColumns
from dashboard.series.series_guess import guess_columns
from dashboard.series.series_rows import to_observations
from dashboard.series.series_upload import iso_text, upload_csv
from dashboard.tables.table_attrs import SeriesFileError
from dashboard.tables.table_bounds import BoundsError
from dashboard.tables.table_reading import read_table

MAX_BYTES = MAX_FILE_MB << 20
Answer = dict[str, object]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m dashboard.series_files",
        description="Say how a file of series reads (the way /new reads an upload), as JSON.",
    )
    parser.add_argument("file", type=Path, help="a CSV, TSV, TXT, XLSX, XLS or ODS file")
    parser.add_argument("--item", action="append", help="a series key column (repeat: several)")
    parser.add_argument("--time", help="the time column")
    parser.add_argument("--target", action="append", help="the value column (repeat: wide)")
    parser.add_argument("--sheet", help="the spreadsheet's sheet (default: the first that reads)")
    parser.add_argument("--dayfirst", action="store_true", default=None, help="31/01/2024")
    parser.add_argument("--observations", type=Path, help="write item,time,value CSV here")
    return parser


def _columns(columns: SeriesColumns | None, args: argparse.Namespace) -> dict[str, object]:
    """The columns chosen, as the contract writes them: a name, a list of names or null."""
    if columns is None:
        item: object = args.item if args.item and len(args.item) > 1 else (args.item or [None])[0]
        target: object = args.target if args.target and len(args.target) > 1 else None
        if target is None and args.target:
            target = args.target[0]
        return {"item": item, "time": args.time, "target": target}
    return {
        "item": list(columns.item) if isinstance(columns.item, tuple) else columns.item,
        "time": columns.timestamp,
        "target": columns.target if isinstance(columns.target, str) else list(columns.target),
    }


def _span(observed: Observations) -> tuple[str | None, str | None]:
    """The first and last time, written as the observations file writes them."""
    times = observed.frame[TIME]
    if times.empty:
        return None, None
    text = iso_text(times)
    return str(text.iloc[int(times.argmin())]), str(text.iloc[int(times.argmax())])


def _observed(
    args: argparse.Namespace, content: bytes, frame: pd.DataFrame, columns: SeriesColumns
) -> Observations:
    """The series /new would send, after the checks /new makes (bar its count of series)."""
    problems = check_series(
        frame,
        columns,
        size_bytes=len(content),
        max_bytes=MAX_BYTES,
        max_items=sys.maxsize,
        dayfirst=args.dayfirst,
    )
    if problems:
        raise _Refused(columns, " ".join(problem.message for problem in problems))
    try:
        observed = to_observations(frame, columns, args.file.name, dayfirst=args.dayfirst)
        body, sent = upload_csv(frame, columns, dayfirst=args.dayfirst)
    except SeriesFileError as err:
        raise _Refused(columns, str(err)) from err
    if args.observations is not None:
        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(sent.used())
        rows = body[len(header.getvalue().encode("utf-8")) :]
        args.observations.write_bytes(b"item,time,value\n" + rows)
    return dataclasses.replace(observed, target_name=_target_text(columns))


class _Refused(SeriesFileError):
    """The columns were found but the series cannot be sent."""

    def __init__(self, columns: SeriesColumns, message: str) -> None:
        super().__init__(message)
        self.columns = columns


def _target_text(columns: SeriesColumns) -> str:
    return ", ".join(columns.targets())


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise SeriesFileError(
            f"{str(path)!r} cannot be opened ({err.strerror or err}). Check the path."
        ) from err


def read_file(args: argparse.Namespace) -> Answer:
    """What the command prints for the file and choices in `args`."""
    names: list[str] = []
    columns: SeriesColumns | None = None
    try:
        content = _content(args.file)
        frame = read_table(content, args.file.name, MAX_BYTES, args.sheet)
        names = [str(name) for name in frame.columns]
        columns = guess_columns(frame, item=args.item, time=args.time, target=args.target)
        observed = _observed(args, content, frame, columns)
    except _Refused as err:
        return _refusal(str(err), names, _columns(err.columns, args))
    except (SeriesFileError, BoundsError, ValueError) as err:
        return _refusal(str(err), names, _columns(columns, args))
    first, last = _span(observed)
    return {
        "ok": True,
        "names": names,
        "columns": _columns(columns, args),
        "series": len(observed.items),
        "observations": len(observed.frame),
        "first": first,
        "last": last,
        "notes": list(observed.notes),
    }


def _refusal(error: str, names: list[str], columns: dict[str, object]) -> Answer:
    return {"ok": False, "error": error, "names": names, "columns": columns}


def main(argv: Sequence[str], out: TextIO | None = None) -> int:
    """Print the file's reading as JSON; 0 when it reads, 2 when it does not."""
    out = out or sys.stdout
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exit_:
        if exit_.code in (0, None):
            return 0  # --help
        error = "The command line is not understood (see the usage above)."
        answer = _refusal(error, [], {"item": None, "time": None, "target": None})
        out.write(json.dumps(answer) + "\n")
        return 2
    try:
        answer = read_file(args)
    # The command's contract is one JSON object whatever the file holds: anything the readers
    # did not foresee is still said, by its kind and message, never as a traceback.
    except Exception as err:
        error = f"The file could not be read ({type(err).__name__}: {err})."
        answer = _refusal(error, [], _columns(None, args))
    out.write(json.dumps(answer, ensure_ascii=False, default=str) + "\n")
    return 0 if answer["ok"] else 2
