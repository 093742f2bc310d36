"""Times written as periods (ISO weeks, quarters, months as statistics offices write them,
years as whole numbers or as 1700.0) rewritten as the ISO date each period starts on."""

from __future__ import annotations

import re

import pandas as pd

# 2024-W05, 2024W05, 2024-W05-1: the Monday (or the day given) of that ISO week.
_WEEK = r"(?P<year>\d{4})-?W(?P<week>\d{2})(?:-?(?P<day>[1-7]))?"
# Q1 2024, Q1-2024 (the year first is read by the time formats themselves).
_QUARTER_FIRST = r"Q(?P<quarter>[1-4])[ \-](?P<year>\d{4})"
# 2024M01, 2024-M01, 2024M1: Eurostat, IMF and SDMX months.
_MONTH = r"(?P<year>\d{4})-?M(?P<month>\d{1,2})"
_YEAR_FLOAT = r"(?P<year>\d{4})\.0+"
_YEAR = r"\d{4}"
_WEEK_WHOLE, _QUARTER_FIRST_WHOLE = f"^{_WEEK}$", f"^{_QUARTER_FIRST}$"
_MONTH_WHOLE, _YEAR_FLOAT_WHOLE = f"^{_MONTH}$", f"^{_YEAR_FLOAT}$"
_YEARS = (1000, 2999)
# The same, for one cell in Python (ASCII classes, as arrow's RE2 reads them).
_PERIODS = (
    re.compile(_WEEK, re.ASCII),
    re.compile(_QUARTER_FIRST, re.ASCII),
    re.compile(_MONTH, re.ASCII),
    re.compile(_YEAR_FLOAT, re.ASCII),
    re.compile(_YEAR, re.ASCII),
)


def period_times(text: pd.Series) -> tuple[pd.Series, str | None]:
    """Distinct time texts with periods rewritten as dates, and what was assumed (or None).

    Only a column written wholly in one of these ways is rewritten; anything else is left to
    the time formats (dashboard/forecasts/forecast_time_formats.py).
    """
    text = text.astype("string").str.strip()
    if text.empty or not _could_be_period(text.iloc[0]):
        return text, None
    if text.str.fullmatch(_WEEK).all():
        parts = text.str.extract(_WEEK_WHOLE)
        day = parts["day"].fillna("1")
        iso = parts["year"] + "-W" + parts["week"] + "-" + day
        dates = pd.to_datetime(iso, format="%G-W%V-%u", errors="coerce")
        if dates.notna().all():
            return _dates(dates), "ISO weeks read as the date each starts on (Monday)"
    if text.str.fullmatch(_QUARTER_FIRST).all():
        parts = text.str.extract(_QUARTER_FIRST_WHOLE)
        months = (parts["quarter"].astype(int) * 3 - 2).astype(str).str.zfill(2)
        return parts["year"] + "-" + months + "-01", "quarters read as their first day"
    if text.str.fullmatch(_MONTH).all():
        parts = text.str.extract(_MONTH_WHOLE)
        months = parts["month"].str.zfill(2)
        if months.astype(int).between(1, 12).all():
            return parts["year"] + "-" + months + "-01", "months (2024M01) read as their first day"
    if text.str.fullmatch(_YEAR_FLOAT).all():
        years = text.str.extract(_YEAR_FLOAT_WHOLE)["year"]
        return years + "-01-01", "years written as numbers (1700.0) read as years"
    if text.str.fullmatch(_YEAR).all() and text.astype(int).between(*_YEARS).all():
        return text + "-01-01", "whole numbers of four digits read as years, not steps"
    return text, None


def _could_be_period(first: object) -> bool:
    """Whether the first cell is written as one of the periods: if not, no column test is run."""
    if not isinstance(first, str):
        return True  # a missing first cell decides nothing
    return any(pattern.fullmatch(first) for pattern in _PERIODS)


def _dates(dates: pd.Series) -> pd.Series:
    text: pd.Series = dates.dt.strftime("%Y-%m-%d").astype("string")
    return text
