"""How each kind of fault breaks a response: replaced, cut, wrapped, dripped, padded or dropped."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from demo_api.errors import code_for_status, error_body
from demo_api.testing.fault_specs import FaultSpec


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


async def _hang_up(send: Send) -> None:
    """Close the connection before a single byte of the answer is written."""
    # ASGI has no message for that, so a response head no HTTP server can write is started
    # instead: uvicorn marks the response begun, h11 refuses the head before anything is
    # written, and uvicorn closes the connection, as a crash or a proxy timeout after the work
    # would (tests/demo_api/test_upload_faults.py checks that not one byte arrives).
    head = [(b"x-demo-fault", b"accept_then_drop\r\n")]
    try:
        await send({"type": "http.response.start", "status": 202, "headers": head})
    except h11.LocalProtocolError:
        return


HTML_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad "
    b"Gateway</h1></center><hr><center>nginx</center></body></html>"
)


async def apply_fault(
    app: ASGIApp, spec: FaultSpec, scope: Scope, receive: Receive, send: Send
) -> None:
    """Answer in place of `app` as `spec` says (the app runs first where its body is needed)."""
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
    elif spec.kind == "accept_then_drop":
        await _hang_up(send)
    else:
        await _drop(send, status, media, body)
