"""The seeded forecasts' disk cache: hits, misses on new data or code, bad files, racing writers."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from demo_api.models.data_sets import Dataset, load_dataset
from demo_api.models.fit_cache import (
    cached_forecast,
    code_versions,
    fit_key,
    write_fits,
)
from demo_api.models.fit_folder import CACHE_ENV, cache_dir
from demo_api.models.forecasting import Forecast, ItemFit, forecast_dataset

HORIZON = 6


class CountingFit:
    """forecast_dataset that counts its calls: a call is a miss of the cache."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, dataset: Dataset, horizon: int) -> Forecast:
        self.calls += 1
        return forecast_dataset(dataset, horizon)


@pytest.fixture(scope="module")
def sunspots() -> Dataset:
    return load_dataset("sunspots")


def _changed(dataset: Dataset) -> Dataset:
    """The same dataset with its last value nudged."""
    item, series = next(iter(dataset.series.items()))
    nudged = series.copy()
    nudged.iloc[-1] += 1.0
    return Dataset(dataset.name, dataset.source, dataset.freq, dataset.season, {item: nudged})


def _assert_same(read: Forecast, fitted: Forecast) -> None:
    pd.testing.assert_frame_equal(read.frame, fitted.frame)
    assert (read.method, read.columns) == (fitted.method, fitted.columns)
    for ours, theirs in zip(read.fits, fitted.fits, strict=True):
        assert (ours.item_id, ours.model, ours.aic, ours.warnings) == (
            theirs.item_id,
            theirs.model,
            theirs.aic,
            theirs.warnings,
        )
        pd.testing.assert_frame_equal(ours.forecast, theirs.forecast, check_freq=True)
        ours_index, theirs_index = (pd.DatetimeIndex(f.forecast.index) for f in (ours, theirs))
        assert ours_index.freq == theirs_index.freq
        np.testing.assert_array_equal(ours.residuals, theirs.residuals)
        pd.testing.assert_series_equal(ours.history, theirs.history)


def test_second_call_reads_the_fits_from_disk_exactly(sunspots: Dataset, tmp_path: Path) -> None:
    fit = CountingFit()
    fitted = cached_forecast(sunspots, HORIZON, tmp_path, fit=fit)
    read = cached_forecast(sunspots, HORIZON, tmp_path, fit=fit)
    assert fit.calls == 1
    _assert_same(read, fitted)


def test_changed_data_is_fitted_again(sunspots: Dataset, tmp_path: Path) -> None:
    fit = CountingFit()
    cached_forecast(sunspots, HORIZON, tmp_path, fit=fit)
    changed = cached_forecast(_changed(sunspots), HORIZON, tmp_path, fit=fit)
    assert fit.calls == 2
    _assert_same(changed, forecast_dataset(_changed(sunspots), HORIZON))


def test_changed_horizon_or_code_version_is_fitted_again(sunspots: Dataset, tmp_path: Path) -> None:
    fit = CountingFit()
    cached_forecast(sunspots, HORIZON, tmp_path, fit=fit)
    cached_forecast(sunspots, HORIZON + 1, tmp_path, fit=fit)
    newer = {**code_versions(), "statsmodels": "99.0"}
    cached_forecast(sunspots, HORIZON, tmp_path, fit=fit, versions=newer)
    assert fit.calls == 3


@pytest.mark.parametrize(
    "content",
    [b"", b'{"key": "', b"\xff\xfe not json", b'{"key": "KEY", "fits": [{"item_id": 3}]}', b"[]"],
    ids=["empty", "truncated", "not-utf8", "wrong-shape", "not-an-object"],
)
def test_unreadable_file_is_fitted_again_and_replaced(
    sunspots: Dataset, tmp_path: Path, content: bytes
) -> None:
    key = fit_key(sunspots, HORIZON, code_versions())
    path = tmp_path / f"{key}.json"
    path.write_bytes(content.replace(b"KEY", key.encode()))
    fit = CountingFit()
    fitted = cached_forecast(sunspots, HORIZON, tmp_path, fit=fit)
    assert fit.calls == 1
    _assert_same(cached_forecast(sunspots, HORIZON, tmp_path, fit=fit), fitted)
    assert fit.calls == 1


def test_file_of_another_key_is_not_served(sunspots: Dataset, tmp_path: Path) -> None:
    changed = _changed(sunspots)
    cached_forecast(changed, HORIZON, tmp_path)
    (other,) = tmp_path.glob("*.json")
    key = fit_key(sunspots, HORIZON, code_versions())
    other.rename(tmp_path / f"{key}.json")
    fit = CountingFit()
    _assert_same(
        cached_forecast(sunspots, HORIZON, tmp_path, fit=fit), forecast_dataset(sunspots, HORIZON)
    )
    assert fit.calls == 1


def test_unwritable_cache_still_forecasts(sunspots: Dataset, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    fit = CountingFit()
    cached_forecast(sunspots, HORIZON, blocker / "cache", fit=fit)
    cached_forecast(sunspots, HORIZON, blocker / "cache", fit=fit)
    assert fit.calls == 2


def test_cache_folder_follows_the_environment(tmp_path: Path) -> None:
    assert cache_dir({CACHE_ENV: str(tmp_path)}) == tmp_path
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "eomer-demo"
    assert cache_dir({}) == Path.home() / ".cache" / "eomer-demo"


def _big_fits() -> tuple[ItemFit, ...]:
    """Fits large enough (half a MB of JSON) that a write takes a while."""
    index = pd.date_range("2020-01-01", periods=HORIZON, freq="MS")
    forecast = pd.DataFrame({"mean": np.arange(HORIZON, dtype=float)}, index=index)
    residuals = np.linspace(0.0, 1.0, 25_000)
    history = pd.Series([1.0], index=index[:1])
    return (ItemFit("big", "ETS(A,N,N)", 1.0, residuals, history, forecast),)


def _write_repeatedly(path: Path, times: int) -> None:
    fits = _big_fits()
    for _ in range(times):
        write_fits(path, "KEY", fits)


def test_racing_writers_never_leave_half_a_file(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "KEY.json"
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_repeatedly, args=(path, 10)) for _ in range(2)]
    for writer in writers:
        writer.start()
    reads = 0
    while any(w.is_alive() for w in writers) or reads == 0:
        if path.exists():
            # Every file a reader can open is a whole one: never empty, never cut short.
            assert json.loads(path.read_text(encoding="utf-8"))["key"] == "KEY"
            reads += 1
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert [p.name for p in path.parent.iterdir()] == ["KEY.json"]
