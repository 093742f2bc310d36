"""Reading a forecast file: layout and roles guessed, rows parsed with pyarrow, times and series."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from dashboard.forecasts.forecast_columns import Roles, assign_roles, with_coverage
from dashboard.forecasts.forecast_data import (
    Dialect,
    ForecastColumns,
    ForecastCsvError,
    ForecastData,
    ReadOptions,
)
from dashboard.forecasts.forecast_dialect import Layout, sniff_layout
from dashboard.forecasts.forecast_index import index_series
from dashboard.forecasts.forecast_names import MODEL_COLUMN, lowered
from dashboard.forecasts.forecast_times import ParsedTimes, parse_times
from dashboard.tables.table_bounds import BoundsError, check_cell_chars, check_columns
from dashboard.tables.text_encoding import as_utf8

# Written for "no value" in numeric columns (pyarrow's own list, lower-cased).
_MISSING_NUMBER = frozenset({"", "na", "n/a", "nan", "-nan", "null", "#n/a", "#na", "none"})
_LABELS = pa.dictionary(pa.int32(), pa.string())
# The C library's allocator, shared with numpy, so what pyarrow frees can serve the frame.
_POOL = pa.system_memory_pool()
_BLOCK_BYTES = 32 << 20
_WHAT = "The forecast file"


def read_forecast(content: bytes, options: ReadOptions | None = None) -> ForecastData:
    """Read a forecast file; raise ForecastCsvError saying what is wrong and what to do."""
    options = options or ReadOptions()
    content = as_utf8(content)
    layout = sniff_layout(content, options)
    _bounded(lambda: check_columns(_WHAT, len(layout.names)))
    roles = assign_roles(layout, options)
    frame = _read_frame(content, layout, roles)
    _bounded(lambda: _check_labels(frame, (*roles.series, *roles.dimensions, roles.time)))
    if frame.empty:
        raise ForecastCsvError("The forecast file has a header but no rows. Check the export.")
    frame, roles, models, notes = _settle(frame, roles, options)
    for name in roles.series:
        _require_values(frame[name], name, "series", layout.dialect)
    _require_values(frame[roles.time], roles.time, "time", layout.dialect)
    times = _times(frame[roles.time], roles.time, options, layout.dialect)
    frame[roles.time] = times.values[frame[roles.time].cat.codes.to_numpy()]
    frame, slices, repeated = index_series(frame, roles.series, roles.time)
    if repeated:
        notes = (*notes, _repeated_note(repeated))
    columns = _columns(roles, models, options, times)
    return ForecastData(
        frame,
        columns,
        slices,
        times.offsets,
        sorted(slices),
        layout.dialect,
        times.order,
        notes,
        times.time_offset,
    )


def _bounded(check: Callable[[], None]) -> None:
    try:
        check()
    except BoundsError as err:
        raise ForecastCsvError(str(err)) from err


def _check_labels(frame: pd.DataFrame, names: tuple[str, ...]) -> None:
    """Series and time cells of at most MAX_CELL_CHARS: checked on each distinct value once."""
    for name in names:
        labels = frame[name].cat.categories.astype(str).str.len()
        if len(labels):
            check_cell_chars(_WHAT, int(labels.max()), f"column {name[:80]!r}")


def _columns(
    roles: Roles, models: tuple[str, ...], options: ReadOptions, times: ParsedTimes
) -> ForecastColumns:
    values = roles.values
    model = values.model if values.models else options.model
    return ForecastColumns(
        roles.series,
        roles.time,
        values.point,
        values.point_label,
        values.quantiles,
        values.bands,
        roles.ignored,
        values.models or models,
        model,
        times.kind,
    )


def _repeated_note(count: int) -> str:
    return (
        f"{count:,} row(s) repeat a time already in their series: a column naming more series "
        "may have been missed; choose the series columns"
    )


def _read_frame(content: bytes, layout: Layout, roles: Roles) -> pd.DataFrame:
    # pyarrow's reader (the one behind pandas.read_csv(engine="pyarrow")) called directly, to
    # dictionary-encode labels and times: a few thousand distinct strings, not a million.
    values = roles.values
    numbers = [name for name in layout.names if name in values.used - set(values.other_models)]
    types = dict.fromkeys((*roles.series, *roles.dimensions, roles.time), _LABELS)
    types |= dict.fromkeys(numbers, pa.float64())
    try:
        table = _read_table(content, layout, types)
    except pa.ArrowInvalid as exc:
        if "conversion error" not in str(exc):
            raise ForecastCsvError(
                f"The forecast file is malformed: {exc}. Every row needs as many fields as the "
                f"header, split by {layout.dialect.separator!r}; choose the separator if that "
                "is not the one."
            ) from exc
        # Re-read the numbers as text to name the first bad cell (and accept what pandas reads).
        text: pd.DataFrame = _read_table(
            content, layout, types | dict.fromkeys(numbers, pa.string())
        ).to_pandas()
        for name in numbers:
            text[name] = _as_numbers(text[name], name, layout.dialect)
        return text
    frame: pd.DataFrame = table.to_pandas(self_destruct=True, split_blocks=True, memory_pool=_POOL)
    return frame


def _read_table(content: bytes, layout: Layout, types: dict[str, object]) -> pa.Table:
    # Text columns keep every value as written ("NA" is an item name); empty ones are checked.
    dialect = layout.dialect
    read = pa_csv.ReadOptions(
        # One thread, large blocks: the least memory at the peak (measured with bench/), and
        # still well ahead of pandas' own reader.
        use_threads=False,
        block_size=_BLOCK_BYTES,
        column_names=list(layout.names),
        skip_rows=dialect.skip_rows + dialect.header_rows,
        encoding=dialect.encoding,
    )
    parse = pa_csv.ParseOptions(delimiter=dialect.separator)
    convert = pa_csv.ConvertOptions(
        column_types=types,
        include_columns=[name for name in layout.names if name in types],
        decimal_point=dialect.decimal,
    )
    return pa_csv.read_csv(
        pa.py_buffer(content),
        read_options=read,
        parse_options=parse,
        convert_options=convert,
        memory_pool=_POOL,
    )


def _as_numbers(text: pd.Series, name: str, dialect: Dialect) -> pd.Series:
    numbers = pd.to_numeric(text.str.replace(dialect.decimal, ".", regex=False), errors="coerce")
    missing = text.isna() | text.str.strip().str.lower().isin(_MISSING_NUMBER)
    bad = (numbers.isna() & ~missing).to_numpy()
    if bad.any():
        row = int(np.argmax(bad))
        value = str(text.iloc[row])
        hint = (
            " The file seems to write decimal commas: choose ',' as the decimal mark."
            if dialect.decimal == "." and "," in value
            else ""
        )
        raise ForecastCsvError(
            f"Column {name!r} should hold numbers but has {value!r} on line "
            f"{row + dialect.header_rows + dialect.skip_rows + 1}.{hint} Correct the file or "
            "choose another column for this role."
        )
    return numbers.astype("float64")


def _settle(
    frame: pd.DataFrame, roles: Roles, options: ReadOptions
) -> tuple[pd.DataFrame, Roles, tuple[str, ...], tuple[str, ...]]:
    """Dimensions that vary become series; a model column offers its models; coverage read."""
    varying = tuple(name for name in roles.dimensions if len(frame[name].cat.categories) > 1)
    constant = tuple(name for name in roles.dimensions if name not in varying)
    series = tuple(name for name in (*roles.series, *varying))
    roles = replace(roles, series=series, ignored=(*roles.ignored, *constant))
    frame = frame.drop(columns=list(constant))
    coverage = roles.values.coverage_column
    if coverage is not None and frame[coverage].notna().any():
        level = float(frame[coverage].dropna().iloc[0])
        roles = with_coverage(roles, round(level * 100 if level <= 1 else level))
    model_column = next((name for name in series if lowered(name) == MODEL_COLUMN), None)
    if model_column is None:
        return frame, roles, (), ()
    models = tuple(str(name) for name in frame[model_column].cat.categories)
    if options.model is None:
        models = models if len(models) > 1 else ()
        return frame, roles, models, ()
    frame, roles = _one_model(frame, roles, model_column, models, options.model)
    return frame, roles, models, ()


def _one_model(
    frame: pd.DataFrame, roles: Roles, column: str, models: tuple[str, ...], model: str
) -> tuple[pd.DataFrame, Roles]:
    if model not in models:
        raise ForecastCsvError(
            f"There is no model {model!r} in column {column!r}; it has {', '.join(models)}."
        )
    frame = frame[(frame[column] == model).to_numpy()].reset_index(drop=True)
    series = tuple(name for name in roles.series if name != column)
    return frame.drop(columns=[column]), replace(roles, series=series)


def _first_line_of(
    column: pd.Series, positions: npt.ArrayLike, dialect: Dialect
) -> tuple[int, int]:
    """The file line of the first row whose category is in `positions`, and how many rows."""
    codes = column.cat.codes.to_numpy()
    hits = np.isin(codes, positions) | (codes < 0)
    return int(np.argmax(hits)) + dialect.header_rows + dialect.skip_rows + 1, int(hits.sum())


def _require_values(column: pd.Series, name: str, role: str, dialect: Dialect) -> None:
    blank = np.flatnonzero(column.cat.categories.str.strip() == "")
    if len(blank) or column.isna().any():
        line, count = _first_line_of(column, blank, dialect)
        raise ForecastCsvError(
            f"The {role} column {name!r} is empty on line {line} "
            f"({count} row(s) in all). Every row needs a {role}: fill it in, or choose "
            "another column."
        )


def _times(column: pd.Series, name: str, options: ReadOptions, dialect: Dialect) -> ParsedTimes:
    """Parse each distinct time once; the caller spreads the results over the rows."""
    distinct = pd.Series(column.cat.categories, dtype="string")

    def line_of(position: int) -> int:
        return _first_line_of(column, [position], dialect)[0]

    return parse_times(distinct, name, options, line_of)
