"""Fault injection and the request log: routes under /_demo/ and a middleware, for tests only."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from demo_api.dependencies import State, Tenant
from demo_api.routes import serve
from demo_api.state import DemoState
from demo_api.testing.fault_responses import apply_fault
from demo_api.testing.fault_specs import ActiveFault, FaultSpec

_KEY = "faults"


class FaultRegistry:
    """The faults and the request log of one app instance."""

    def __init__(self) -> None:
        self.faults: list[ActiveFault] = []
        self.requests: deque[dict[str, Any]] = deque(maxlen=10_000)
        self._ids = itertools.count(1)

    def add(self, spec: FaultSpec) -> ActiveFault:
        fault = ActiveFault(fault_id=next(self._ids), spec=spec, remaining=spec.count)
        self.faults.append(fault)
        return fault

    def reset(self) -> None:
        self.faults.clear()
        self.requests.clear()

    def record(self, scope: Scope) -> None:
        headers = dict(scope["headers"])
        self.requests.append(
            {
                "method": scope["method"],
                "path": scope["path"],
                # Whether a token was sent, never the token itself.
                "authorization": b"authorization" in headers,
                "timestamp": datetime.now(UTC).isoformat(),
            }
        )

    def take(self, path: str) -> list[FaultSpec]:
        """Matching latency faults plus the first other one, each using up one of its count."""
        chosen: list[ActiveFault] = []
        for fault in self.faults:
            if fault.spec.matches(path) and (
                fault.spec.kind == "latency" or all(c.spec.kind == "latency" for c in chosen)
            ):
                chosen.append(fault)
        for fault in chosen:
            if fault.remaining is not None:
                fault.remaining -= 1
        self.faults = [f for f in self.faults if f.remaining is None or f.remaining > 0]
        return [f.spec for f in chosen]


class FaultMiddleware:
    """ASGI middleware: log the request, then delay, replace or break its response.

    Faults match by path prefix or by job ID (a path segment) and apply to every matching
    request, or to the next `count` of them. Latency faults add up; the first other matching
    fault replaces the response. Routes under /_demo/ are never faulted or logged.
    """

    def __init__(self, app: ASGIApp, registry: FaultRegistry) -> None:
        self.app = app
        self.registry = registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_demo/"):
            return await self.app(scope, receive, send)
        self.registry.record(scope)
        specs = self.registry.take(scope["path"])
        delay = sum(s.latency_seconds for s in specs if s.kind == "latency")
        if delay:
            await asyncio.sleep(delay)
        spec = next((s for s in specs if s.kind != "latency"), None)
        if spec is None:
            return await self.app(scope, receive, send)
        await apply_fault(self.app, spec, scope, receive, send)


async def registry_of(state: State) -> FaultRegistry:
    """The fault registry `install` gave this app."""
    registry = state.apparatus[_KEY]
    assert isinstance(registry, FaultRegistry)
    return registry


Registry = Annotated[FaultRegistry, Depends(registry_of)]
router = APIRouter(prefix="/_demo")


@router.get("/faults")
async def list_faults(registry: Registry) -> list[ActiveFault]:
    return registry.faults


@router.post("/faults", status_code=201)
async def add_fault(request: Request, registry: Registry) -> ActiveFault:
    # Parsed here, not as a `spec: FaultSpec` parameter: FastAPI models every declared body
    # parameter, which makes pydantic warn (UnsupportedFieldAttributeWarning for alias 'spec');
    # a warning in a server thread is a 500 where warnings are errors.
    try:
        spec = FaultSpec.model_validate_json(await request.body())
    except ValidationError as err:
        raise RequestValidationError(err.errors()) from err
    return registry.add(spec)


@router.post("/faults/reset")
async def reset_faults(registry: Registry) -> dict[str, str]:
    registry.reset()
    return {"status": "reset"}


@router.get("/requests")
async def list_requests(registry: Registry) -> list[dict[str, Any]]:
    return list(registry.requests)


@router.get("/uploads")
async def list_uploads(state: State, tenant: Tenant) -> list[dict[str, str]]:
    """The jobs the caller's uploads created, oldest first: did a lost answer make one or two?"""
    return [
        {
            "job_id": job.pending.job_id,
            "created_at": job.pending.created_at.isoformat().replace("+00:00", "Z"),
            "filename": job.options.filename,
            "presets": job.options.preset,
        }
        for job in list(state.uploads.values())
        if job.tenant == tenant
    ]


def install(app: FastAPI, state: DemoState) -> FaultRegistry:
    """Mount the fault routes and middleware on `app` (call before it starts)."""
    registry = FaultRegistry()
    state.apparatus[_KEY] = registry
    app.add_middleware(FaultMiddleware, registry=registry)
    serve(app, router)
    return registry
