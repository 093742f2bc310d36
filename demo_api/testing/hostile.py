"""Hostile-content mode, fenced: jobs whose every text and URL field is an attack; their routes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response

from demo_api.dependencies import State, Tenant
from demo_api.errors import DemoApiError
from demo_api.routes import serve
from demo_api.state import DemoState
from demo_api.testing import hostile_payloads as attack
from demo_api.testing.hostile_jobs import StatusPolls, hostile_job
from demo_api.testing.hostile_scenarios import (
    HOSTILE_SCENARIOS,
    REDIRECTS,
    bearer_token,
    hostile_ids,
)

__all__ = ["HOSTILE_SCENARIOS", "hostile_ids", "install"]

# Mounted only when `settings.hostile` is set. Each scenario is named for what it tries; links
# point at `settings.hostile_beacon_url` (a recorder on another loopback address), at private and
# metadata addresses that must never be contacted, or at the `/_hostile/...` routes below, which
# serve hostile documents, redirect to forbidden places, or answer errors that echo the token.

# Content type each `?as=` lie is served with, whatever the bytes are.
_CLAIMED_TYPES: Mapping[str, str] = {"png": "image/png", "html": "text/html; charset=utf-8"}


def _beacon(state: DemoState) -> str:
    return state.settings.hostile_beacon_url.rstrip("/")


def _owned(tenant: str, job_id: str) -> None:
    if job_id not in hostile_ids(tenant).values():
        raise DemoApiError("job_not_found", f"Job {job_id} not found.")


def _documents(beacon: str) -> Mapping[str, tuple[Callable[[], bytes], str]]:
    """Document name -> (body, honest content type)."""
    return {
        "links.md": (lambda: attack.markdown_links(beacon).encode(), "text/markdown"),
        "raw.md": (lambda: attack.raw_html(beacon).encode(), "text/markdown"),
        "cells.csv": (lambda: attack.csv_cells(beacon), "text/csv"),
        "pixel.png": (lambda: attack.PIXEL, "image/png"),
        "page.html": (lambda: attack.html_document(beacon).encode(), "text/html; charset=utf-8"),
        "page.bin": (lambda: attack.html_document(beacon).encode(), "application/octet-stream"),
        "image.svg": (lambda: attack.svg_document(beacon).encode(), "image/svg+xml"),
        "figure.json": (lambda: attack.plotly_figure(beacon), "application/json"),
    }


def _error(kind: str, beacon: str, token: str) -> Response:
    text = attack.hostile_text(beacon)
    if kind == "html":
        return Response(attack.html_document(beacon), 500, media_type="text/html")
    if kind == "unauthorized":
        body = {"detail": f"{text} Unknown token {token}", "error_code": "auth_failed"}
        challenge = f'Bearer error="<img src={beacon}/challenge.png> [x](javascript:alert(1))"'
        headers = {"WWW-Authenticate": challenge, "X-Request-ID": token}
        return Response(json.dumps(body), 401, headers=headers, media_type="application/json")
    detail = f"{text} {attack.raw_html(beacon)}"
    if kind == "token_echo":
        detail = f"The token {token} is not allowed here; Authorization: Bearer {token}"
    body = {"detail": detail, "error_code": f"<script>{attack.PWN}</script>", "request_id": text}
    headers = {"X-Request-ID": f"![r]({beacon}/request-id.png)"}
    return Response(json.dumps(body), 502, headers=headers, media_type="application/json")


router = APIRouter()


@router.get("/_demo/hostile")
def list_hostile(tenant: Tenant) -> list[dict[str, str]]:
    return [{"job_id": job_id, "scenario": name} for name, job_id in hostile_ids(tenant).items()]


@router.get("/_hostile/{job_id}/redirect/{target}")
def redirect(job_id: str, target: str, request: Request, state: State, tenant: Tenant) -> Response:
    _owned(tenant, job_id)
    beacon = _beacon(state)
    location = REDIRECTS[target].format(
        b=beacon,
        bhost=beacon.split("://", 1)[-1],
        a=str(request.base_url).rstrip("/"),
        aport=request.url.port or 80,
        job=job_id,
        token=bearer_token(request),
    )
    return Response(status_code=302, headers={"Location": location})


@router.get("/_hostile/{job_id}/error/{kind}")
def error(job_id: str, kind: str, request: Request, state: State, tenant: Tenant) -> Response:
    _owned(tenant, job_id)
    return _error(kind, _beacon(state), bearer_token(request))


@router.get("/_hostile/{job_id}/{name}")
def document(job_id: str, name: str, request: Request, state: State, tenant: Tenant) -> Response:
    _owned(tenant, job_id)
    documents = _documents(_beacon(state))
    if name not in documents:
        raise DemoApiError("job_not_found", f"No hostile document {name!r}.")
    body, media = documents[name]
    claimed = _CLAIMED_TYPES.get(request.query_params.get("as", ""), media)
    token = bearer_token(request)
    echo = f"\n\nEchoed token: {token}\n".encode() if name.endswith(".md") else b""
    return Response(body() + echo, media_type=claimed)


def _job_route(app: FastAPI, scenario: str, job_id: str, polls: StatusPolls) -> None:
    # Built per app (the IDs depend on its tenants), and declaring no parameters FastAPI would
    # model, so building it cannot warn (see demo_api.routes.serve).
    def get_hostile_job(request: Request, state: State, tenant: Tenant) -> dict[str, Any]:
        _owned(tenant, job_id)
        return hostile_job(state, request, scenario, job_id, polls)

    app.add_api_route(f"/jobs/{job_id}", get_hostile_job, methods=["GET"], name=scenario)


def install(app: FastAPI, state: DemoState) -> None:
    """Mount the hostile jobs and their routes (call before the generic /jobs/{job_id} route)."""
    polls = StatusPolls()
    for tenant in sorted(set(state.settings.tokens.values())):
        for scenario, job_id in hostile_ids(tenant).items():
            _job_route(app, scenario, job_id, polls)
    serve(app, router)
