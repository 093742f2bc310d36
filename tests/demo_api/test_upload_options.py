"""POST /forecast's options: XLSX files, quantile levels, presets, explainability and the hashes."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
import pandas as pd
import pytest

from demo_api.testing.clock import ManualClock
from tests.demo_api.conftest import UPLOAD_STEP_SECONDS

DAYS = 42


def _value(item: int, day: int) -> float:
    return 50 + 10 * item + 0.8 * day + 6 * math.sin(2 * math.pi * day / 7) + (day * 37 % 11) / 5


def _rows(items: int) -> list[tuple[str, datetime, float]]:
    start = datetime(2024, 1, 1)
    return [
        (f"s{item}", start + timedelta(days=day), _value(item, day))
        for item in range(items)
        for day in range(DAYS)
    ]


def _csv(items: int = 1) -> bytes:
    lines = ["item_id,timestamp,target"]
    lines += [f"{i},{t.date().isoformat()},{v:.4f}" for i, t, v in _rows(items)]
    return "\n".join(lines).encode()


def _xlsx(items: int = 2) -> bytes:
    """A workbook written by openpyxl (through pandas); only its first sheet holds the data."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame = pd.DataFrame(_rows(items), columns=["item_id", "timestamp", "target"])
        frame.to_excel(writer, sheet_name="data", index=False)
        pd.DataFrame({"not": ["read"]}).to_excel(writer, sheet_name="ignored", index=False)
    return out.getvalue()


def _post(api: httpx.Client, body: bytes, name: str = "data.csv", **form: str) -> httpx.Response:
    return api.post(
        "/forecast", files={"file": (name, body, "application/octet-stream")}, data=form
    )


def _completed(api: httpx.Client, clock: ManualClock, job_id: str) -> dict[str, Any]:
    """The job once completed: two steps of the clock, then the real forecast is awaited."""
    clock.advance(2 * UPLOAD_STEP_SECONDS)
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = api.get(f"/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed"):
            assert job["status"] == "completed", job["error"]
            return job
        assert time.monotonic() < deadline
        time.sleep(0.05)  # polling the job's status with a deadline, not waiting a fixed time


def _started(api: httpx.Client, clock: ManualClock, body: bytes, **form: str) -> dict[str, Any]:
    response = _post(api, body, **form)
    assert response.status_code == 202, response.text
    return _completed(api, clock, response.json()["job_id"])


def _forecast(api: httpx.Client, job: dict[str, Any]) -> list[dict[str, str]]:
    text = api.get(f"/jobs/{job['job_id']}/download").text
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("name", ["sales.xlsx", "sales.csv", "sales"])
def test_an_xlsx_file_is_read_by_its_content_whatever_its_name(
    api: httpx.Client, demo_clock: ManualClock, name: str
) -> None:
    job = _started(api, demo_clock, _xlsx(items=2), name=name, prediction_length="3")
    assert job["num_items"] == 2
    assert len(_forecast(api, job)) == 2 * 3


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(api: httpx.Client) -> None:
    response = _post(api, _csv(), "sales.xlsx")
    assert (response.status_code, response.json()["error_code"]) == (422, "validation_error")
    assert "not a readable XLSX" in response.json()["detail"]


def test_a_missing_column_names_its_form_field(api: httpx.Client) -> None:
    response = _post(api, _xlsx(), "sales.xlsx", target_column="units")
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "target_column"]
    assert "'units'" in problem["msg"]


def test_quantile_levels_choose_the_forecast_columns(
    api: httpx.Client, demo_clock: ManualClock
) -> None:
    job = _started(api, demo_clock, _csv(), quantile_levels="0.9, 0.025,0.5", prediction_length="4")
    rows = _forecast(api, job)
    assert list(rows[0]) == ["item_id", "timestamp", "mean", "0.025", "0.5", "0.9"]
    assert all(float(r["0.025"]) < float(r["0.5"]) < float(r["0.9"]) for r in rows)


@pytest.mark.parametrize(
    "levels",
    ["0", "1", "0.5,1.2", "-0.1", "abc", "0.1,,0.2", "nan", ",".join(["0.5"] * 20)],
)
def test_bad_quantile_levels_are_a_422_naming_the_field(api: httpx.Client, levels: str) -> None:
    response = _post(api, _csv(), quantile_levels=levels)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "quantile_levels"]
    assert problem["msg"]


def test_nineteen_quantile_levels_are_allowed(api: httpx.Client) -> None:
    levels = ",".join(f"{n / 20:g}" for n in range(1, 20))
    assert _post(api, _csv(), quantile_levels=levels).status_code == 202


def test_every_preset_runs_its_own_model_on_the_same_file(
    api: httpx.Client, demo_clock: ManualClock
) -> None:
    presets = ["chronos_tiny", "chronos_mini", "chronos_small", "chronos_base"]
    presets += ["chronos_large", "chronos_bolt_small", "chronos_bolt_base"]
    body = _csv()
    jobs = [_started(api, demo_clock, body, presets=p, prediction_length="7") for p in presets]
    assert len({job["model_version"] for job in jobs}) == len(presets)
    assert all(p in job["model_version"] for p, job in zip(presets, jobs, strict=True))
    assert len({job["config_hash"] for job in jobs}) == len(presets)
    assert {job["dataset_hash"] for job in jobs} == {hashlib.sha256(body).hexdigest()}
    means = {tuple(row["mean"] for row in _forecast(api, job)) for job in jobs}
    assert len(means) == len(presets)


def test_the_config_hash_follows_horizon_frequency_and_levels_only(api: httpx.Client) -> None:
    def config(**form: str) -> str:
        job_id = _post(api, _csv(), "a.csv", **form).json()["job_id"]
        return str(api.get(f"/jobs/{job_id}").json()["config_hash"])

    same = config(quantile_levels="0.1,0.9")
    assert config(quantile_levels="0.9,0.1", freq="D") == same
    changed = [
        config(quantile_levels="0.1,0.8"),
        config(quantile_levels="0.1,0.9", prediction_length="12"),
        config(quantile_levels="0.1,0.9", freq="2D"),
    ]
    assert same not in changed
    assert len(set(changed)) == 3


def test_the_same_bytes_give_the_same_dataset_hash_at_once(api: httpx.Client) -> None:
    body = _csv(items=2)
    hashes = [
        api.get(f"/jobs/{_post(api, body, name).json()['job_id']}").json()["dataset_hash"]
        for name in ("one.csv", "two.csv")
    ]
    assert hashes == [hashlib.sha256(body).hexdigest()] * 2


def test_explainability_is_off_unless_asked(api: httpx.Client, demo_clock: ManualClock) -> None:
    job = _started(api, demo_clock, _csv(), prediction_length="3")
    assert job["explainability"]["enabled"] is False
    assert job["explainability_url"] is None


def test_asked_analyses_are_computed_or_skipped_with_a_reason(
    api: httpx.Client, demo_clock: ManualClock
) -> None:
    analyses = "forecast,seasonal_decomposition,autocorrelation,residual_diagnostics,"
    analyses += "feature_correlation,shap,weather_impact"
    job = _started(
        api,
        demo_clock,
        _csv(items=2),
        prediction_length="5",
        explainability="true",
        explainability_analyses=analyses,
    )
    explained = job["explainability"]
    assert explained["enabled"] is True
    assert explained["selected_analyses"] == analyses.split(",")
    assert explained["completed_analyses"] == analyses.split(",")[:5]
    assert set(explained["skipped_analyses"]) == {"shap", "weather_impact"}
    assert "Model: **ETS" in explained["overview_markdown"]
    kinds = {artifact["analysis"] for artifact in explained["artifacts"]}
    assert kinds == set(analyses.split(",")[:5])
    for artifact in explained["artifacts"]:
        url = artifact["download_url"]
        fetched = httpx.get(url, timeout=60) if url.startswith("http") else api.get(url)
        assert (artifact["artifact_id"], fetched.status_code) == (artifact["artifact_id"], 200)


def test_analyses_the_data_cannot_support_are_skipped_not_failed(
    api: httpx.Client, demo_clock: ManualClock
) -> None:
    short = b"item_id,timestamp,target\n" + b"".join(
        f"a,2024-01-{day + 1:02d},{day % 3 + 1}\n".encode() for day in range(8)
    )
    job = _started(api, demo_clock, short, prediction_length="2", explainability="true", freq="D")
    explained = job["explainability"]
    assert explained["completed_analyses"] == ["forecast"]
    assert set(explained["skipped_analyses"]) >= {
        "seasonal_decomposition",
        "autocorrelation",
        "residual_diagnostics",
        "feature_correlation",
    }
    assert all(reason for reason in explained["skipped_analyses"].values())


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"explainability": "maybe"}, "explainability"),
        ({"explainability_analyses": "forecast,<script>"}, "explainability_analyses"),
        ({"freq": "fortnightly"}, "freq"),
        ({"presets": "chronos_huge"}, "presets"),
    ],
)
def test_other_bad_fields_are_a_422_naming_the_field(
    api: httpx.Client, form: dict[str, str], field: str
) -> None:
    response = _post(api, _csv(), **form)
    assert response.status_code == 422
    assert [p["loc"] for p in response.json()["detail"]] == [["body", field]]
