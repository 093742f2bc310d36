"""The season length of observed series, from the spacing of their times."""

from __future__ import annotations

import pandas as pd

# (shortest spacing, longest spacing, season length): the lengths utilsforecast's MASE expects.
_SEASONS: tuple[tuple[pd.Timedelta, pd.Timedelta, int], ...] = (
    (pd.Timedelta(hours=1), pd.Timedelta(hours=1), 24),
    (pd.Timedelta(days=1), pd.Timedelta(days=1), 7),
    (pd.Timedelta(days=7), pd.Timedelta(days=7), 52),
    (pd.Timedelta(days=28), pd.Timedelta(days=31), 12),
    (pd.Timedelta(days=89), pd.Timedelta(days=92), 4),
)


def spacing(frame: pd.DataFrame, item: str, time: str) -> pd.Timedelta | float | None:
    """The median gap between consecutive times of a series; None with fewer than two times."""
    ordered = frame.sort_values([item, time], kind="stable")
    gaps = ordered.groupby(item, sort=False, observed=True)[time].diff().dropna()
    if gaps.empty:
        return None
    zero = pd.Timedelta(0) if pd.api.types.is_timedelta64_dtype(gaps) else 0
    positive = gaps[gaps > zero]
    if positive.empty:
        return None
    middle = positive.median()
    return middle if isinstance(middle, pd.Timedelta) else float(middle)


def season_length(frame: pd.DataFrame, item: str, time: str) -> int:
    """Hourly 24, daily 7, weekly 52, monthly 12, quarterly 4; anything else (steps too) 1."""
    gap = spacing(frame, item, time)
    if not isinstance(gap, pd.Timedelta):
        return 1
    for shortest, longest, length in _SEASONS:
        if shortest <= gap <= longest:
            return length
    return 1
