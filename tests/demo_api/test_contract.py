"""Contract: every scenario matches the hand-written schema, parses as the client's model, and
every URL in it serves the format it claims."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from demo_api.seeded.scenarios import SCENARIO_IDS, SCENARIOS_BY_NAME
from eomer_client.models import Job

SCHEMA = json.loads((Path(__file__).parent / "job_schema.json").read_text())
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _job(api: httpx.Client, name: str) -> dict[str, Any]:
    response = api.get(f"/jobs/{SCENARIO_IDS[name]}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("name", sorted(SCENARIO_IDS))
def test_every_scenario_matches_the_reference_schema(api: httpx.Client, name: str) -> None:
    body = _job(api, name)
    errors = [e.message for e in Draft202012Validator(SCHEMA).iter_errors(body)]
    assert errors == []
    for field in ("created_at", "completed_at"):
        if body[field] is not None:
            assert datetime.fromisoformat(body[field]).tzinfo is not None


@pytest.mark.parametrize("name", sorted(SCENARIO_IDS))
def test_every_scenario_parses_as_the_clients_job_model(api: httpx.Client, name: str) -> None:
    job = Job.model_validate(_job(api, name))
    assert job.job_id == SCENARIO_IDS[name]
    assert job.is_known_status


def _check_format(fmt: str, response: httpx.Response) -> None:
    """The body is what `fmt` says, by content type and by content."""
    media = response.headers["content-type"].split(";")[0]
    body = response.content
    checks = {
        "png": lambda: media == "image/png" and body.startswith(PNG_MAGIC),
        "svg": lambda: media == "image/svg+xml" and b"<svg" in body[:2000],
        "plotly_json": lambda: media == "application/json" and "data" in json.loads(body),
        "json": lambda: media == "application/json" and isinstance(json.loads(body), dict),
        "html": lambda: media == "text/html" and body.lower().startswith(b"<!doctype html"),
        "csv": lambda: (
            media == "text/csv" and len(list(csv.reader(io.StringIO(body.decode())))) > 1
        ),
        "markdown": lambda: media == "text/markdown" and bool(body.decode().strip()),
        "pdf": lambda: media == "application/pdf" and body.startswith(b"%PDF"),
    }
    assert checks[fmt](), f"{response.url} claimed {fmt}, got {media}: {body[:60]!r}"


def _is_storage(url: str) -> bool:
    return "/_storage/" in url


def _fetch(api: httpx.Client, anonymous: httpx.Client, url: str) -> httpx.Response:
    """Storage URLs are fetched without a token (that is their point); API URLs with it."""
    response = (anonymous if _is_storage(url) else api).get(url)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:200]}"
    return response


def _claimed_urls(name: str, body: dict[str, Any]) -> list[tuple[str, str]]:
    scenario = SCENARIOS_BY_NAME[name]
    urls = [
        (body["download_url"], "csv"),
        (body["forecast_plot_url"], scenario.plot_format),
        (body["report_url"], scenario.report_format),
    ]
    if body["explainability_url"] is not None:
        urls.append((body["explainability_url"], "json"))
    for artifact in body["explainability"]["artifacts"]:
        urls += [(artifact[key], artifact["format"]) for key in ("download_url", "embed_url")]
    return [(url, fmt) for url, fmt in urls if url is not None]


COMPLETED = sorted(n for n, s in SCENARIOS_BY_NAME.items() if s.status == "completed")


@pytest.mark.parametrize("name", COMPLETED)
def test_every_url_of_a_completed_scenario_serves_the_format_it_claims(
    api: httpx.Client, anonymous: httpx.Client, name: str
) -> None:
    urls = _claimed_urls(name, _job(api, name))
    assert urls
    for url, fmt in urls:
        _check_format(fmt, _fetch(api, anonymous, url))


@pytest.mark.parametrize("name", COMPLETED)
def test_api_urls_refuse_a_request_without_token(
    api: httpx.Client, anonymous: httpx.Client, name: str
) -> None:
    for url, _ in _claimed_urls(name, _job(api, name))[:3]:
        assert anonymous.get(url).status_code == 401


def test_forecast_csv_has_item_timestamp_mean_and_quantile_columns(api: httpx.Client) -> None:
    response = api.get(f"/jobs/{SCENARIO_IDS['completed_delivery_delivered']}/download")
    header = response.text.splitlines()[0].split(",")
    assert header == ["item_id", "timestamp", "mean", *(f"0.{i}" for i in range(1, 10))]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 6 * 24
    assert all(float(r["0.1"]) <= float(r["0.5"]) <= float(r["0.9"]) for r in rows)


def test_scenarios_mix_absolute_and_relative_and_storage_urls(api: httpx.Client) -> None:
    urls = [url for name in COMPLETED for url, _ in _claimed_urls(name, _job(api, name))]
    assert any(u.startswith("http://127.0.0.1:") for u in urls)
    assert any(u.startswith("/jobs/") for u in urls)
    assert any(_is_storage(u) and "expires=" in u for u in urls)


def test_full_scenario_has_every_artifact_format_and_explainability_part(api: httpx.Client) -> None:
    ex = _job(api, "completed_full")["explainability"]
    artifacts = ex["artifacts"]
    assert {a["format"] for a in artifacts} >= {
        "png",
        "svg",
        "plotly_json",
        "html",
        "csv",
        "markdown",
    }
    assert ex["overview_markdown"]
    assert ex["warnings"]
    assert ex["skipped_analyses"]
    assert any(a["is_primary_visual"] for a in artifacts)
    assert any(a["is_thumbnail"] for a in artifacts)
    assert any(a["highlights"] for a in artifacts)
    assert any(a["preview_markdown"] for a in artifacts)


def test_large_and_many_artifact_jobs_are_large_and_say_when_data_is_generated(
    api: httpx.Client,
) -> None:
    large = _job(api, "large_job")
    assert large["num_items"] >= 1000
    assert "synthetic" in large["explainability"]["overview_markdown"]
    assert len(_job(api, "many_artifacts")["explainability"]["artifacts"]) >= 200
