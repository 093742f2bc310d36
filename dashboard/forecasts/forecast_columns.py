"""Giving each column of a forecast file its role, from its name and its first values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dashboard.forecasts.forecast_data import ForecastCsvError, ReadOptions, widest_first
from dashboard.forecasts.forecast_dialect import Layout, layout_note
from dashboard.forecasts.forecast_models import Values, choose_values
from dashboard.forecasts.forecast_names import (
    SOFT_SERIES_NAMES,
    STRONG_SERIES_NAMES,
    TIME_NAMES,
    first_named,
    lowered,
)
from dashboard.forecasts.forecast_times import looks_like_time

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")
_ID_LIKE = re.compile(r"^0\d")  # "007" is an id, not the number 7
_ID_NAME = re.compile(r"[_\s]id$")  # "store_id", "customer id"
_MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "-"})


@dataclass(frozen=True)
class Roles:
    """The role of each column; `dimensions` become series columns where their values vary."""

    series: tuple[str, ...]
    dimensions: tuple[str, ...]
    time: str
    values: Values
    ignored: tuple[str, ...]


def assign_roles(layout: Layout, options: ReadOptions) -> Roles:
    """Roles for every column; raise ForecastCsvError naming what is missing and what to do."""
    names = layout.names
    _refuse_duplicates(names, layout)
    edges = [edge for band in options.bands or () for edge in (band.lower, band.upper)]
    for chosen in (options.time, options.point, *(options.series or ()), *edges):
        _require_column(chosen, names)
    numeric = {name for name in names if _numeric(layout.sample(name))}
    time = options.time or _time_column(names, layout)
    rest = [name for name in names if name != time]
    named_series = _series_columns(rest, options)
    candidates = [name for name in rest if name not in named_series]
    values = choose_values(candidates, numeric, options)
    used = {*named_series, *values.used}
    unknown = [name for name in candidates if name not in used]
    dimensions = () if options.series is not None else tuple(n for n in unknown if n not in numeric)
    ignored = tuple(name for name in unknown if name not in dimensions)
    roles = Roles(named_series, dimensions, time, values, ignored)
    return roles if values.point or values.bands else _refuse_no_values(roles, layout)


def _require_column(name: str | None, names: Sequence[str]) -> None:
    if name is not None and name not in names:
        raise ForecastCsvError(
            f"There is no column {name!r} in this file; its columns are {', '.join(names)}."
        )


def _refuse_duplicates(names: Sequence[str], layout: Layout) -> None:
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ForecastCsvError(
            f"Column {repeated[0]!r} appears more than once. Rename or remove the copies, then "
            f"read the file again.{layout_note(layout)}"
        )


def _numeric(sample: Sequence[str]) -> bool:
    """Whether a column's first values are all numbers or gaps (and some are numbers)."""
    present = [value for value in sample if value.lower() not in _MISSING]
    return bool(present) and all(
        _NUMBER.match(value) and not _ID_LIKE.match(value) for value in present
    )


def _time_column(names: Sequence[str], layout: Layout) -> str:
    """The time column by its name, else the first column whose values all read as times."""
    named = first_named(names, TIME_NAMES)
    if named is not None:
        return named
    unnamed_first = sorted(names, key=lambda name: not name.startswith("(unnamed"))
    series_names = (*STRONG_SERIES_NAMES, *SOFT_SERIES_NAMES)
    for name in unnamed_first:
        if first_named([name], series_names) is None and looks_like_time(layout.sample(name)):
            return name
    raise ForecastCsvError(
        f"No time column found among {', '.join(names)}: none is named like one "
        f"({', '.join(TIME_NAMES[:6])}, ...) and none holds dates or steps in every row. "
        f"Choose the time column.{layout_note(layout)}"
    )


def _series_columns(names: Sequence[str], options: ReadOptions) -> tuple[str, ...]:
    """Id columns; other text columns (target, model, cutoff, dimensions) split where they vary."""
    if options.series is not None:
        return options.series
    return tuple(
        n for n in names if lowered(n) in STRONG_SERIES_NAMES or _ID_NAME.search(lowered(n))
    )


def _refuse_no_values(roles: Roles, layout: Layout) -> Roles:
    columns = ", ".join((*roles.series, roles.time, *roles.dimensions, *roles.ignored))
    raise ForecastCsvError(
        f"No forecast values found among {columns}: expected a point forecast (mean, yhat, "
        "forecast, a model's name...), quantiles (0.1, q10, p10, ...) or bounds (Lo 80 / Hi 80, "
        f"yhat_lower / yhat_upper, ...). Choose the point column.{layout_note(layout)}"
    )


def with_coverage(roles: Roles, coverage: int) -> Roles:
    """The roles with the named-without-coverage band's coverage read from the file."""
    bands = tuple(
        replace(band, coverage=coverage) if band.coverage is None else band
        for band in roles.values.bands
    )
    return replace(roles, values=replace(roles.values, bands=widest_first(bands)))
