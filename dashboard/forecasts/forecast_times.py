"""Reading a time column as forecasting tools write it: ISO, epoch, steps, day- or month-first."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.forecasts.forecast_data import ForecastCsvError, IntegerTimes, ReadOptions, TimeKind
from dashboard.forecasts.forecast_time_formats import FAMILIES, Family, offset_text

# Whole numbers below this are steps (1, 2, 3 or 0..h-1); from 1e8 they are epoch times.
MAX_STEP = 1_000_000
_EPOCH_UNITS: tuple[tuple[float, IntegerTimes], ...] = (
    (1e8, "s"),
    (1e11, "ms"),
    (1e14, "us"),
    (1e17, "ns"),
)
LineOf = Callable[[int], int]
# ASCII classes, as arrow's RE2 reads \d and \s.
_INTEGER = re.compile(r"[+-]?\d{1,19}", re.ASCII)
_WRITTEN_ZONE = r"(Z|[+-]\d{2}(?::?\d{2})?)$"


@dataclass(frozen=True)
class ParsedTimes:
    """Times for each distinct text: naive datetimes (UTC where the file had zones) or steps."""

    values: npt.NDArray[np.generic]
    kind: TimeKind
    offsets: tuple[str, ...] = ()
    order: str | None = None
    time_offset: str | None = None


def parse_times(text: pd.Series, name: str, options: ReadOptions, line_of: LineOf) -> ParsedTimes:
    """Parse distinct time texts, deciding the format from all of them; raise if they disagree."""
    text = text.astype("string").str.strip()
    if text.str.fullmatch(r"[+-]?\d{1,19}").all():
        return _integers(text.to_numpy(dtype=np.int64), name, options.integers)
    if text.str.fullmatch(r"[+-]?\d+(?:\.\d+)?").all():
        return _fractional(text.to_numpy(dtype=np.float64), name)
    plain = _plain_iso(text, options.utc)
    if plain is not None:
        return plain
    family = _family_of(text, name, line_of)
    iso, zones, order = family.to_iso(text, options.dayfirst, name)
    parsed = _parse_iso(iso, zones, name, line_of, text, order)
    return _wall_clock(parsed, zones, options.utc, order)


def looks_like_time(values: Sequence[str]) -> bool:
    """Whether every value reads as a time in one format (for finding an unnamed time column)."""
    cells = [value.strip() for value in values if value.strip()]
    if not cells:
        return False
    # A sample of a few hundred cells: Python's regex beats arrow's per-call costs here.
    if all(_INTEGER.fullmatch(cell) for cell in cells):
        numbers = np.array(cells, dtype=np.int64)
        return _integer_unit(numbers) is not None or _compact_dates(numbers) is not None
    return any(_all_match(family.compiled, cells) for family in FAMILIES)


def _all_match(pattern: re.Pattern[str], cells: list[str]) -> bool:
    """Whether every cell is written this way (the pattern looked up once, not once a cell)."""
    return all(pattern.fullmatch(cell) for cell in cells)


def _plain_iso(text: pd.Series, utc: bool) -> ParsedTimes | None:
    """ISO 8601 as pandas reads it, at C speed; None when the slower, stricter path must decide."""
    try:
        parsed = pd.to_datetime(text, format="ISO8601")
    except (ValueError, OverflowError):
        return None  # other formats, zone names, mixed or missing zones: said by the formats
    if parsed.dt.tz is None:
        return ParsedTimes(parsed.to_numpy(), "datetime")
    zones = text.str.extract(_WRITTEN_ZONE, expand=False)
    return _wall_clock(parsed.dt.tz_convert("UTC"), zones, utc, None)


def _family_of(text: pd.Series, name: str, line_of: LineOf) -> Family:
    for family in FAMILIES:
        if family.matches(text).all():
            return family
    matched = [(int(family.matches(text).sum()), index) for index, family in enumerate(FAMILIES)]
    count, index = max(matched, key=lambda pair: (pair[0], -pair[1]))
    family = FAMILIES[index]
    position = int(np.argmin(family.matches(text).to_numpy()))
    expected = (
        f" like {text.iloc[int(np.argmax(family.matches(text).to_numpy()))]!r}" if count else ""
    )
    raise ForecastCsvError(
        f"The time column {name!r} has {text.iloc[position]!r} on line {line_of(position)}, "
        f"which is not a date or time{expected and ' written' + expected}. Write every time "
        "in one format, ISO 8601 at best (2024-01-31 or 2024-01-31T10:00:00Z), or choose "
        "another time column."
    )


def _parse_iso(
    iso: pd.Series, zones: pd.Series, name: str, line_of: LineOf, text: pd.Series, order: str | None
) -> pd.Series:
    """Instants in UTC where the texts carry zones, naive datetimes where none does."""
    zoned = zones.notna().to_numpy(dtype=bool)
    if zoned.any() and not zoned.all():
        with_zone, without = int(np.argmax(zoned)), int(np.argmin(zoned))
        raise ForecastCsvError(
            f"The time column {name!r} mixes times with a zone ({text.iloc[with_zone]!r}, "
            f"line {line_of(with_zone)}) and without one ({text.iloc[without]!r}, line "
            f"{line_of(without)}), so they cannot be put on one axis. Write every time with "
            "its offset, or none."
        )
    try:
        return pd.to_datetime(iso, format="ISO8601", utc=bool(zoned.any()))
    except (ValueError, OverflowError) as exc:
        bad = pd.to_datetime(iso, format="ISO8601", errors="coerce", utc=True).isna().to_numpy()
        position = int(np.argmax(bad))
        raise ForecastCsvError(
            f"The time column {name!r} has {text.iloc[position]!r} on line {line_of(position)}, "
            f"which is not a valid date{f' read {order}' if order else ''}. Correct it, or "
            "choose the date order or another time column."
        ) from exc


def _wall_clock(parsed: pd.Series, zones: pd.Series, utc: bool, order: str | None) -> ParsedTimes:
    """One offset in the whole column: its wall-clock times as written; several: UTC."""
    if parsed.dt.tz is None:
        return ParsedTimes(parsed.to_numpy(), "datetime", (), order)
    offsets = offset_text(zones).unique()
    instants = parsed.dt.tz_localize(None)
    if len(offsets) > 1 or utc:
        return ParsedTimes(instants.to_numpy(), "datetime", ("UTC",), order, "+00:00")
    shift = pd.Timedelta(hours=int(offsets[0][:3]), minutes=int(offsets[0][0] + offsets[0][4:]))
    written = tuple(sorted(zones.unique()))
    return ParsedTimes((instants + shift).to_numpy(), "datetime", written, order, offsets[0])


def _integer_unit(values: npt.NDArray[np.int64]) -> IntegerTimes | None:
    """Steps or an epoch unit, when every value falls in that unit's range."""
    size = np.abs(values)
    if size.max() < MAX_STEP:
        return "step"
    for index, (low, unit) in enumerate(_EPOCH_UNITS):
        high = _EPOCH_UNITS[index + 1][0] if index + 1 < len(_EPOCH_UNITS) else 1e20
        if size.min() >= low and size.max() < high:
            return unit
    return None


def _integers(values: npt.NDArray[np.int64], name: str, chosen: IntegerTimes | None) -> ParsedTimes:
    unit = chosen or _integer_unit(values)
    compact = _compact_dates(values) if unit is None else None
    if compact is not None:
        return ParsedTimes(compact, "datetime")
    if unit is None:
        raise ForecastCsvError(
            f"The time column {name!r} holds whole numbers from {values.min():,} to "
            f"{values.max():,}, which fit no one epoch unit (seconds from 1e8, milliseconds "
            "from 1e11, ...) nor steps (below 1,000,000). Choose how to read them: steps, or "
            "epoch seconds, milliseconds, microseconds or nanoseconds (--integers s|ms|...)."
        )
    if unit == "step":
        return ParsedTimes(values, "step")
    return ParsedTimes(pd.to_datetime(values, unit=unit).to_numpy(), "datetime")


def _compact_dates(values: npt.NDArray[np.int64]) -> npt.NDArray[np.generic] | None:
    """YYYYMMDD written as a number (20240131), when every value is such a date."""
    if values.min() < 1900_01_01 or values.max() > 2100_12_31:
        return None
    parsed = pd.to_datetime(values.astype(str), format="%Y%m%d", errors="coerce")
    return None if parsed.isna().any() else parsed.to_numpy()


def _fractional(values: npt.NDArray[np.float64], name: str) -> ParsedTimes:
    if np.abs(values).min() >= _EPOCH_UNITS[0][0] and np.abs(values).max() < _EPOCH_UNITS[1][0]:
        return ParsedTimes(pd.to_datetime(values, unit="s").to_numpy(), "datetime")
    raise ForecastCsvError(
        f"The time column {name!r} holds fractional numbers ({values[0]:g}, ...), such as R "
        "writes for a ts index: they are neither dates, epoch seconds nor whole steps. Write "
        "the times as dates, or number the steps 1, 2, 3."
    )
