"""What a comparison finds: the verdict on data and settings, and the settings rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pandas as pd

from dashboard.analysis.comparison import UNKNOWN, ComparedJob, settings_rows, verdict
from dashboard.series.observations import ITEM, TIME, VALUE, Observations, StartedForecast
from eomer_client.models import Job

ID_A = "3f2a9c1d-0000-4000-8000-000000000001"
ID_B = "7b1e44aa-0000-4000-8000-000000000002"
SETTINGS = {
    "Preset": "chronos_small",
    "Prediction length": "24",
    "Frequency": "D",
    "Quantile levels": "0.1, 0.5, 0.9",
    "File": "sales.csv",
}
CREATED = datetime(2026, 11, 29, 13, 0, tzinfo=UTC)


def job(job_id: str = ID_A, **fields: object) -> Job:
    body = {
        "job_id": job_id,
        "status": "completed",
        "created_at": "2026-11-29T13:00:00Z",
        "completed_at": "2026-11-29T13:00:42Z",
        "prediction_length": 24,
        "num_items": 3,
        "config_hash": "c0ffee",
        "dataset_hash": "d474",
        "model_version": "eomer-1.2",
        **fields,
    }
    return Job.model_validate(body)


def started(job_id: str = ID_A, input_hash: str = "abc", **settings: str) -> StartedForecast:
    history = Observations(pd.DataFrame({ITEM: [], TIME: [], VALUE: []}), "sales.csv")
    named = {key.replace("_", " ").capitalize(): value for key, value in settings.items()}
    return StartedForecast(job_id, {**SETTINGS, **named}, input_hash, history, CREATED)


def facts(*pairs: tuple[Job, StartedForecast | None]) -> list[ComparedJob]:
    return [ComparedJob("AB"[i], job_, sent) for i, (job_, sent) in enumerate(pairs)]


# The verdict


def test_same_data_and_only_the_preset_differs() -> None:
    result = verdict(
        facts(
            (job(ID_A, config_hash="1"), started(ID_A, preset="chronos_tiny")),
            (job(ID_B, config_hash="2"), started(ID_B, preset="chronos_small")),
        )
    )
    assert result.text == "Same data, other preset"
    assert "dataset hash" in result.basis


def test_same_data_and_other_settings_are_named() -> None:
    result = verdict(
        facts(
            (job(ID_A), started(ID_A, prediction_length="24", quantile_levels="0.1, 0.9")),
            (job(ID_B), started(ID_B, prediction_length="48", quantile_levels="0.5")),
        )
    )
    assert result.text == "Same data, other settings: prediction length, quantile levels"


def test_the_input_hash_decides_when_the_api_gives_no_dataset_hash() -> None:
    result = verdict(
        facts(
            (job(ID_A, dataset_hash=None), started(ID_A, "same", preset="chronos_tiny")),
            (job(ID_B, dataset_hash=None), started(ID_B, "same", preset="chronos_small")),
        )
    )
    assert result.text == "Same data, other preset"
    assert "input hash" in result.basis


def test_other_data_when_the_dataset_hashes_differ() -> None:
    result = verdict(
        facts((job(ID_A, dataset_hash="1"), None), (job(ID_B, dataset_hash="2"), None))
    )
    assert result.text == "Other data: the dataset hashes differ"


def test_other_data_among_three_names_the_jobs_that_share_theirs() -> None:
    three = [
        ComparedJob("A", job(ID_A, dataset_hash="1")),
        ComparedJob("B", job(ID_B, dataset_hash="2")),
        ComparedJob("C", job("c", dataset_hash="1")),
    ]
    assert verdict(three).text == "Other data: the dataset hashes differ (same data within A and C)"


def test_no_dataset_hash_and_no_input_file_cannot_be_judged() -> None:
    result = verdict(facts((job(ID_A, dataset_hash=None), None), (job(ID_B), None)))
    assert result.text == "Cannot tell: the API gave no dataset hash"
    assert "for A" in result.basis


def test_jobs_this_session_did_not_start_are_judged_by_their_config_hash() -> None:
    differ = facts((job(ID_A, config_hash="1"), None), (job(ID_B, config_hash="2"), None))
    same = facts((job(ID_A), None), (job(ID_B), None))
    unknown = facts((job(ID_A, config_hash=None), None), (job(ID_B), None))
    assert verdict(differ).text == "Same data, other settings (config hash differs)"
    assert verdict(same).text == "Same data, same settings (same config hash)"
    assert "no config hash" in verdict(unknown).text


def test_a_prediction_length_the_api_reports_is_named_without_the_session() -> None:
    two = facts(
        (job(ID_A, prediction_length=24, config_hash="1"), None),
        (job(ID_B, prediction_length=48, config_hash="2"), None),
    )
    assert verdict(two).text == "Same data, other settings: prediction length (config hash differs)"


def test_hashes_compare_whatever_their_case() -> None:
    two = facts((job(ID_A, dataset_hash="ABC"), None), (job(ID_B, dataset_hash="abc"), None))
    assert verdict(two).text.startswith("Same data")


# The settings rows


def test_settings_rows_mark_what_differs_and_never_the_times() -> None:
    two = facts(
        (job(ID_A, config_hash="1"), started(ID_A, preset="chronos_tiny")),
        (job(ID_B, config_hash="2", completed_at="2026-11-29T13:01:00Z"), None),
    )
    rows = {row.name: row for row in settings_rows(two, UTC, CREATED)}
    assert rows["Preset"].values == ("chronos_tiny", UNKNOWN)
    assert not rows["Preset"].differs  # unknown is not a difference
    assert rows["Config hash"].differs
    assert not rows["Dataset hash"].differs
    assert rows["Completed"].values == (
        "2026-11-29 13:00:42 UTC (UTC+00:00)",
        "2026-11-29 13:01:00 UTC (UTC+00:00)",
    )
    assert not rows["Completed"].differs
    assert rows["Elapsed (s)"].values == ("42.0", "60.0")
    assert rows["Input hash (file sent)"].values == ("abc", UNKNOWN)
    assert "File" not in rows


def test_times_are_shown_in_the_viewers_zone() -> None:
    zone = timezone(timedelta(hours=2))
    rows = {row.name: row for row in settings_rows(facts((job(), None)), zone, CREATED)}
    assert rows["Created"].values == ("2026-11-29 15:00:00 (UTC+02:00)",)
