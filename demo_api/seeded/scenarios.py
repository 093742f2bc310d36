"""The seeded demo jobs: one per scenario and tenant, with IDs derived from both."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from demo_api.errors import ERROR_CODES

# Fixed namespace so every run, and every process, derives the same IDs.
_NAMESPACE = uuid.UUID("5b0e6c1e-3f53-4c1a-9a57-6f2d2f0de0a1")


@dataclass(frozen=True)
class Scenario:
    """How one seeded job looks; `status` "progressing" follows the server's clock."""

    name: str
    status: str
    bundle: str | None = None
    error_code: str | None = None
    absolute_urls: bool = False
    plot_format: str = "plotly_json"
    report_format: str = "markdown"
    delivery: str | None = None
    covariates: bool = False
    # For progressing jobs: the share of progress_seconds spent pending before running.
    pending_share: float = 0.0
    # ... and the share after which it is completed.
    done_share: float = 1.0
    age_seconds: float = 3600.0
    elapsed_seconds: float = 42.0
    zulu: bool = True


FAILURE_MESSAGES: Mapping[str, str] = {
    "validation_error": "Column 'target' contains non-numeric values (row 1187: 'n/a').",
    "invalid_preset": "Unknown preset 'chronos_huge'; use chronos_tiny, chronos_small, ...",
    "file_too_large": "Upload is 212 MB; the limit is 100 MB.",
    "rate_limited": "Too many jobs started in the last minute (limit 10).",
    "server_overloaded": "All forecast workers are busy; the job was not started.",
    "job_not_found": "The parent job this run depends on no longer exists.",
    "job_not_completed": "The upstream job had not completed when this one needed it.",
    "auth_failed": "The storage credentials of this job were revoked.",
    "internal_error": "Unexpected error in the forecast pipeline (request logged).",
    "timeout": "The job exceeded its 900 s time limit while fitting models.",
    "pipeline_failed": "Model fitting failed for 3 of 40 items: singular matrix.",
    "storage_error": "Could not write results to object storage (503 from storage).",
    "gpu_offload_unavailable": "No GPU worker was available to offload this preset.",
    "connection_not_found": "Delivery connection 'conn_missing' does not exist.",
    "connector_error": "The warehouse connector rejected the query: permission denied.",
    "sandbox_domain_used": "Sandbox accounts cannot use the production domain.",
    "sandbox_captcha_failed": "The sandbox sign-up captcha was not solved.",
    "sandbox_dataset_too_large": "Sandbox datasets are limited to 10,000 rows (got 52,113).",
    "sandbox_corporate_email_required": "Sandbox access requires a corporate e-mail address.",
}

_COMPLETED = (
    Scenario("completed_full", "completed", "co2_full", absolute_urls=True, report_format="html"),
    Scenario("completed_no_explainability", "completed", "sunspots", plot_format="png", zulu=False),
    Scenario(
        "completed_delivery_delivered",
        "completed",
        "stocks",
        delivery="delivered",
        report_format="pdf",
    ),
    Scenario(
        "completed_delivery_failed",
        "completed",
        "stocks",
        delivery="failed",
        absolute_urls=True,
        plot_format="png",
    ),
    Scenario("completed_covariates", "completed", "macro", covariates=True, zulu=False),
)
_FAILED = tuple(
    Scenario(f"failed_{code}", "failed", error_code=code, elapsed_seconds=3.5, zulu=i % 2 == 0)
    for i, code in enumerate(ERROR_CODES)
)
_LIVE = (
    Scenario(
        "pending_progressing", "progressing", "sunspots", pending_share=1 / 3, age_seconds=0.0
    ),
    Scenario(
        "running_progressing",
        "progressing",
        "sunspots",
        done_share=2 / 3,
        age_seconds=5.0,
        absolute_urls=True,
    ),
    Scenario("large_job", "completed", "synthetic", elapsed_seconds=1834.0),
    Scenario("many_artifacts", "completed", "gapminder", plot_format="png", absolute_urls=True),
)
SCENARIOS: tuple[Scenario, ...] = (*_COMPLETED, *_FAILED, *_LIVE)
SCENARIOS_BY_NAME: Mapping[str, Scenario] = {s.name: s for s in SCENARIOS}


def scenario_ids(tenant: str) -> dict[str, str]:
    """Scenario name -> job ID for one tenant: stable, and different for every tenant."""
    return {s.name: str(uuid.uuid5(_NAMESPACE, f"{tenant}/{s.name}")) for s in SCENARIOS}


SCENARIO_IDS: Mapping[str, str] = scenario_ids("demo")


def status_at(scenario: Scenario, since_start: float, progress_seconds: float) -> str:
    """The job's status `since_start` seconds after the server started."""
    if scenario.status != "progressing":
        return scenario.status
    if since_start >= scenario.done_share * progress_seconds:
        return "completed"
    return "pending" if since_start < scenario.pending_share * progress_seconds else "running"
