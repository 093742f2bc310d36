"""The `GET /jobs/{job_id}` body: every field of the reference page, null where not applicable."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

import statsmodels

from demo_api.models.artifacts import EXTENSIONS, ArtifactSpec, Explainability
from demo_api.models.data_sets import covariate_metadata
from demo_api.models.presets import model_version
from demo_api.records import DemoJobRecord
from demo_api.state import DemoState

STORAGE_TTL_SECONDS = 900
MODEL_VERSION = f"statsmodels-{statsmodels.__version__}-ets"


def storage_signature(secret: bytes, path: str, expires: int) -> str:
    """HMAC over path and expiry: what makes a /_storage URL usable without a token."""
    return hmac.new(secret, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()[:32]


class Links:
    """Builds a job's URLs: absolute or relative per scenario, API path or presigned storage."""

    def __init__(self, state: DemoState, base_url: str, record: DemoJobRecord) -> None:
        now = state.clock.time()
        self._base = base_url.rstrip("/") if record.scenario.absolute_urls else ""
        self._job = f"/jobs/{record.job_id}"
        self._storage = f"/_storage/{record.job_id}"
        self._secret = state.secret
        # Rounded so the same URL is handed out for a few minutes (and the body stays cacheable).
        self._expires = (int(now) // 300 + 1) * 300 + STORAGE_TTL_SECONDS

    def api(self, suffix: str) -> str:
        return f"{self._base}{self._job}{suffix}"

    def storage(self, filename: str, *, inline: bool) -> str:
        path = f"{self._storage}/{filename}"
        signature = storage_signature(self._secret, path, self._expires)
        query = f"expires={self._expires}&signature={signature}"
        return f"{self._base}{path}?{query}" + ("&inline=1" if inline else "")

    def artifact(self, spec: ArtifactSpec, *, embed: bool) -> str | None:
        if embed and not spec.embeddable:
            return None
        if spec.storage:
            return self.storage(f"{spec.artifact_id}.{EXTENSIONS[spec.format]}", inline=embed)
        return self.api(f"/artifacts/{spec.artifact_id}" + ("/embed" if embed else ""))


def _timestamp(value: datetime | None, zulu: bool) -> str | None:
    if value is None:
        return None
    text = value.isoformat(timespec="seconds")
    return text.replace("+00:00", "Z") if zulu else text


def _artifact_json(spec: ArtifactSpec, order: int, links: Links, job_id: str) -> dict[str, Any]:
    return {
        "artifact_id": spec.artifact_id,
        "analysis": spec.analysis,
        "label": spec.label,
        "format": spec.format,
        "output_path": f"jobs/{job_id}/explainability/{spec.artifact_id}.{EXTENSIONS[spec.format]}",
        "download_url": links.artifact(spec, embed=False),
        "embed_url": links.artifact(spec, embed=True),
        "description": spec.description,
        "render_inline": spec.render_inline,
        "preview_markdown": spec.preview_markdown,
        "highlights": list(spec.highlights),
        "display_order": order,
        "is_primary_visual": spec.is_primary_visual,
        "is_thumbnail": spec.is_thumbnail,
    }


def explainability_json(
    explained: Explainability | None, links: Links, record: DemoJobRecord
) -> dict[str, Any]:
    """The ExplainabilitySummaryResponse object (all defaults while the job is not done)."""
    ex = explained or Explainability(enabled=False)
    return {
        "enabled": ex.enabled,
        "overview_markdown": ex.overview_markdown,
        "selected_analyses": list(ex.selected),
        "completed_analyses": list(ex.completed),
        "skipped_analyses": dict(ex.skipped),
        "warnings": list(ex.warnings),
        "artifacts": [
            _artifact_json(spec, i, links, record.job_id) for i, spec in enumerate(ex.artifacts)
        ],
        "summary_path": f"jobs/{record.job_id}/explainability/summary.json" if ex.enabled else None,
    }


def _delivery(record: DemoJobRecord) -> dict[str, str | None]:
    kind = record.scenario.delivery if record.status == "completed" else None
    if kind == "delivered":
        uri = f"s3://eomer-demo-deliveries/{record.tenant}/{record.job_id}/forecast.csv"
        return {
            "delivery_status": "delivered",
            "delivery_connection_id": "conn_demo_s3",
            "delivery_uri": uri,
            "delivery_error": None,
        }
    if kind == "failed":
        return {
            "delivery_status": "failed",
            "delivery_connection_id": "conn_demo_warehouse",
            "delivery_uri": "snowflake://demo-account/FORECASTS/PUBLIC/DEMO",
            "delivery_error": "Permission denied: role EOMER_WRITER cannot write to "
            "FORECASTS.PUBLIC.DEMO.",
        }
    return dict.fromkeys(
        ("delivery_status", "delivery_connection_id", "delivery_uri", "delivery_error")
    )


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _identity(record: DemoJobRecord) -> dict[str, str | None]:
    """config_hash and model_version: an upload's from what it asked for."""
    running = record.status != "pending"
    if record.upload is not None:
        return {
            "config_hash": record.upload.config_hash(),
            "model_version": model_version(record.upload.preset) if running else None,
        }
    return {
        "config_hash": _hash(record.scenario.name, record.prediction_length)[:16],
        "model_version": MODEL_VERSION if running else None,
    }


def job_body(state: DemoState, base_url: str, record: DemoJobRecord) -> dict[str, Any]:
    """The full job body as a request to `base_url` sees it (absolute links start with it)."""
    links = Links(state, base_url, record)
    result, done = record.result, record.status == "completed"
    explained = result.explainability if result else None
    zulu = record.scenario.zulu
    dataset_hash: str | None = None
    covariates: dict[str, object] = {}
    if record.upload is not None:
        # The uploaded bytes' own hash, known from the moment the file was accepted.
        dataset_hash = record.upload.dataset_hash
    elif result is not None:
        data = result.dataset
        dataset_hash = state.memo.get(("dataset_hash", data.name), data.content_hash)
        if record.scenario.covariates:
            covariates = state.memo.get(("covariates", data.name), lambda: covariate_metadata(data))
    return {
        "job_id": record.job_id,
        "status": record.status,
        "created_at": _timestamp(record.created_at, zulu),
        "completed_at": _timestamp(record.completed_at, zulu),
        "elapsed_seconds": record.elapsed_seconds,
        "num_items": record.num_items,
        "prediction_length": record.prediction_length,
        "error": record.error,
        "error_code": record.error_code,
        "download_url": links.api("/download") if done else None,
        "report_url": links.api("/report") if done and result else None,
        "external_covariate_metadata": covariates,
        "explainability": explainability_json(explained, links, record),
        "explainability_url": links.api("/explainability")
        if explained and explained.enabled
        else None,
        "forecast_plot_url": links.api("/plot") if done else None,
        "request_id": "req_" + _hash(record.job_id, "request")[:20],
        "dataset_hash": dataset_hash,
        **_identity(record),
        **_delivery(record),
    }
