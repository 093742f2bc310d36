"""Observed values of forecast series: a job's input history, or actuals attached to it later."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

import pandas as pd

# The columns of an Observations frame, whatever the file called them.
ITEM, TIME, VALUE = "item_id", "timestamp", "target"


@dataclass(frozen=True)
class Observations:
    """Long-format observed values: one row per (item_id, timestamp), sorted by item then time.

    `frame` has the columns ITEM (str), TIME (datetime64, naive or zoned, or numbers for step
    times) and VALUE (float). `source` says where they came from, for captions ("the uploaded
    file sales.csv"); `unit` is the target's unit when known ("units", "MWh"); `target_name` is
    what the file called the value column ("sales"), for a chart's value axis.
    """

    frame: pd.DataFrame
    source: str
    unit: str | None = None
    target_name: str | None = None
    # What the reader assumed to read them (skipped lines, rows without a value...), for people.
    notes: tuple[str, ...] = ()

    @cached_property
    def items(self) -> list[str]:
        """Item IDs in first-seen order."""
        # Computed once: charts and scores ask for every item they draw.
        return list(dict.fromkeys(self.frame[ITEM].tolist()))

    def merged(self, later: Observations) -> Observations:
        """Both sets of rows; where both hold an (item, time), `later`'s value wins."""
        both = pd.concat([self.frame, later.frame], ignore_index=True)
        both = both.drop_duplicates([ITEM, TIME], keep="last")
        both = both.sort_values([ITEM, TIME], kind="stable").reset_index(drop=True)
        sources = self.source if later.source == self.source else f"{self.source}; {later.source}"
        target_name = later.target_name or self.target_name
        return Observations(both, sources, later.unit or self.unit, target_name)

    def on_items(self, items: Sequence[str]) -> Observations:
        """Only the rows of `items`; one series given for one item is that item, whatever its
        name (a file without an item column calls its series SINGLE_SERIES)."""
        if len(self.items) == 1 and len(items) == 1:
            return replace(self, frame=self.frame.assign(**{ITEM: items[0]}))
        return replace(self, frame=self.frame[self.frame[ITEM].isin(items)])

    def for_item(self, item: str, forecast_items: Sequence[str], like: pd.Series) -> pd.DataFrame:
        """The rows observed for forecast item `item`, their times comparable with `like`.

        Items match by ID; a single observed series matches a single forecast series whatever
        either is called; times are made comparable with `like` (see `comparable_times`). A
        ForecastData keeps naive wall-clock times and its offset apart: pass its times zoned,
        `accuracy.forecast_times` (or call `accuracy.actuals_for`), since against the raw column
        zoned observations become naive UTC, off by the offset. Empty when nothing matches or the
        kinds of time differ (dates vs steps).
        """
        key = _matching_item(item, self.items, forecast_items)
        if key is None:
            return self.frame.iloc[0:0]
        rows = self.frame[self.frame[ITEM] == key]
        times = comparable_times(rows[TIME], like)
        if times is None:
            return self.frame.iloc[0:0]
        return rows.assign(**{TIME: times.to_numpy()})


def _matching_item(item: str, observed: Sequence[str], forecast: Sequence[str]) -> str | None:
    if item in observed:
        return item
    if len(observed) == 1 and len(forecast) == 1:
        return observed[0]
    return None


def _zone(times: pd.Series) -> object | None:
    return getattr(times.dtype, "tz", None)


def comparable_times(times: pd.Series, like: pd.Series) -> pd.Series | None:
    """`times` as `like` holds times (its zone, or naive UTC), or None when the kinds differ."""
    dated = pd.api.types.is_datetime64_any_dtype
    if dated(times) != dated(like):
        return None
    if not dated(times):
        return times.astype(float)
    zone, wanted = _zone(times), _zone(like)
    if wanted is None:
        return times if zone is None else times.dt.tz_convert("UTC").dt.tz_localize(None)
    if zone is None:
        localised: pd.Series = times.dt.tz_localize(wanted, ambiguous="NaT", nonexistent="NaT")
        return localised
    converted: pd.Series = times.dt.tz_convert(wanted)
    return converted


@dataclass(frozen=True)
class StartedForecast:
    """A job this session started from /new: what was sent, and the series it was sent."""

    job_id: str
    # What the form sent, for people: "Preset" -> "chronos_small", "Prediction length" -> "24"...
    settings: Mapping[str, str]
    # sha256 of the uploaded file's bytes, as hex.
    input_hash: str
    history: Observations
    started_at: datetime
    file_name: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)
