"""The runs a comparison holds: which jobs a link names, their labels, the items they share, their
times on one axis, the actuals they are scored on, and the readings kept of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from typing import NamedTuple

import pandas as pd

from dashboard.analysis.accuracy import actuals_for
from dashboard.forecasts.forecast_data import ForecastData
from dashboard.series.observations import TIME, Observations, StartedForecast
from eomer_client.errors import InvalidJobIdError
from eomer_client.job_ids import validate_job_id

MIN_JOBS = 2
MAX_JOBS = 6
# One letter per compared run: six jobs and one file from another tool.
LETTERS = "ABCDEFG"
# What a started forecast's settings call its preset (pages/new.py writes these names).
PRESET = "Preset"


class Run(NamedTuple):
    """One compared forecast: the label a person reads, and its reading."""

    label: str
    data: ForecastData


@dataclass(frozen=True)
class LinkedJobs:
    """The usable job IDs of a link, in order, and why each other one was dropped."""

    job_ids: list[str]
    dropped: list[str] = field(default_factory=list)


def job_list(raw: Sequence[str], limit: int = MAX_JOBS) -> LinkedJobs:
    """Validated, distinct job IDs, at most `limit`; the rest named with the reason."""
    kept: list[str] = []
    dropped: list[str] = []
    for value in raw:
        try:
            job_id = validate_job_id(value)
        except InvalidJobIdError as err:
            dropped.append(f"{value[:80]!r}: {err}")
            continue
        if job_id in kept:
            continue
        if len(kept) == limit:
            dropped.append(f"{job_id}: at most {limit} jobs are compared at once")
            continue
        kept.append(job_id)
    return LinkedJobs(kept, dropped)


def run_label(index: int, name: str) -> str:
    """ "A · chronos_small": a letter that stays unique, then what a person recognises."""
    return f"{LETTERS[index % len(LETTERS)]} · {name}"


def job_label(index: int, job_id: str, started: StartedForecast | None) -> str:
    """The job's preset when this session started it, else the first 8 characters of its ID."""
    preset = started.settings.get(PRESET) if started is not None else None
    return run_label(index, preset or job_id[:8])


@dataclass(frozen=True)
class ItemMatch:
    """Items every run has, in the first run's order, and per run the items it lacks."""

    shared: list[str]
    missing: dict[str, list[str]]


def match_items(items: Mapping[str, Sequence[str]]) -> ItemMatch:
    """Match items across runs by ID; `items` maps each run's label to its item IDs."""
    sets = {label: set(ids) for label, ids in items.items()}
    if not sets:
        return ItemMatch([], {})
    everyone = set.intersection(*sets.values())
    first = next(iter(items.values()))
    shared = [item for item in dict.fromkeys(first) if item in everyone]
    union = list(dict.fromkeys(item for ids in items.values() for item in ids))
    missing = {
        label: [item for item in union if item not in own]
        for label, own in sets.items()
        if len(own) < len(union)
    }
    return ItemMatch(shared, missing)


def observed_on_axis(reference: ForecastData, truth: Observations, item: str) -> pd.DataFrame:
    """The item's observations on the chart's axis: the reference forecast's wall-clock times."""
    rows = actuals_for(reference, truth, item)
    times = rows[TIME]
    if getattr(times.dtype, "tz", None) is None:
        return rows
    return rows.assign(**{TIME: times.dt.tz_localize(None)})


def of_items(observations: Observations, items: Sequence[str]) -> Observations:
    """Only the observations of `items`: runs are scored on the items they share."""
    return observations.on_items(items)


def merged(observations: Sequence[Observations | None]) -> Observations | None:
    """All those given in one, a later one winning where two observe the same time."""
    given = [seen for seen in observations if seen is not None]
    return reduce(Observations.merged, given) if given else None


def truth_on(
    observations: Sequence[Observations | None], shared: Sequence[str]
) -> Observations | None:
    """Every source on the shared items, then merged: a file of one unnamed series (no item
    column) is each run's one shared item, even beside a job's history that names it."""
    return merged([seen.on_items(shared) for seen in observations if seen is not None])


def renamed(data: ForecastData, item: str) -> ForecastData:
    """A forecast of one series, that series called `item`."""
    (old,) = data.items
    return replace(data, slices={item: data.slices[old]}, items=[item])


def one_series_named(runs: Sequence[Run]) -> list[Run]:
    """A forecast file of one series without an item column takes the jobs' one series' name.

    One series against one series matches whatever either is called (as observations do);
    only an unnamed file is renamed, so two jobs of other named series still share nothing.
    """
    named = {tuple(run.data.items) for run in runs if run.data.columns.series}
    if len(named) != 1 or len(next(iter(named))) != 1:
        return list(runs)
    (item,) = next(iter(named))
    return [
        Run(run.label, renamed(run.data, item))
        if not run.data.columns.series and len(run.data.items) == 1
        else run
        for run in runs
    ]


@dataclass
class ForecastShelf:
    """The compared jobs' readings for one connection, within one budget of bytes."""

    identity: str
    budget: int
    kept: dict[str, ForecastData] = field(default_factory=dict)

    def keep_only(self, job_ids: Sequence[str]) -> None:
        """Let go of the readings of jobs no longer compared."""
        for job_id in [key for key in self.kept if key not in job_ids]:
            del self.kept[job_id]

    def room_for(self, data: ForecastData) -> bool:
        """True when `data` fits beside the readings already kept."""
        used = sum(_bytes(kept) for kept in self.kept.values())
        return used + _bytes(data) <= self.budget


def _bytes(data: ForecastData) -> int:
    return int(data.frame.memory_usage(deep=True).sum())
