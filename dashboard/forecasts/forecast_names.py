"""What forecasting tools call their columns: series, time, point, quantile and band names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# Compared after lower-casing and trimming; earlier names win.
STRONG_SERIES_NAMES = (
    "item_id", "itemid", "item", "unique_id", "series_id", "series", "id", "sku", "key",
    "time_series_id",
)  # fmt: skip
# Series only when their values are text: "target" is the value column in some tools' input.
SOFT_SERIES_NAMES = ("target_name", "target", "variable", "level", "model", "cutoff")
TIME_NAMES = (
    "timestamp", "ds", "date", "datetime", "date_time", "time", "period", "ts",
    "forecast_timestamp", "time_series_timestamp", "timeline", "month", "week", "day",
    "year", "step", "horizon", "fh", "index",
)  # fmt: skip
POINT_NAMES = (
    "mean", "point", "point forecast", "forecast", "forecast_value", "prediction",
    "predictions", "pred", "yhat", "y_pred", "predicted",
)  # fmt: skip
MEDIAN_NAMES = ("median",)
# Observed values that some tools write next to the forecast; a point only when alone.
ACTUAL_NAMES = ("y", "actual", "actuals", "observed", "y_true")
MODEL_COLUMN = "model"

Side = Literal["lower", "upper"]

# "0.1", ".1", "q10", "q0.1", "p10", "quantile_0.1", "quantile-10", "10%", "0,1".
_QUANTILE = re.compile(r"^(q|p|quantile|percentile)?[_\-\s]?(\d+(?:[.,]\d*)?|[.,]\d+)\s*(%?)$")
# A model's (or component's) quantile: Nixtla "AutoETS-q-10", TimesFM "timesfm-q-0.1",
# darts "sales_q0.100", sktime's joined header "sales 0.1".
_GROUP_QUANTILES = (
    re.compile(r"^(?P<group>.+)-q-(?P<level>\d+(?:\.\d+)?)$"),
    re.compile(r"^(?P<group>.+)_q(?P<level>\d*\.\d+)$"),
    re.compile(r"^(?P<group>.+) (?P<level>0?\.\d+)$"),
)
# Bands whose coverage is in the name: Nixtla "AutoETS-lo-80", sktime "sales 0.8 lower",
# R's forecast "Lo 80", and plain "lower_80".
_GROUP_BANDS = (
    re.compile(r"^(?P<group>.+)-(?P<side>lo|hi)-(?P<coverage>\d+(?:\.\d+)?)$"),
    re.compile(r"^(?P<group>.+) (?P<coverage>0?\.\d+|1) (?P<side>lower|upper)$"),
    re.compile(r"^(?P<side>lo|hi|lower|upper)[\s._\-]?(?P<coverage>\d+(?:\.\d+)?)%?$"),
)
_GROUP_MEDIAN = re.compile(r"^(?P<group>.+)-median$")
# Excel's forecast sheet: "Forecast(Values)", "Lower Confidence Bound(Values)".
_EXCEL_POINT = re.compile(r"^forecast\s*\((?P<series>.+)\)$")
_EXCEL_BAND = re.compile(r"^(?P<side>lower|upper) confidence bound\s*\((?P<series>.+)\)$")
# Bands named without their coverage (Prophet, BigQuery ML, Snowflake, skforecast): the tools
# let the coverage be changed, so a file that does not state it leaves it unstated.
_UNLABELLED_BANDS: tuple[tuple[str, str], ...] = (
    ("yhat_lower", "yhat_upper"),
    ("prediction_interval_lower_bound", "prediction_interval_upper_bound"),
    ("lower_bound", "upper_bound"),
)
COVERAGE_COLUMN = "confidence_level"  # BigQuery ML writes the coverage in every row


@dataclass(frozen=True)
class Part:
    """What one column name says: a quantile or band edge, of which model or component."""

    group: str
    level: float | None = None
    side: Side | None = None
    coverage: float | None = None
    median: bool = False


def lowered(name: str) -> str:
    """The form names are compared in."""
    return name.strip().lower()


def first_named(names: Sequence[str], candidates: Sequence[str]) -> str | None:
    """The column whose name comes first in `candidates`, or None."""
    by_name = {lowered(name): name for name in reversed(names)}
    return next((by_name[name] for name in candidates if name in by_name), None)


def quantile_level(name: str) -> float | None:
    """The quantile level a column name stands for (0 < level < 1), or None."""
    match = _QUANTILE.match(lowered(name))
    if match is None:
        return None
    prefix, number, percent = match.groups()
    return _level(number.replace(",", "."), percent=bool(percent) or bool(prefix))


def _level(number: str, *, percent: bool) -> float | None:
    value = float(number)
    if percent and value >= 1:
        value /= 100  # "10%", "q10", "p2.5" are percentages
    elif "." not in number:
        return None  # a bare integer such as "10" is too ambiguous to be a quantile
    return value if 0 < value < 1 else None


def _side(word: str) -> Side:
    return "lower" if word in ("lo", "lower") else "upper"


def _coverage(number: str) -> float:
    value = float(number)
    return value * 100 if value <= 1 else value


def name_part(name: str) -> Part | None:
    """The group (model, component) and quantile or band edge a column name carries."""
    text = name.strip()
    for pattern in _GROUP_BANDS:
        match = pattern.match(text.lower() if pattern is _GROUP_BANDS[-1] else text)
        if match:
            group = match.groupdict().get("group") or ""
            coverage = _coverage(match["coverage"])
            return Part(group, side=_side(match["side"].lower()), coverage=coverage)
    for pattern in _GROUP_QUANTILES:
        match = pattern.match(text)
        level = match and _level(match["level"], percent=pattern is _GROUP_QUANTILES[0])
        if match and level:
            return Part(match["group"], level=level)
    median = _GROUP_MEDIAN.match(text)
    return Part(median["group"], level=0.5, median=True) if median else None


def excel_part(name: str) -> tuple[str, Side | None] | None:
    """Excel's forecast sheet names: ("point", None) or ("band", side)."""
    if _EXCEL_POINT.match(lowered(name)):
        return "point", None
    band = _EXCEL_BAND.match(lowered(name))
    return ("band", _side(band["side"])) if band else None


def unlabelled_bands(names: Sequence[str]) -> list[tuple[str, str]]:
    """Band pairs named without their coverage (lower, upper)."""
    found = []
    for lower, upper in _UNLABELLED_BANDS:
        low, high = first_named(names, (lower,)), first_named(names, (upper,))
        if low is not None and high is not None:
            found.append((low, high))
    return found[:1]  # BigQuery's older "confidence_interval_*" copies stay ignored
