"""Which statsmodels model each preset of POST /forecast stands for in the demo."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import statsmodels


@dataclass(frozen=True)
class ModelChoice:
    """A model family and its shape; `seasonal` and trend variants fall back on short series."""

    label: str
    family: str = "ets"  # "ets" or "arima"
    trend: bool = False
    damped: bool = False
    seasonal: bool = False


# The real service runs Chronos models; the demo stands in a different statsmodels model for
# each preset, so the same file under two presets really gives two different forecasts.
PRESET_MODELS: Mapping[str, ModelChoice] = {
    "chronos_tiny": ModelChoice("ets-simple"),
    "chronos_mini": ModelChoice("ets-seasonal", seasonal=True),
    "chronos_small": ModelChoice("ets-damped-trend", trend=True, damped=True),
    "chronos_base": ModelChoice("ets-trend-season", trend=True, seasonal=True),
    "chronos_large": ModelChoice("ets-damped-trend-season", trend=True, damped=True, seasonal=True),
    "chronos_bolt_small": ModelChoice("ets-linear-trend", trend=True),
    "chronos_bolt_base": ModelChoice("arima-1-1-1", family="arima"),
}
PRESETS = frozenset(PRESET_MODELS)

# One season in steps of each frequency the demo infers (weekly data: a year).
_SEASONS: Mapping[str, int] = {"min": 60, "h": 24, "D": 7, "W": 52, "M": 12, "Q": 4}


def season_of(freq: str) -> int | None:
    """The seasonal period for a pandas frequency string, or None (yearly, or unknown)."""
    base = freq.split("-", 1)[0].lstrip("0123456789")
    for prefix, period in _SEASONS.items():
        if base == prefix or (len(prefix) == 1 and base.startswith(prefix)):
            return period
    return None


def model_version(preset: str) -> str:
    """`model_version` of a job run under `preset`: the library, the preset and its model."""
    return f"statsmodels-{statsmodels.__version__}-{preset}-{PRESET_MODELS[preset].label}"
