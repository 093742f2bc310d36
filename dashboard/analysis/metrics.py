"""Every accuracy metric's one definition, scale and label: the viewer, /compare and downloads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One metric: the ItemScore field holding it, its heading, cell format and definition."""

    attribute: str
    label: str
    format: str  # printf-style, as st.column_config.NumberColumn takes it
    definition: str


MAE = Metric("mae", "MAE", "%.4g", "mean absolute error, in the series' own unit")
RMSE = Metric("rmse", "RMSE", "%.4g", "root mean squared error, in the series' own unit")
# Percent from 0 to 100, so the table, its download and every page hold the same number.
SMAPE = Metric(
    "smape",
    "sMAPE (%)",
    "%.2f",
    "100 x the mean of |actual - forecast| / (|actual| + |forecast|), from 0 (exact) to 100 "
    "(the M4 competition's sMAPE, from 0 to 200, is twice this)",
)
MASE = Metric(
    "mase",
    "MASE",
    "%.4g",
    "MAE divided by the in-sample MAE of the seasonal naive forecast over the history before "
    "the forecast (below 1: better than repeating the last season)",
)
WQL = Metric(
    "wql",
    "wQL",
    "%.4g",
    "weighted quantile loss: twice the pinball losses summed over the steps, divided by the "
    "summed |actuals|, averaged over the quantile levels (0 is perfect)",
)
METRICS = (MAE, RMSE, SMAPE, MASE, WQL)
# Heading of the column that says why a metric of the row could not be computed.
NOT_COMPUTED = "Not computed"


def mase_missing(history_points: int, season: int) -> str:
    """Why an item has no MASE, from the history known before its forecast."""
    if history_points == 0:
        return "MASE needs the history before the forecast: attach it (none known for this item)"
    if history_points <= season:
        return (
            f"MASE needs at least {season + 1} history points before the forecast "
            f"(season length {season}); {history_points} known"
        )
    return "MASE has no scale: the history repeats itself exactly from season to season"


def wql_missing(has_quantiles: bool) -> str:
    """Why an item has no wQL."""
    if not has_quantiles:
        return "wQL needs quantile columns in the forecast"
    return "wQL has no weight: every actual is 0"


# Why a band's coverage is not scored: no promise to hold the share of actuals inside against.
COVERAGE_UNSTATED = "band coverage: the file does not state the band's coverage"
# The key of that reason in an ItemScore's `missing`.
COVERAGE_KEY = "coverage"


def notes() -> str:
    """Each metric's definition, for a caption under a table of scores."""
    return " ".join(f"{metric.label}: {metric.definition}." for metric in METRICS)
