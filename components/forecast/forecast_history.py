"""What a fan chart draws before its forecast: the observed rows, how much history, the start."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone, tzinfo

import pandas as pd

from dashboard.analysis.comparison_runs import observed_on_axis
from dashboard.forecasts.forecast_csv import ForecastData
from dashboard.jobs.timing import format_absolute
from dashboard.series.observations import Observations

# Default history shown: four forecast lengths, at least 200 points, so a long history does not
# squeeze the fan into a sliver at the right edge.
HISTORY_HORIZONS = 4
MIN_HISTORY_POINTS = 200


@dataclass(frozen=True)
class ChartObservations:
    """Observed values of the charted items, and how to label them.

    `rows` maps an item to its observed rows (TIME, VALUE), times comparable with the
    forecast's time column (see `observed_rows`).
    """

    rows: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    value_title: str | None = None
    # The forecast's offset ("+05:30"), for the absolute time of the forecast start.
    time_offset: str | None = None
    whole_history: bool = False


def history_window(horizon: int) -> int:
    """How many history points a chart shows by default for a forecast of `horizon` steps."""
    return max(HISTORY_HORIZONS * horizon, MIN_HISTORY_POINTS)


def observed_rows(
    data: ForecastData, observations: Observations, items: Sequence[str]
) -> dict[str, pd.DataFrame]:
    """Each item's observed rows with times as the forecast writes them (its wall clock)."""
    rows = {}
    for item in items:
        found = observed_on_axis(data, observations, item)
        if not found.empty:
            rows[item] = found
    return rows


def offset_zone(offset: str | None) -> tzinfo | None:
    """A fixed zone from an offset as the reader writes it ("+05:30", "-03:00", "Z")."""
    if not offset:
        return None
    if offset in {"Z", "UTC"}:
        return UTC
    sign = -1 if offset.startswith("-") else 1
    hours, _, minutes = offset.lstrip("+-").partition(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))


def start_label(first: object, time_offset: str | None) -> str:
    """ "Forecast starts <absolute time with its zone>", or at which step."""
    if not isinstance(first, pd.Timestamp):
        return f"Forecast starts at step {first}"
    zone = offset_zone(time_offset)
    if zone is None:
        return f"Forecast starts {first:%Y-%m-%d %H:%M:%S} (the forecast gives no time zone)"
    return f"Forecast starts {format_absolute(first.to_pydatetime().replace(tzinfo=zone), zone)}"
