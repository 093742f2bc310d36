"""The seeded jobs' fitted forecasts kept on disk, so each machine fits them once, not each server.

One JSON file per dataset, named by the sha256 of everything the fits depend on: the series
(item names, timestamps, values), the horizon, the season, the quantile levels, the versions of
the libraries that fit them and our FORECASTING_VERSION. A file is written to a temporary name
and renamed, so a process never reads half of another's; a file that cannot be read, or whose
key does not match, is fitted again and replaced. Uploads are never cached: only what
`results.py` seeds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from importlib import import_module
from pathlib import Path

import numpy as np
import pandas as pd

from demo_api.models.data_sets import Dataset
from demo_api.models.fit_folder import cache_dir
from demo_api.models.forecasting import (
    FORECASTING_VERSION,
    QUANTILES,
    Forecast,
    ItemFit,
    assemble,
    forecast_dataset,
)

_FORMAT = 1
_FITTING_PACKAGES = ("numpy", "pandas", "scipy", "statsmodels")
_LOG = logging.getLogger(__name__)
# What a file that is not ours, or not whole, raises while being read.
_UNREADABLE = (OSError, ValueError, KeyError, TypeError, IndexError)


def code_versions() -> dict[str, str]:
    """The versions of everything that decides what a fit returns."""
    return {
        "forecasting": str(FORECASTING_VERSION),
        "format": str(_FORMAT),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        # Read from the modules, already imported to fit: importlib.metadata takes ~50 ms each.
        **{name: str(import_module(name).__version__) for name in _FITTING_PACKAGES},
    }


def fit_key(dataset: Dataset, horizon: int, versions: Mapping[str, str]) -> str:
    """sha256 of the fits' inputs and the code's versions."""
    digest = hashlib.sha256()
    settings = [horizon, dataset.season, list(QUANTILES), sorted(versions.items())]
    digest.update(json.dumps(settings).encode())
    for item, series in dataset.series.items():
        index = pd.DatetimeIndex(series.index)
        digest.update(json.dumps([item, index.freqstr, str(index.dtype), len(series)]).encode())
        digest.update(index.asi8.tobytes())
        digest.update(series.to_numpy(dtype=float).tobytes())
    return digest.hexdigest()


def cached_forecast(
    dataset: Dataset,
    horizon: int,
    directory: Path | None = None,
    *,
    fit: Callable[[Dataset, int], Forecast] = forecast_dataset,
    versions: Mapping[str, str] | None = None,
) -> Forecast:
    """The dataset's forecast (the demo's own model pick) from disk, else `fit` and keep it."""
    key = fit_key(dataset, horizon, code_versions() if versions is None else versions)
    path = (directory or cache_dir()) / f"{key}.json"
    fits = read_fits(path, key, dataset)
    if fits is not None:
        return assemble(fits)
    forecast = fit(dataset, horizon)
    write_fits(path, key, forecast.fits)
    return forecast


def read_fits(path: Path, key: str, dataset: Dataset) -> tuple[ItemFit, ...] | None:
    """The fits kept at `path` under `key` for `dataset`'s items, or None if there are none."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if content["key"] != key:
            return None
        fits = tuple(_item_fit(entry, dataset) for entry in content["fits"])
    except _UNREADABLE:
        return None
    return fits if [f.item_id for f in fits] == list(dataset.series) else None


def write_fits(path: Path, key: str, fits: tuple[ItemFit, ...]) -> None:
    """Keep `fits` at `path`, whole or not at all; a cache that cannot be written is skipped."""
    text = json.dumps({"key": key, "fits": [_entry(f) for f in fits]})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{key}.", suffix=".tmp")
    except OSError as exc:
        _LOG.warning("Not caching the demo's forecasts in %s: %s", path.parent, exc)
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        # Atomic on POSIX: readers see the old file, no file, or this whole one.
        os.replace(temporary, path)
    except OSError as exc:
        _LOG.warning("Not caching the demo's forecasts in %s: %s", path.parent, exc)
        Path(temporary).unlink(missing_ok=True)


def _entry(fit: ItemFit) -> dict[str, object]:
    index = pd.DatetimeIndex(fit.forecast.index)
    return {
        "item_id": fit.item_id,
        "model": fit.model,
        "aic": fit.aic,
        "residuals": fit.residuals.tolist(),
        "index": index.asi8.tolist(),
        "dtype": str(index.dtype),
        "freq": index.freqstr,
        "columns": [str(c) for c in fit.forecast.columns],
        "values": [fit.forecast[c].to_numpy(dtype=float).tolist() for c in fit.forecast.columns],
        "warnings": list(fit.warnings),
    }


def _item_fit(entry: dict[str, object], dataset: Dataset) -> ItemFit:
    """An entry back as the ItemFit it was written from; KeyError etc. when it is not one."""
    item = str(entry["item_id"])
    stamps = np.asarray(entry["index"], dtype=np.int64).astype(str(entry["dtype"]))
    index = pd.DatetimeIndex(stamps, freq=entry["freq"])  # type: ignore[arg-type]
    columns = [str(c) for c in entry["columns"]]  # type: ignore[attr-defined]
    values = [np.asarray(v, dtype=float) for v in entry["values"]]  # type: ignore[attr-defined]
    if len(values) != len(columns) or any(len(v) != len(index) for v in values):
        raise ValueError("columns and values disagree")
    return ItemFit(
        item_id=item,
        model=str(entry["model"]),
        aic=float(entry["aic"]),  # type: ignore[arg-type]
        residuals=np.asarray(entry["residuals"], dtype=float),
        history=dataset.series[item],
        forecast=pd.DataFrame(dict(zip(columns, values, strict=True)), index=index),
        warnings=tuple(str(w) for w in entry["warnings"]),  # type: ignore[attr-defined]
    )
