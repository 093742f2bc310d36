"""Which column of a table of series is which: the time, the value to forecast, the series key.

Names are read for what they mean (dashboard/series/series_names.py) and cells for what they hold,
in the first GUESS_ROWS rows of at most GUESS_COLUMNS columns (and of every column named like a
role), so a file of thousands of columns is guessed as fast as one of a few. Every assumption
goes into the columns' notes; two readings that nothing ranks are refused, naming both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.forecasts.forecast_times import looks_like_time
from dashboard.series.series_columns import SeriesColumns
from dashboard.series.series_keys import guess_item
from dashboard.series.series_names import (
    ITEM_WORDS,
    TARGET_WORDS,
    TIME_WORDS,
    is_identifier_name,
    rank,
    stem,
    target_rank,
)
from dashboard.series.series_values import missing_values, numbers_of
from dashboard.tables.table_attrs import DECIMAL, SeriesFileError
from dashboard.tables.table_bounds import GUESS_COLUMNS, GUESS_ROWS
from dashboard.tables.table_times import period_times

_NUMERIC_SHARE = 0.8
# Columns of numbers named like steps (1, 2, d_1, F1...) past this many: one row per series.
_STEP_COLUMNS = 3
# A year as a column name: 1960, 1960.0 (a spreadsheet's number), 1960 [YR1960] (World Bank).
_YEAR_HEADER = re.compile(r"\s*(1[89]\d\d|20\d\d)(?:\.0)?(?:\s*\[YR\d{4}\])?\s*")


@dataclass(frozen=True)
class Profile:
    """What a column's first cells hold."""

    share: float  # of the filled cells, the numbers
    timelike: bool
    counter: bool  # whole numbers counting up by one: row numbers, when first
    constant: bool = False  # one value throughout: nothing to forecast


def _profile(frame: pd.DataFrame, name: str) -> Profile:
    # A few hundred cells as Python text: per-call costs of arrow text outweigh its speed here.
    sample = pd.Series(frame[name].iloc[:GUESS_ROWS].astype(str).str.strip().tolist(), dtype=object)
    sample = sample[~missing_values(sample).to_numpy()]
    if sample.empty:
        return Profile(0.0, False, False)
    numbers = numbers_of(sample, frame.attrs.get(DECIMAL))
    share = float(numbers.notna().mean())
    values = numbers.to_numpy()
    whole = share == 1.0 and bool(np.all(values == np.round(values)))
    counter = whole and len(values) > 2 and bool(np.all(np.diff(values) == 1))
    periods, _ = period_times(sample)
    constant = len(sample) > 1 and sample.nunique() == 1
    return Profile(share, looks_like_time(periods.tolist()), counter, constant)


def guess_columns(
    frame: pd.DataFrame,
    *,
    item: list[str] | None = None,
    time: str | None = None,
    target: list[str] | None = None,
) -> SeriesColumns:
    """Item, time and target columns by meaning and content, any given ones kept as given;
    raise SeriesFileError when none fits or two readings are as likely."""
    every = [str(name) for name in frame.columns]
    named = {n for n in every if rank(n, (*TIME_WORDS, *TARGET_WORDS, *ITEM_WORDS)) is not None}
    names = [name for index, name in enumerate(every) if index < GUESS_COLUMNS or name in named]
    profiles = {name: _profile(frame, name) for name in names}
    notes: list[str] = []
    chosen_time = time or _guess_time(names, profiles, every)
    targets = target or _wide(every, _guess_target(names, profiles, chosen_time, notes), notes)
    taken = {chosen_time, *targets}
    if item is None:
        rest = [n for n in names if n not in taken and not _is_number_column(n, profiles[n])]
        key = guess_item(frame, rest, chosen_time, notes) if len(targets) == 1 else None
    else:
        key = tuple(item) if len(item) > 1 else (item[0] if item else None)
    chosen = targets[0] if len(targets) == 1 else tuple(targets)
    return SeriesColumns(key, chosen_time, chosen, tuple(notes))


def _wide(every: list[str], targets: list[str], notes: list[str]) -> list[str]:
    """Columns of one kind (MT_001, MT_002...) are all melted, those past the sample too."""
    if len(targets) == 1:
        return targets
    kind = stem(targets[0])
    if all(stem(name) == kind for name in targets):
        targets = [name for name in every if stem(name) == kind]
    notes.append(
        f"one series a column: {len(targets):,} columns ({targets[0]!r} … {targets[-1]!r}) "
        "melted into rows, each column's name its series"
    )
    return targets


def _is_number_column(name: str, profile: Profile) -> bool:
    """Numbers that name no series: a value, a covariate (a numbered store still names one)."""
    return profile.share >= _NUMERIC_SHARE and rank(name, ITEM_WORDS) is None


def _guess_time(names: list[str], profiles: dict[str, Profile], every: list[str]) -> str:
    by_name = sorted(
        (n for n in names if rank(n, TIME_WORDS) is not None),
        key=lambda n: rank(n, TIME_WORDS) or 0,
    )
    texts = [n for n in names if profiles[n].share < _NUMERIC_SHARE]
    numbers = [n for n in names if profiles[n].share >= _NUMERIC_SHARE]
    # A column of numbers is the time only beside another: the value.
    numbers = numbers if len(numbers) > 1 else []
    # Dates written as text first: whole numbers read as years or epochs too easily.
    for name in (*by_name, *texts):
        if profiles[name].timelike:
            return name
    _refuse_step_columns(every, profiles)
    for name in numbers:
        if profiles[name].timelike:
            return name
    raise SeriesFileError(
        f"No time column found among {', '.join(names)}: none is named like one "
        f"({', '.join(TIME_WORDS[:6])}, ...) and none holds dates in every row. Add a column "
        "of dates (2024-01-31 or 2024-01-31T10:00:00Z), or name it 'timestamp'."
    )


def _refuse_step_columns(every: list[str], profiles: dict[str, Profile]) -> None:
    """A row per series and a column per step (1, 2, ... or d_1, d_2, ...) has no times; a
    column per year (1960, 1961, ... as statistics offices publish) is said as such."""
    years = [n for n in every if _YEAR_HEADER.fullmatch(n)]
    if len(years) >= _STEP_COLUMNS:
        raise SeriesFileError(
            f"This file holds one row per series and one column per year ({years[0].strip()!r} "
            f"… {years[-1].strip()!r}, {len(years):,} columns), as statistics offices publish "
            "tables: the forecasting service needs one row per series and time. Save it in "
            "long format (item, year, value), or transpose it so the years are rows and each "
            "series a column."
        )
    steps = [n for n in every if stem(n) != n.strip() and n in profiles and profiles[n].share > 0.5]
    if len(steps) >= _STEP_COLUMNS:
        raise SeriesFileError(
            f"This file holds one row per series and one column per step ({steps[0]!r} … "
            f"{steps[-1]!r}, {len(steps):,} columns) and no dates: the forecasting service "
            "needs the time of each value. Save it in long format (item, date, value: one row "
            "per series and time), with the dates of the steps."
        )


def _guess_target(
    names: list[str], profiles: dict[str, Profile], time: str, notes: list[str]
) -> list[str]:
    """The value: named like one over a plain column of numbers over covariates; several
    columns of one kind (MT_001, MT_002...) are one series each."""
    candidates = [
        n
        for n in names
        if n != time
        and (
            (target_rank(n)[0] == 0 and profiles[n].share > 0)
            or (
                profiles[n].share >= _NUMERIC_SHARE
                and rank(n, ITEM_WORDS) is None
                and not is_identifier_name(n)
                and not (profiles[n].counter and n == names[0])
            )
        )
    ]
    varying = [n for n in candidates if not profiles[n].constant]
    if varying and len(varying) < len(candidates):
        fixed = ", ".join(repr(n) for n in candidates if profiles[n].constant)
        notes.append(f"{fixed}: one value throughout, not the value to forecast")
        candidates = varying
    if not candidates:
        raise SeriesFileError(
            f"No column of numbers found beside the time column {time!r} among "
            f"{', '.join(names)}. Add the observed values as a column of numbers, named "
            "'target' for instance."
        )
    ranked = sorted(candidates, key=target_rank)
    best = [n for n in ranked if target_rank(n) == target_rank(ranked[0])]
    tier = target_rank(ranked[0])[0]
    if len(best) == 1:
        if len(ranked) > 1:
            others = ", ".join(repr(n) for n in ranked[1:4])
            why = "named like a value" if tier == 0 else "the likeliest"
            notes.append(f"value column {best[0]!r} ({why}) over {others}")
        return best
    if tier == 0 or len({stem(n) for n in best}) == 1:
        return best
    raise SeriesFileError(
        f"Several columns hold numbers and none is named like the value: "
        f"{', '.join(repr(n) for n in best[:6])}. Choose the value column (--target NAME), "
        "or name several (--target A --target B) to read one series per column."
    )
