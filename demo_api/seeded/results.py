"""Computed results of the seeded jobs (data, forecast, explainability), built once per app.

The statsmodels fits, the slow part, are read from disk when this machine made them before
(demo_api.models.fit_cache).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from demo_api.models import explainability
from demo_api.models.artifacts import DISABLED, Explainability
from demo_api.models.data_sets import Dataset, load_dataset, synthetic
from demo_api.models.fit_cache import cached_forecast
from demo_api.models.forecasting import Forecast, forecast_many
from demo_api.seeded import bulk

HORIZON = 24
T = TypeVar("T")


@dataclass(frozen=True)
class JobResult:
    """Everything a completed job serves."""

    dataset: Dataset
    forecast: Forecast
    explainability: Explainability

    @property
    def horizon(self) -> int:
        return len(self.forecast.frame) // max(len(self.dataset.series), 1)


def _plain(name: str) -> JobResult:
    dataset = load_dataset(name)
    return JobResult(dataset, cached_forecast(dataset, HORIZON), DISABLED)


def _full() -> JobResult:
    dataset = load_dataset("co2")
    fc = cached_forecast(dataset, HORIZON)
    return JobResult(dataset, fc, explainability.full(dataset, fc))


def _stocks() -> JobResult:
    dataset = load_dataset("stocks")
    fc = cached_forecast(dataset, HORIZON)
    returns = dataset.long_frame().pivot(index="timestamp", columns="item_id", values="target")
    explained = explainability.correlations(dataset, fc, returns.pct_change().dropna(), "returns")
    return JobResult(dataset, fc, explained)


def _covariates() -> JobResult:
    dataset = load_dataset("macro")
    fc = cached_forecast(dataset, HORIZON)
    assert dataset.covariates is not None
    growth = dataset.long_frame().pivot(index="timestamp", columns="item_id", values="target")
    frame = growth.pct_change().join(dataset.covariates).dropna()
    return JobResult(dataset, fc, explainability.correlations(dataset, fc, frame, "covariates"))


def _many() -> JobResult:
    dataset = load_dataset("gapminder")
    fc = forecast_many(dataset, 4)
    return JobResult(dataset, fc, bulk.many(dataset, fc))


def _large(items: int) -> JobResult:
    dataset = synthetic(items)
    fc = forecast_many(dataset, HORIZON)
    return JobResult(dataset, fc, bulk.large(dataset, fc))


def build_result(bundle: str, *, large_items: int) -> JobResult:
    """The result named by a scenario's `bundle`."""
    builders: dict[str, Callable[[], JobResult]] = {
        "co2_full": _full,
        "sunspots": lambda: _plain("sunspots"),
        "stocks": _stocks,
        "macro": _covariates,
        "gapminder": _many,
        "synthetic": lambda: _large(large_items),
    }
    return builders[bundle]()


class Memo:
    """Per-app cache of expensive, immutable values; each key is computed once."""

    def __init__(self) -> None:
        self._values: dict[object, object] = {}
        self._locks: dict[object, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: object, factory: Callable[[], T]) -> T:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:
                self._values[key] = factory()
            return self._values[key]  # type: ignore[return-value]
