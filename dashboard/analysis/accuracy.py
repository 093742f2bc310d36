"""How a forecast did against what was observed since: utilsforecast's losses, item by item.

Each metric's definition, scale and label is dashboard/analysis/metrics.py's. sMAPE is
utilsforecast's share (0 to 1) times 100. MASE divides the mean absolute error by the history's
seasonal naive in-sample error. wQL is GluonTS's weighted quantile loss. A metric that cannot be
computed is None, and `ItemScore.missing` says why. The rows are lined up in
`accuracy_frames.py` and each item scored in `accuracy_losses.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboard.analysis.accuracy_frames import (
    DS,
    ID,
    Aligned,
    actuals_for,
    align,
    forecast_times,
    outside,
    point_label,
)
from dashboard.analysis.accuracy_losses import ItemScore, Levels, item_scores
from dashboard.analysis.metrics import MASE
from dashboard.analysis.seasonality import season_length
from dashboard.forecasts.forecast_data import ForecastData
from dashboard.series.observations import Observations

__all__ = [
    "ALL_ITEMS",
    "Accuracy",
    "ItemScore",
    "actuals_for",
    "forecast_times",
    "outside",
    "point_label",
    "score",
]

ALL_ITEMS = "All items"


@dataclass(frozen=True)
class Accuracy:
    """Scores of every item with actuals, worst first, and of all of them together."""

    items: list[ItemScore]
    overall: ItemScore
    steps_scored: int
    steps_forecast: int
    unscored_items: list[str]
    season_length: int
    # The forecast column scored as the point: the point, else the median, else a band's middle.
    point: str = ""


def score(forecast: ForecastData, observed: Observations) -> Accuracy | None:
    """The forecast scored on the steps that have an actual; None when no step has one."""
    columns = forecast.columns
    point = point_label(columns)
    if point is None:
        return None
    aligned = align(forecast, observed)
    if aligned.scored.empty:
        return None
    season = _season(aligned)
    levels = Levels.of(columns)
    items = item_scores(aligned.scored, aligned.history, levels, season)
    pooled = aligned.scored.assign(**{ID: ALL_ITEMS})
    overall = item_scores(pooled, pooled.iloc[0:0], levels, season)[0]
    mase = _weighted_mase(items)
    overall = replace(overall, mase=mase, missing=_overall_missing(overall, items, mase))
    return Accuracy(
        items=_worst_first(items),
        overall=overall,
        steps_scored=len(aligned.scored),
        steps_forecast=len(forecast.frame),
        unscored_items=aligned.unscored,
        season_length=season,
        point=point,
    )


def _season(aligned: Aligned) -> int:
    """From the history's spacing, else from the scored steps' own."""
    if len(aligned.history) > 1:
        return season_length(aligned.history, ID, DS)
    return season_length(aligned.scored, ID, DS)


def _overall_missing(
    overall: ItemScore, items: list[ItemScore], mase: float | None
) -> dict[str, str]:
    """The pooled row's reasons: its own for wQL; for MASE, the items' (it weighs theirs)."""
    missing = {key: why for key, why in overall.missing.items() if key != MASE.attribute}
    if mase is None and items:
        missing[MASE.attribute] = items[0].missing.get(MASE.attribute, "")
    return missing


def _weighted_mase(items: list[ItemScore]) -> float | None:
    """Each item's MASE weighted by its scored steps: the mean scaled error over those steps."""
    known = [item for item in items if item.mase is not None]
    steps = sum(item.steps for item in known)
    if not steps:
        return None
    return sum((item.mase or 0.0) * item.steps for item in known) / steps


def _worst_first(items: list[ItemScore]) -> list[ItemScore]:
    """By MASE when every item has one (they compare across scales), else by sMAPE."""
    if all(item.mase is not None for item in items):
        return sorted(items, key=lambda item: -(item.mase or 0.0))
    return sorted(items, key=lambda item: -item.smape)
