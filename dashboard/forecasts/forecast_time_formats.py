"""Date and time formats found in forecast files, each turned into ISO 8601 text for one parser."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.forecasts.forecast_data import ForecastCsvError

# Spaces are taken possessively (`\s*+`): where the clock's spaces meet the zone's, a backtracking
# engine would try every split of a long run of them, quadratic in its length (issue 20).
_CLOCK = r"(?:[ T]+(?P<clock>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*+(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
_ZONE = r"\s*+(?P<zone>Z|UTC|GMT|UT|[+-]\d{2}(?::?\d{2})?)?"
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DAY_FIRST, _MONTH_FIRST = "day first", "month first"
# (ISO text, zone as written or NA, date order decided or None)
Dated = tuple[pd.Series, pd.Series, str | None]


@dataclass(frozen=True)
class Family:
    """One way of writing times: a pattern every value must match, and its ISO rewrite."""

    name: str
    pattern: str
    to_parts: Callable[[pd.DataFrame, bool | None, str], tuple[pd.DataFrame, str | None]]

    @property
    def compiled(self) -> re.Pattern[str]:
        """The pattern for Python's re (cached by re), ASCII classes as arrow's RE2 reads them."""
        return re.compile(self.pattern, re.ASCII)

    def matches(self, text: pd.Series) -> pd.Series:
        """Which values are written this way."""
        return text.str.fullmatch(self.pattern).fillna(False).astype(bool)

    def to_iso(self, text: pd.Series, dayfirst: bool | None, column: str) -> Dated:
        """The values as ISO 8601 text; raise ForecastCsvError if the date order is unclear."""
        groups = text.str.extract(f"^(?:{self.pattern})$").astype("string")
        parts, order = self.to_parts(groups, dayfirst, column)
        return _iso(parts), _zone_written(groups), order


def _zone_written(groups: pd.DataFrame) -> pd.Series:
    if "zone" not in groups:
        return pd.Series(pd.NA, index=groups.index, dtype="string")
    return groups["zone"]


def _year(year: pd.Series) -> pd.Series:
    """Two-digit years as strptime reads them: 69-99 are 1900s, 00-68 are 2000s."""
    short = year.str.len() == 2
    century = year.astype("Int64").where(~short, year.astype("Int64") + 2000)
    century = century.where(~short | (year.astype("Int64") < 69), year.astype("Int64") + 1900)
    return century.astype("string")


def _clock(groups: pd.DataFrame) -> pd.Series:
    """The clock as ISO text ("T10:00:00", "" without one), 12-hour times made 24-hour."""
    clock = groups["clock"].fillna("").str.replace(",", ".")
    if "ampm" in groups and groups["ampm"].notna().any():
        hours = clock.str.extract(r"^(\d+)")[0].astype("Int64") % 12
        afternoon = groups["ampm"].fillna("").str.lower().str.startswith("p")
        hour = hours.where(~afternoon, hours + 12).astype("string").str.zfill(2)
        clock = (hour + clock.str.replace(r"^\d+", "", regex=True)).where(clock != "", "")
    clock = clock.str.replace(r"^(\d):", r"0\1:", regex=True)
    return ("T" + clock).where(clock != "", "")


def offset_text(zone: pd.Series) -> pd.Series:
    """ "+05:30" for every way of writing it; UTC for the names of UTC."""
    zone = zone.fillna("").str.upper().replace({"Z": "+00:00", "UTC": "+00:00", "GMT": "+00:00"})
    zone = zone.replace({"UT": "+00:00"}).str.replace(r"^([+-]\d{2})(\d{2})$", r"\1:\2", regex=True)
    return zone.str.replace(r"^([+-]\d{2})$", r"\1:00", regex=True)


def _iso(parts: pd.DataFrame) -> pd.Series:
    date = parts["year"].str.zfill(4) + "-" + parts["month"].str.zfill(2)
    date = date + "-" + parts["day"].str.zfill(2)
    # ISO 8601 puts an offset after a time only: midnight for a zoned date.
    clock = parts["clock"].mask((parts["clock"] == "") & (parts["offset"] != ""), "T00:00")
    return (date + clock + parts["offset"]).fillna("invalid")


def _parts(groups: pd.DataFrame, year: pd.Series, month: pd.Series, day: pd.Series) -> pd.DataFrame:
    clock = _clock(groups) if "clock" in groups else pd.Series("", index=groups.index)
    offset = offset_text(groups["zone"]) if "zone" in groups else pd.Series("", index=groups.index)
    return pd.DataFrame(
        {"year": year, "month": month, "day": day, "clock": clock, "offset": offset}
    )


def _month_number(name: pd.Series) -> pd.Series:
    return name.str[:3].str.lower().map(_MONTHS).astype("Int64").astype("string")


def _iso_family(groups: pd.DataFrame, _: bool | None, __: str) -> tuple[pd.DataFrame, None]:
    date = groups["date"].str.split("-", expand=True).reindex(columns=[0, 1, 2]).astype("string")
    return _parts(groups, date[0], date[1], date[2].fillna("01")), None


def _year_first(groups: pd.DataFrame, _: bool | None, __: str) -> tuple[pd.DataFrame, None]:
    return _parts(groups, groups["year"], groups["month"], groups["day"]), None


def _named_month(groups: pd.DataFrame, _: bool | None, __: str) -> tuple[pd.DataFrame, None]:
    day = groups["day"] if "day" in groups else pd.Series("01", index=groups.index)
    month = _month_number(groups["mon"])
    return _parts(groups, _year(groups["year"]), month, day.fillna("01")), None


def _quarter(groups: pd.DataFrame, _: bool | None, __: str) -> tuple[pd.DataFrame, None]:
    month = ((groups["quarter"].astype("Int64") - 1) * 3 + 1).astype("string")
    return _parts(groups, groups["year"], month, pd.Series("01", index=groups.index)), None


def _numeric(groups: pd.DataFrame, dayfirst: bool | None, column: str) -> tuple[pd.DataFrame, str]:
    first, second = groups["a"].astype("Int64"), groups["b"].astype("Int64")
    if dayfirst is None:
        dayfirst = _decide_order(groups, first, second, column)
    day, month = (groups["a"], groups["b"]) if dayfirst else (groups["b"], groups["a"])
    order = _DAY_FIRST if dayfirst else _MONTH_FIRST
    return _parts(groups, _year(groups["year"]), month, day), order


def _decide_order(groups: pd.DataFrame, first: pd.Series, second: pd.Series, column: str) -> bool:
    """Day first if a first number passes 12 anywhere in the column, month first if a second."""
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    if day_first != month_first:
        return day_first
    text = groups["a"] + groups["sep"] + groups["b"] + groups["sep"] + groups["year"]
    if day_first:
        at_first = text[(first > 12).to_numpy(dtype=bool)].iloc[0]
        at_second = text[(second > 12).to_numpy(dtype=bool)].iloc[0]
        raise ForecastCsvError(
            f"The dates in {column!r} have a number above 12 first in one place ({at_first!r}) "
            f"and second in another ({at_second!r}), so no one date order reads them all. "
            "Correct the dates that were written in the other order."
        )
    differ = (first != second).to_numpy(dtype=bool)
    if not differ.any():
        return True  # 01/01, 02/02: either order reads the same dates
    raise ForecastCsvError(
        f"The dates in {column!r} can be read day first or month first: no number in the whole "
        f"column is above 12, so {text[differ].iloc[0]!r} could be either. Choose the date order: "
        "day first (UK, Europe: --dayfirst, dayfirst=True) or month first (US: --monthfirst, "
        "dayfirst=False)."
    )


FAMILIES = (
    Family("ISO 8601", rf"(?P<date>\d{{4}}-\d{{2}}(?:-\d{{2}})?){_CLOCK}{_ZONE}", _iso_family),
    Family(
        "RFC 1123",
        r"(?:[A-Za-z]{3},\s*)?(?P<day>\d{1,2})\s+(?P<mon>[A-Za-z]{3})\s+(?P<year>\d{4})"
        r"\s+(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\s*(?P<zone>GMT|UTC|UT|Z|[+-]\d{4})?",
        _named_month,
    ),
    Family(
        "day/month/year",
        rf"(?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})(?P=sep)(?P<year>\d{{4}}|\d{{2}}){_CLOCK}{_ZONE}",
        _numeric,
    ),
    Family(
        "year/month/day",
        rf"(?P<year>\d{{4}})[/.](?P<month>\d{{1,2}})[/.](?P<day>\d{{1,2}}){_CLOCK}{_ZONE}",
        _year_first,
    ),
    Family(
        "day month-name year",
        r"(?P<day>\d{1,2})[ \-](?P<mon>[A-Za-z]{3,9})\.?[ \-,]+(?P<year>\d{4}|\d{2})" + _CLOCK,
        _named_month,
    ),
    Family(
        "month-name day, year",
        rf"(?P<mon>[A-Za-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){_CLOCK}",
        _named_month,
    ),
    Family("month-name year", r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})", _named_month),
    Family("year quarter", r"(?P<year>\d{4})\s*+(?:-\s*+)?Q(?P<quarter>[1-4])", _quarter),
)
