"""Fault injection and the request log, fenced: mounted only when faults are enabled.

Faults match by path prefix or by job ID (a path segment) and apply to every matching request,
or to the next `count` of them. Latency faults add up; the first other matching fault replaces
the response. Routes under /_demo/ are never faulted or logged.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from demo_api.errors import code_for_status, error_body

FaultKind = Literal[
    "latency", "status", "html", "empty", "truncated", "array", "drip", "oversized", "drop"
]


class FaultSpec(BaseModel):
    """One fault, as POSTed to /_demo/faults."""

    kind: FaultKind
    path_prefix: str | None = None
    job_id: str | None = None
    count: Annotated[int | None, Field(ge=1)] = None
    latency_seconds: Annotated[float, Field(ge=0, le=300)] = 1.0
    status: Annotated[int | None, Field(ge=200, le=599)] = None
    retry_after: str | None = None
    error_code: str | None = None
    drip_seconds: Annotated[float, Field(ge=0, le=300)] = 5.0
    chunk_bytes: Annotated[int, Field(ge=1)] = 16
    size_bytes: Annotated[int, Field(ge=1)] = 20 * 1024 * 1024
    declare_length: bool = False

    def matches(self, path: str) -> bool:
        if self.path_prefix is not None and not path.startswith(self.path_prefix):
            return False
        return self.job_id is None or self.job_id in path.split("/")


class ActiveFault(BaseModel):
    """A registered fault and how many more requests it applies to (None: all)."""

    fault_id: int
    spec: FaultSpec
    remaining: int | None


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


async def _start(
    send: Send, status: int, media: str, length: int | None, extra: dict[str, str]
) -> None:
    headers = [(b"content-type", media.encode())]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, str, bytes]:
    """Run the real app and keep its status, content type and body."""
    parts: list[bytes] = []
    meta: dict[str, Any] = {}

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            meta.update(status=message["status"], headers=dict(message.get("headers", [])))
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await app(scope, receive, keep)
    media = meta["headers"].get(b"content-type", b"application/json").decode()
    return int(meta["status"]), media, b"".join(parts)


async def _status(spec: FaultSpec, send: Send) -> None:
    status = spec.status or 503
    body = json.dumps(
        error_body(spec.error_code or code_for_status(status), f"Injected fault: HTTP {status}.")
    ).encode()
    extra = {"retry-after": spec.retry_after} if spec.retry_after is not None else {}
    await _start(send, status, "application/json", len(body), extra)
    await send({"type": "http.response.body", "body": body})


async def _fixed(spec: FaultSpec, send: Send, status: int, media: str, body: bytes) -> None:
    await _start(send, spec.status or status, media, len(body), {})
    await send({"type": "http.response.body", "body": body})


async def _drip(send: Send, spec: FaultSpec, status: int, media: str, body: bytes) -> None:
    chunks = [body[i : i + spec.chunk_bytes] for i in range(0, len(body), spec.chunk_bytes)]
    pause = spec.drip_seconds / max(len(chunks), 1)
    await _start(send, status, media, len(body), {})
    for chunk in chunks:
        # Pausing before each chunk makes the whole body take at least drip_seconds.
        await asyncio.sleep(pause)
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _oversized(spec: FaultSpec, send: Send) -> None:
    head, tail = b'{"job_id": "oversized", "status": "completed", "padding": "', b'"}'
    padding = max(spec.size_bytes - len(head) - len(tail), 0)
    await _start(
        send, 200, "application/json", spec.size_bytes if spec.declare_length else None, {}
    )
    await send({"type": "http.response.body", "body": head, "more_body": True})
    block = b"x" * 65536
    for offset in range(0, padding, len(block)):
        piece = block[: min(len(block), padding - offset)]
        await send({"type": "http.response.body", "body": piece, "more_body": True})
    await send({"type": "http.response.body", "body": tail})


async def _drop(send: Send, status: int, media: str, body: bytes) -> None:
    # Returning before the declared Content-Length is sent makes uvicorn close the socket.
    await _start(send, status, media, len(body), {})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})


HTML_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad "
    b"Gateway</h1></center><hr><center>nginx</center></body></html>"
)


async def _apply(app: ASGIApp, spec: FaultSpec, scope: Scope, receive: Receive, send: Send) -> None:
    simple: dict[str, Callable[[], Awaitable[None]]] = {
        "status": lambda: _status(spec, send),
        "html": lambda: _fixed(spec, send, 502, "text/html; charset=utf-8", HTML_PAGE),
        "empty": lambda: _fixed(spec, send, 200, "application/json", b""),
        "oversized": lambda: _oversized(spec, send),
    }
    if spec.kind in simple:
        return await simple[spec.kind]()
    status, media, body = await _capture(app, scope, receive)
    if spec.kind == "truncated":
        await _fixed(spec, send, status, media, body[: len(body) // 2])
    elif spec.kind == "array":
        await _fixed(spec, send, status, media, b"[" + body + b"]")
    elif spec.kind == "drip":
        await _drip(send, spec, status, media, body)
    else:
        await _drop(send, status, media, body)


class FaultMiddleware:
    """ASGI middleware: log the request, then delay, replace or break its response."""

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
        await _apply(self.app, spec, scope, receive, send)


def _router(registry: FaultRegistry) -> APIRouter:
    router = APIRouter(prefix="/_demo")

    @router.get("/faults")
    async def list_faults() -> list[ActiveFault]:
        return registry.faults

    @router.post("/faults", status_code=201)
    async def add_fault(request: Request) -> ActiveFault:
        # Parsed here, not as a `spec: FaultSpec` parameter: FastAPI 0.165 builds a body
        # parameter's field on the first matching request, in the server's thread, and pydantic
        # 2.14 can warn there (UnsupportedFieldAttributeWarning for alias 'spec'), which turned
        # into a 500 when warnings are errors.
        try:
            spec = FaultSpec.model_validate_json(await request.body())
        except ValidationError as err:
            raise RequestValidationError(err.errors()) from err
        return registry.add(spec)

    @router.post("/faults/reset")
    async def reset_faults() -> dict[str, str]:
        registry.reset()
        return {"status": "reset"}

    @router.get("/requests")
    async def list_requests(request: Request) -> list[dict[str, Any]]:
        return list(registry.requests)

    return router


def install(app: FastAPI) -> FaultRegistry:
    """Mount the fault routes and middleware on `app` (call before it starts)."""
    registry = FaultRegistry()
    app.state.faults = registry
    app.add_middleware(FaultMiddleware, registry=registry)
    app.include_router(_router(registry))
    return registry
