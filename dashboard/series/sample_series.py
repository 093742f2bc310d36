"""Real data sets to try a forecast with, from statsmodels' bundled data, as long-format CSV."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pandas as pd
import statsmodels.api as sm

ITEM, TIME, VALUE = "item_id", "timestamp", "target"
# macrodata's series worth forecasting side by side, with what they are.
_MACRO_SERIES = {
    "realgdp": "real GDP",
    "realcons": "real consumption",
    "realinv": "real investment",
    "cpi": "consumer price index",
    "unemp": "unemployment rate",
    "tbilrate": "3-month Treasury bill rate",
}
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True)
class Sample:
    """A data set offered on the new-forecast page: what it is, and its CSV built on demand."""

    title: str
    description: str
    csv: Callable[[], bytes]
    filename: str


def _long_csv(frame: pd.DataFrame) -> bytes:
    """item_id, timestamp (ISO date), target, sorted by item then time."""
    frame = frame.sort_values([ITEM, TIME], kind="stable")
    frame = frame.assign(**{TIME: frame[TIME].dt.strftime("%Y-%m-%d")})
    return frame[[ITEM, TIME, VALUE]].to_csv(index=False, lineterminator="\n").encode("utf-8")


@cache
def co2_csv() -> bytes:
    """Weekly CO2 at Mauna Loa, 1958-2001; the 59 missing weeks filled by interpolation."""
    data = sm.datasets.co2.load_pandas().data
    values = data["co2"].interpolate()
    frame = pd.DataFrame({ITEM: "co2_ppm", TIME: pd.DatetimeIndex(data.index), VALUE: values})
    return _long_csv(frame.reset_index(drop=True))


@cache
def macro_csv() -> bytes:
    """US macroeconomic series, quarterly 1959-2009, one series a column turned into rows."""
    data = sm.datasets.macrodata.load_pandas().data
    starts = pd.to_datetime(
        {"year": data["year"].astype(int), "month": data["quarter"].astype(int) * 3 - 2, "day": 1}
    )
    wide = data[list(_MACRO_SERIES)].assign(**{TIME: starts})
    frame = wide.melt(id_vars=[TIME], var_name=ITEM, value_name=VALUE)
    return _long_csv(frame)


@cache
def sunspots_csv() -> bytes:
    """Yearly sunspot activity, 1700-2008."""
    data = sm.datasets.sunspots.load_pandas().data
    years = pd.to_datetime({"year": data["YEAR"].astype(int), "month": 1, "day": 1})
    frame = pd.DataFrame({ITEM: "sunspots", TIME: years, VALUE: data["SUNACTIVITY"]})
    return _long_csv(frame)


@cache
def elnino_csv() -> bytes:
    """Monthly sea surface temperature of the El Niño region, 1950-2010."""
    data = sm.datasets.elnino.load_pandas().data
    frame = data.melt(id_vars=["YEAR"], value_vars=list(_MONTHS), var_name="month")
    frame[TIME] = pd.to_datetime(
        {
            "year": frame["YEAR"].astype(int),
            "month": frame["month"].map({name: index + 1 for index, name in enumerate(_MONTHS)}),
            "day": 1,
        }
    )
    frame[ITEM] = "sea_surface_temperature_c"
    return _long_csv(frame.rename(columns={"value": VALUE}))


SAMPLES: dict[str, Sample] = {
    "co2": Sample(
        "Mauna Loa CO2 (weekly)",
        "Atmospheric CO2 in parts per million measured weekly at Mauna Loa, Hawaii, from 1958 "
        "to 2001: a steady rise with a yearly cycle. One series, about 2,300 weeks.",
        co2_csv,
        "mauna_loa_co2_weekly.csv",
    ),
    "macro": Sample(
        "US macro data (quarterly, several series)",
        "Six US macroeconomic series, quarterly from 1959 to 2009: "
        f"{', '.join(_MACRO_SERIES.values())}. Series on very different scales.",
        macro_csv,
        "us_macro_quarterly.csv",
    ),
    "sunspots": Sample(
        "Sunspots (yearly)",
        "Yearly sunspot activity from 1700 to 2008: a cycle of about 11 years whose height "
        "varies. One series, 309 years.",
        sunspots_csv,
        "sunspots_yearly.csv",
    ),
    "elnino": Sample(
        "El Niño (monthly)",
        "Monthly sea surface temperature (°C) of the El Niño region of the Pacific, 1950 to "
        "2010: a yearly cycle broken by El Niño and La Niña years. One series, 732 months.",
        elnino_csv,
        "el_nino_monthly.csv",
    ),
}


def split_tail(csv_bytes: bytes, steps: int) -> tuple[bytes, bytes]:
    """(the CSV without each series' last `steps` rows, those rows), both with the header.

    Rows are taken as they are ordered in the file (the samples are in time order); a file
    without an item_id column is one series.
    """
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, not {steps}.")
    frame = pd.read_csv(io.BytesIO(csv_bytes), dtype=str, keep_default_na=False)
    series = frame[ITEM] if ITEM in frame.columns else pd.Series(0, index=frame.index)
    from_end = series.groupby(series, sort=False).cumcount(ascending=False).to_numpy()
    tail = from_end < steps
    return _csv(frame[~tail]), _csv(frame[tail])


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
