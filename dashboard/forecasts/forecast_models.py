"""Finding the value columns: point forecast, quantiles and bands, of one model among several."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dashboard.forecasts.forecast_data import ForecastCsvError, Interval, ReadOptions, widest_first
from dashboard.forecasts.forecast_names import (
    ACTUAL_NAMES,
    COVERAGE_COLUMN,
    MEDIAN_NAMES,
    POINT_NAMES,
    Side,
    excel_part,
    first_named,
    lowered,
    name_part,
    quantile_level,
    unlabelled_bands,
)

_SAMPLE = re.compile(r"^(?P<group>.+)_s\d+$")


@dataclass(frozen=True)
class Values:
    """The value columns chosen, and the models the file offers."""

    point: str | None
    point_label: str
    quantiles: tuple[tuple[float, str], ...] = ()
    bands: tuple[Interval, ...] = ()
    models: tuple[str, ...] = ()
    model: str | None = None
    coverage_column: str | None = None
    other_models: tuple[str, ...] = ()

    @property
    def used(self) -> set[str]:
        """Every column these values take, the other models' included."""
        edges = {edge for band in self.bands for edge in (band.lower, band.upper)}
        taken = {self.point, self.coverage_column, *dict(self.quantiles).values(), *edges}
        return {name for name in taken if name is not None} | set(self.other_models)


@dataclass
class _Group:
    """The columns of one model (Nixtla, TimesFM) or component (darts, sktime)."""

    point: str | None = None
    quantiles: dict[float, str] = field(default_factory=dict)
    edges: dict[tuple[int, Side], str] = field(default_factory=dict)

    def columns(self) -> list[str]:
        named = [self.point, *self.quantiles.values(), *self.edges.values()]
        return [name for name in named if name is not None]


def choose_values(names: Sequence[str], numeric: set[str], options: ReadOptions) -> Values:
    """Point, quantiles and bands: named ones first, then a model's, then a lone number column."""
    quantiles = _quantile_columns(names)
    point = options.point or _named_point(names, quantiles)
    bands = list(options.bands) if options.bands is not None else _named_bands(names)
    label = "median" if point is not None and point in dict(quantiles).values() else point
    unstated = any(band.coverage is None for band in bands)
    coverage = first_named(names, (COVERAGE_COLUMN,)) if unstated else None
    found = Values(point, label or "", quantiles, _with_pairs(bands, quantiles), (), None, coverage)
    if point is not None or quantiles or bands:
        return found
    groups = _groups(names)
    if groups:
        grouped = {column for group in groups.values() for column in group.columns()}
        bare = _forecast_numbers([n for n in names if n not in grouped], numeric, alone=False)
        for name in bare:
            groups.setdefault(name, _Group(point=name))  # a model written without bands
        return _model_values(groups, options.model)
    return _lone_numbers(names, numeric, options.model)


def _quantile_columns(names: Sequence[str]) -> tuple[tuple[float, str], ...]:
    found: dict[float, str] = {}
    for name in names:
        level = quantile_level(name)
        if level is not None and level in found:
            raise ForecastCsvError(
                f"Columns {found[level]!r} and {name!r} both hold quantile {level:g}. "
                "Keep one of them, then read the file again."
            )
        if level is not None:
            found[level] = name
    return tuple(sorted(found.items()))


def _named_point(names: Sequence[str], quantiles: tuple[tuple[float, str], ...]) -> str | None:
    excel = next((name for name in names if excel_part(name) == ("point", None)), None)
    return (
        first_named(names, POINT_NAMES)
        or excel
        or first_named(names, MEDIAN_NAMES)
        or dict(quantiles).get(0.5)
    )


def _named_bands(names: Sequence[str]) -> list[Interval]:
    """Bands named without a model: R's "Lo 80", and Excel's and the tools' unlabelled pairs.

    A band named without its coverage gets none (unstated): the tools' defaults can be changed.
    """
    excel: dict[Side, str] = {}
    edges: dict[tuple[int, Side], str] = {}
    for name in names:
        side = (excel_part(name) or ("", None))[1]
        part = name_part(name)
        if side is not None:
            excel[side] = name
        elif part and not part.group and part.side and part.coverage:
            edges[(round(part.coverage), part.side)] = name
    bands = _pairs(edges)
    if "lower" in excel and "upper" in excel:
        bands.append(Interval(excel["lower"], excel["upper"], None))
    bands.extend(Interval(lower, upper, None) for lower, upper in unlabelled_bands(names))
    return bands


def _pairs(edges: dict[tuple[int, Side], str]) -> list[Interval]:
    coverages = sorted({coverage for coverage, _ in edges}, reverse=True)
    return [
        Interval(edges[(coverage, "lower")], edges[(coverage, "upper")], coverage)
        for coverage in coverages
        if (coverage, "lower") in edges and (coverage, "upper") in edges
    ]


def _with_pairs(
    bands: Iterable[Interval], quantiles: tuple[tuple[float, str], ...]
) -> tuple[Interval, ...]:
    """The bands plus one per symmetric quantile pair, widest first."""
    by_level = dict(quantiles)
    pairs = list(bands)
    for level, low in quantiles:
        high = next((n for lv, n in by_level.items() if abs(lv - (1 - level)) < 1e-9), None)
        if level < 0.5 and high is not None:
            pairs.append(Interval(low, high, round((1 - 2 * level) * 100)))
    return widest_first(pairs)


def _groups(names: Sequence[str]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for name in names:
        part = name_part(name)
        if part is None or not part.group:
            continue
        group = groups.setdefault(part.group, _Group())
        if part.side and part.coverage:
            group.edges[(round(part.coverage), part.side)] = name
        elif part.level is not None:
            group.quantiles[part.level] = name
    for name in names:
        if name in groups:
            groups[name].point = name
    for group in groups.values():
        group.point = group.point or group.quantiles.get(0.5)
    return groups


def _pick(models: Sequence[str], chosen: str | None) -> str:
    if chosen is None:
        return models[0]
    if chosen not in models:
        raise ForecastCsvError(
            f"There is no model {chosen!r} in this file; it has {', '.join(models)}."
        )
    return chosen


def _model_values(groups: dict[str, _Group], chosen: str | None) -> Values:
    model = _pick(tuple(groups), chosen)
    models = tuple(groups) if len(groups) > 1 else ()
    group = groups[model]
    quantiles = tuple(sorted(group.quantiles.items()))
    point = group.point
    label = "median" if point is not None and point in group.quantiles.values() else model
    others = tuple(name for other in models if other != model for name in groups[other].columns())
    bands = _with_pairs(_pairs(group.edges), quantiles)
    return Values(point, label, quantiles, bands, models, model, None, others)


def _forecast_numbers(names: Sequence[str], numeric: set[str], *, alone: bool = True) -> list[str]:
    """Named number columns; observed values ("y") only when `alone` and nothing else is."""
    numbers = [name for name in names if name in numeric and not name.startswith("(unnamed")]
    forecasts = [name for name in numbers if lowered(name) not in ACTUAL_NAMES]
    return forecasts or (numbers if alone else [])


def _lone_numbers(names: Sequence[str], numeric: set[str], chosen: str | None) -> Values:
    """Number columns named like nothing known: one is the point, several are models."""
    forecasts = _forecast_numbers(names, numeric)
    if not forecasts:
        return Values(None, "")
    if len(forecasts) == 1:
        return Values(forecasts[0], forecasts[0])
    _refuse_samples(forecasts)
    model = _pick(forecasts, chosen)
    others = tuple(name for name in forecasts if name != model)
    return Values(model, model, models=tuple(forecasts), model=model, other_models=others)


def _refuse_samples(names: Sequence[str]) -> None:
    """darts writes a probabilistic forecast as one column per sample path: not a forecast table."""
    prefixes = {match["group"] for name in names if (match := _SAMPLE.match(name))}
    if len(prefixes) == 1 and all(_SAMPLE.match(name) for name in names):
        raise ForecastCsvError(
            f"The columns {names[0]!r}, {names[1]!r}, ... are {len(names)} sample paths of "
            f"{prefixes.pop()!r} (darts' stochastic forecast), not a point forecast and bands. "
            "Write quantiles instead (series.quantile(0.1), 0.5, 0.9) and read that file."
        )
