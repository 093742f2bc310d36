"""Forecast files and observations that the chart tests draw."""

from __future__ import annotations

import pandas as pd

from dashboard.forecasts.forecast_csv import ForecastData, parse_forecast_csv
from dashboard.series.observations import ITEM, TIME, VALUE, Observations

ROWS = [
    "A,2024-01-01T00:00:00+05:30,10,8,9,11,12",
    "A,2024-01-01T01:00:00+05:30,11,9,10,12,13",
    "B,2024-01-01T00:00:00+05:30,20,18,19,21,22",
    "B,2024-01-01T01:00:00+05:30,21,19,20,22,23",
]


def forecast(header: str = "item_id,timestamp,mean,0.1,0.25,0.75,0.9") -> ForecastData:
    """Two items, two steps each, with 50 % and 80 % bands."""
    return parse_forecast_csv(("\n".join([header, *ROWS]) + "\n").encode())


FORECAST = "\n".join(
    [
        "item_id,timestamp,mean,0.1,0.9",
        "A,2024-01-03T00:00:00+05:30,10,8,12",
        "A,2024-01-04T00:00:00+05:30,11,9,13",
        "A,2024-01-05T00:00:00+05:30,12,10,14",
    ]
)


def observations(times: list[str], values: list[float], item: str = "A") -> Observations:
    """Observed values of one item at the given times."""
    frame = pd.DataFrame({ITEM: [item] * len(times), TIME: pd.to_datetime(times), VALUE: values})
    return Observations(frame, "the uploaded file a.csv")
