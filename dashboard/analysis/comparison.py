"""What a comparison finds: whether the jobs forecast the same data, which settings differ, and
the runs' settings and accuracy side by side."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from dashboard.analysis.accuracy import Accuracy
from dashboard.analysis.comparison_runs import MIN_JOBS, PRESET
from dashboard.analysis.metrics import METRICS
from dashboard.jobs.timing import elapsed_seconds, format_absolute
from dashboard.series.observations import StartedForecast
from eomer_client.models import Job

UNKNOWN = "—"
_PREDICTION_LENGTH = "Prediction length"
# The file's name says nothing about its bytes; the input hash row does.
_NOT_A_SETTING = frozenset({"File"})


@dataclass(frozen=True)
class ComparedJob:
    """One compared job: its label, the API's answer, and what this session sent, if it did."""

    label: str
    job: Job
    started: StartedForecast | None = None

    def setting(self, name: str) -> str | None:
        return self.started.settings.get(name) if self.started is not None else None


@dataclass(frozen=True)
class Verdict:
    """One line on what differs, and what it was judged from."""

    text: str
    basis: str


def _data_keys(facts: Sequence[ComparedJob]) -> tuple[list[str], str] | None:
    """Each job's data fingerprint, and its name; None when some job has none to compare."""
    if all(fact.job.dataset_hash for fact in facts):
        return [str(fact.job.dataset_hash).lower() for fact in facts], "dataset hash"
    if all(fact.started is not None for fact in facts):
        return [fact.started.input_hash.lower() for fact in facts if fact.started], "input hash"
    return None


def _groups(labels: Sequence[str], keys: Sequence[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for label, key in zip(labels, keys, strict=True):
        groups.setdefault(key, []).append(label)
    return list(groups.values())


def _started_differences(facts: Sequence[ComparedJob]) -> list[str]:
    """Names of the settings this session sent that differ between the jobs."""
    names = dict.fromkeys(name for fact in facts if fact.started for name in fact.started.settings)
    return [
        name
        for name in names
        if name not in _NOT_A_SETTING and len({fact.setting(name) for fact in facts}) > 1
    ]


def _settings_verdict(facts: Sequence[ComparedJob]) -> str:
    configs = [fact.job.config_hash for fact in facts]
    config_known = all(configs)
    config_differs = config_known and len({str(c).lower() for c in configs}) > 1
    if all(fact.started is not None for fact in facts):
        differing = _started_differences(facts)
        if differing == [PRESET]:
            return "Same data, other preset"
        if differing:
            return "Same data, other settings: " + ", ".join(name.lower() for name in differing)
    elif len({fact.job.prediction_length for fact in facts}) > 1:
        why = " (config hash differs)" if config_differs else ""
        return f"Same data, other settings: prediction length{why}"
    if config_differs:
        return "Same data, other settings (config hash differs)"
    if config_known:
        return "Same data, same settings (same config hash)"
    return "Same data; the API gave no config hash, so other settings cannot be ruled out"


def verdict(facts: Sequence[ComparedJob]) -> Verdict:
    """Whether the jobs forecast the same data, and if so which settings differ."""
    keys = _data_keys(facts)
    if keys is None:
        lacking = [fact.label for fact in facts if not fact.job.dataset_hash]
        return Verdict(
            "Cannot tell: the API gave no dataset hash",
            f"No dataset hash for {', '.join(lacking)}, and this session did not start "
            "every job, so their input files cannot be compared.",
        )
    values, which = keys
    basis = f"Judged from each job's {which}" + (
        " (of the file this session sent)." if which == "input hash" else " (given by the API)."
    )
    if len(set(values)) > 1:
        shared = [group for group in _groups([f.label for f in facts], values) if len(group) > 1]
        detail = "; ".join(f"same data within {' and '.join(group)}" for group in shared)
        return Verdict(
            f"Other data: the {which}es differ" + (f" ({detail})" if detail else ""), basis
        )
    return Verdict(_settings_verdict(facts), basis)


@dataclass(frozen=True)
class SettingRow:
    """One row of the side-by-side table: a name and each job's value as text."""

    name: str
    values: tuple[str, ...]
    # Times always differ between runs: shown, never marked.
    compared: bool = True

    @property
    def differs(self) -> bool:
        """True when two jobs give different known values."""
        known = {value for value in self.values if value != UNKNOWN}
        return self.compared and len(known) > 1


def _text(value: object) -> str:
    return UNKNOWN if value is None or value == "" else str(value)


def _time(value: datetime | None, tz: tzinfo) -> str:
    return UNKNOWN if value is None else format_absolute(value, tz)


def _seconds(job: Job, now: datetime) -> str:
    seconds = elapsed_seconds(job, now)
    return UNKNOWN if seconds is None else f"{seconds:,.1f}"


def settings_rows(facts: Sequence[ComparedJob], tz: tzinfo, now: datetime) -> list[SettingRow]:
    """What each job was asked and answered, row by row, in the order a person compares them."""
    sent = dict.fromkeys(
        name
        for fact in facts
        if fact.started
        for name in fact.started.settings
        if name not in _NOT_A_SETTING and name != _PREDICTION_LENGTH
    )
    rows = [SettingRow(name, tuple(_text(f.setting(name)) for f in facts)) for name in sent]

    def row(name: str, values: Sequence[object], compared: bool = True) -> SettingRow:
        return SettingRow(name, tuple(_text(value) for value in values), compared)

    jobs = [fact.job for fact in facts]
    lengths = [
        job.prediction_length or f.setting(_PREDICTION_LENGTH)
        for job, f in zip(jobs, facts, strict=True)
    ]
    rows += [
        row(_PREDICTION_LENGTH, lengths),
        row("Items", [job.num_items for job in jobs]),
        SettingRow("Created", tuple(_time(job.created_at, tz) for job in jobs), compared=False),
        SettingRow("Completed", tuple(_time(job.completed_at, tz) for job in jobs), compared=False),
        SettingRow("Elapsed (s)", tuple(_seconds(job, now) for job in jobs), compared=False),
        row("Model version", [job.model_version for job in jobs]),
        row("Config hash", [job.config_hash for job in jobs]),
        row("Dataset hash", [job.dataset_hash for job in jobs]),
        row("Input hash (file sent)", [f.started.input_hash if f.started else None for f in facts]),
    ]
    return rows


# Accuracy columns are dashboard/analysis/metrics.py's; lower is better for each.
COVERAGE = "Coverage"


@dataclass(frozen=True)
class AccuracyRow:
    """One run's overall scores, how many steps they rest on, and where it does best."""

    label: str
    values: dict[str, float | None]  # by the metric's label
    coverage: dict[int, float]
    steps: str
    best: tuple[str, ...] = ()
    # Why a metric is None: "no actual at its forecast times", or the score's own reason.
    missing: tuple[str, ...] = ()


def _row(label: str, accuracy: Accuracy | None) -> AccuracyRow:
    if accuracy is None:
        values = dict.fromkeys(metric.label for metric in METRICS)
        return AccuracyRow(label, values, {}, "none", missing=("no actual at its forecast times",))
    overall = accuracy.overall
    values = {metric.label: _finite(getattr(overall, metric.attribute)) for metric in METRICS}
    steps = f"{accuracy.steps_scored:,} of {accuracy.steps_forecast:,}"
    missing = tuple(overall.missing.values())
    return AccuracyRow(label, values, dict(overall.coverage), steps, missing=missing)


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _coverage_miss(coverage: Mapping[int, float]) -> float | None:
    """Mean distance, in points of percent, between each band's coverage and its promise."""
    if not coverage:
        return None
    return sum(abs(share * 100 - level) for level, share in coverage.items()) / len(coverage)


def _winners(
    rows: Sequence[AccuracyRow], measure: Callable[[AccuracyRow], float | None]
) -> set[int]:
    scored = {i: value for i, row in enumerate(rows) if (value := measure(row)) is not None}
    if len(scored) < MIN_JOBS:
        return set()
    least = min(scored.values())
    return {i for i, value in scored.items() if math.isclose(value, least, rel_tol=1e-9)}


def _metric(name: str) -> Callable[[AccuracyRow], float | None]:
    return lambda row: row.values[name]


def accuracy_rows(scores: Mapping[str, Accuracy | None]) -> list[AccuracyRow]:
    """A row per run; each metric's best (lowest; coverage: closest to promised) marked."""
    rows = [_row(label, accuracy) for label, accuracy in scores.items()]
    best: list[list[str]] = [[] for _ in rows]
    for metric in METRICS:
        for i in _winners(rows, _metric(metric.label)):
            best[i].append(metric.label)
    for i in _winners(rows, lambda row: _coverage_miss(row.coverage)):
        best[i].append(COVERAGE)
    return [replace(row, best=tuple(won)) for row, won in zip(rows, best, strict=True)]
