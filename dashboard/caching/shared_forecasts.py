"""Forecast files and their readings shared by a tenant's sessions: downloaded and parsed once."""

from __future__ import annotations

from collections.abc import Callable

from dashboard.forecasts.forecast_csv import ForecastData, ReadOptions
from dashboard.isolation.isolated_reading import read_forecast_file
from dashboard.safety.token_acceptance import TokenAcceptance
from eomer_client.errors import ContentError
from eomer_client.weighted_lru import WeightedLru

_MB = 1024 * 1024


def reading_weight(reading: ForecastData) -> int:
    """The bytes a reading's table holds, strings included."""
    return int(reading.frame.memory_usage(deep=True).sum())


class SharedForecasts:
    """Forecast files and readings per (tenant, job): downloaded and parsed once per process."""

    def __init__(
        self, *, files_bytes: int, readings_bytes: int, acceptance: TokenAcceptance
    ) -> None:
        self.acceptance = acceptance
        self.files: WeightedLru[tuple[str, str], bytes] = WeightedLru(files_bytes, len)
        self.readings: WeightedLru[tuple[str, str, ReadOptions], ForecastData] = WeightedLru(
            readings_bytes, reading_weight
        )

    def reading(
        self,
        tenant: str,
        job_id: str,
        options: ReadOptions,
        download: Callable[[], bytes],
        budget: int,
        revalidate: Callable[[], object],
    ) -> ForecastData:
        """The forecast read with `options`; ContentError when file and table exceed `budget`.

        Unless the tenant's token was accepted lately, `revalidate` (a cheap request with it)
        runs first: a refused token gets AuthError, not the kept forecast.
        """
        self.acceptance.revalidate(tenant, revalidate)
        return self.readings.get_or_make(
            (tenant, job_id, options), lambda: self._read(tenant, job_id, options, download, budget)
        )

    def _read(
        self,
        tenant: str,
        job_id: str,
        options: ReadOptions,
        download: Callable[[], bytes],
        budget: int,
    ) -> ForecastData:
        file = self.files.get_or_make(
            (tenant, job_id), lambda: self.acceptance.asked(tenant, download)
        )
        reading = read_forecast_file(file, options)  # in a worker process
        table = reading_weight(reading)
        if len(file) + table > budget:
            raise ContentError(
                f"The forecast takes {(len(file) + table) / _MB:.0f} MB once read (its file "
                f"{len(file) / _MB:.0f} MB, its table {table / _MB:.0f} MB): more than the "
                f"{budget / _MB:.0f} MB one forecast may take. Download it from the job page "
                "and open it in a tool made for large files."
            )
        return reading
