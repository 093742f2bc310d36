"""Tokens map to tenants; each tenant sees only its own copy of the scenarios."""

from __future__ import annotations

import httpx
import pytest

from demo_api.seeded.scenarios import SCENARIO_IDS, scenario_ids
from demo_api.settings import tokens_from_env
from tests.demo_api.conftest import OTHER_TOKEN

JOB = SCENARIO_IDS["completed_full"]


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic ZGVtbzpkZW1v", "Bearer"])
def test_missing_or_wrong_token_is_401_auth_failed(demo_url: str, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = httpx.get(f"{demo_url}/jobs/{JOB}", headers=headers, timeout=60)
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"], "error_code": "auth_failed"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_another_tenants_job_is_404_job_not_found(demo_url: str) -> None:
    other = {"Authorization": f"Bearer {OTHER_TOKEN}"}
    response = httpx.get(f"{demo_url}/jobs/{JOB}", headers=other, timeout=60)
    assert response.status_code == 404
    assert response.json()["error_code"] == "job_not_found"


def test_each_tenant_has_its_own_ids_for_the_same_scenarios(demo_url: str) -> None:
    other = httpx.get(
        f"{demo_url}/_demo/scenarios", headers={"Authorization": f"Bearer {OTHER_TOKEN}"}
    ).json()
    ids = {row["scenario"]: row["job_id"] for row in other}
    assert ids == scenario_ids("other")
    assert not set(ids.values()) & set(SCENARIO_IDS.values())
    job = httpx.get(
        f"{demo_url}/jobs/{ids['completed_full']}",
        headers={"Authorization": f"Bearer {OTHER_TOKEN}"},
        timeout=60,  # the first read of a seeded forecast waits for its computation
    )
    assert job.status_code == 200


def test_demo_tenant_scenarios_are_listed_with_the_fixed_ids(api: httpx.Client) -> None:
    rows = api.get("/_demo/scenarios").json()
    assert {row["scenario"]: row["job_id"] for row in rows} == dict(SCENARIO_IDS)
    assert len([r for r in rows if r["scenario"].startswith("failed_")]) == 19


def test_scenario_ids_are_stable_uuids() -> None:
    assert scenario_ids("demo") == scenario_ids("demo") == dict(SCENARIO_IDS)
    assert all(len(job_id) == 36 for job_id in SCENARIO_IDS.values())


def test_tokens_env_adds_tenants_to_the_default_token() -> None:
    tokens = tokens_from_env({"EOMER_DEMO_TOKENS": "tok-a:alpha, tok-b:beta"})
    assert tokens == {"demo-token": "demo", "tok-a": "alpha", "tok-b": "beta"}


def test_malformed_tokens_env_is_refused() -> None:
    with pytest.raises(ValueError, match="token:tenant"):
        tokens_from_env({"EOMER_DEMO_TOKENS": "no-colon-here"})
