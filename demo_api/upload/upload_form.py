"""The options of a POST /forecast upload read from its form fields, and checked."""

from __future__ import annotations

import math
import re

from demo_api.errors import field_error
from demo_api.models.forecasting import QUANTILES
from demo_api.models.presets import PRESETS

MAX_QUANTILE_LEVELS = 19
MAX_ANALYSES = 20
# The analyses the real service documents, plus the ones the demo computes for seeded jobs.
DEFAULT_ANALYSES: tuple[str, ...] = (
    "forecast",
    "seasonal_decomposition",
    "autocorrelation",
    "residual_diagnostics",
    "feature_correlation",
    "feature_importance",
    "shap",
)
_ANALYSIS_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def check_preset(presets: str) -> None:
    """422 `invalid_preset` naming the field unless `presets` names one of PRESETS."""
    if presets not in PRESETS:
        raise field_error(
            "invalid_preset",
            "presets",
            f"unknown preset {presets!r}; use one of {', '.join(sorted(PRESETS))}",
        )


def _level(text: str) -> float:
    try:
        level = float(text)
    except ValueError:
        raise field_error(
            "validation_error", "quantile_levels", f"{text!r} is not a number"
        ) from None
    if not (math.isfinite(level) and 0 < level < 1):
        raise field_error(
            "validation_error", "quantile_levels", f"{text} is not between 0 and 1 (exclusive)"
        )
    return level


def parse_quantiles(raw: str | None) -> tuple[float, ...]:
    """`"0.1,0.5,0.9"` as sorted distinct levels in (0, 1); absent or blank: the default nine."""
    if raw is None or not raw.strip():
        return QUANTILES
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) > MAX_QUANTILE_LEVELS:
        raise field_error(
            "validation_error",
            "quantile_levels",
            f"{len(parts)} levels given; at most {MAX_QUANTILE_LEVELS} are allowed",
        )
    if any(not part for part in parts):
        raise field_error("validation_error", "quantile_levels", "a level is empty")
    return tuple(sorted({_level(part) for part in parts}))


def parse_analyses(raw: str | None) -> tuple[str, ...]:
    """`"forecast,shap"` as distinct analysis names in order; absent or blank: none."""
    if raw is None or not raw.strip():
        return ()
    names = tuple(dict.fromkeys(part.strip().lower() for part in raw.split(",") if part.strip()))
    if len(names) > MAX_ANALYSES:
        raise field_error(
            "validation_error",
            "explainability_analyses",
            f"{len(names)} analyses given; at most {MAX_ANALYSES} are allowed",
        )
    for name in names:
        if not _ANALYSIS_NAME.fullmatch(name):
            raise field_error(
                "validation_error",
                "explainability_analyses",
                f"{name[:64]!r} is not an analysis name (letters, digits and _ only)",
            )
    return names
