"""The one place where httpx's and pydantic's exceptions, and HTTP error answers, become ours."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import nh3
import pydantic

from eomer_client.errors import (
    ApiError,
    ConnectError,
    EomerError,
    RequestTimeoutError,
    ResponseError,
    TransportError,
    UnsafeUrlError,
    api_error_class,
)
from eomer_client.models import Job, first_problem
from eomer_client.retry import parse_retry_after

SERVER_MESSAGE_LIMIT = 200
# Only the start of an error body is read for its message: cleaning a body of any size, however
# hostile, then costs the same few microseconds (tag patterns over a whole 64 KiB body of
# `<script` took seconds of CPU under the GIL, freezing every session).
BODY_SCAN_BYTES = 8192
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]+")

# httpx's exceptions, most specific first, with the class and message each becomes; messages
# name the URL without its query (which may hold a signature) and never a header.
_HTTPX_FAILURES: tuple[tuple[tuple[type[Exception], ...], type[EomerError], str], ...] = (
    ((httpx.TimeoutException,), RequestTimeoutError, "{where} did not answer in time ({name})."),
    (
        (httpx.NetworkError, httpx.ProtocolError, httpx.ProxyError),
        ConnectError,
        "The connection to {where} failed ({name}).",
    ),
    ((httpx.InvalidURL,), UnsafeUrlError, "{where} is not a valid URL."),
    ((httpx.UnsupportedProtocol,), UnsafeUrlError, "The link {where} cannot be fetched ({name})."),
    ((httpx.DecodingError,), ResponseError, "{where} sent a body that could not be decoded."),
    ((httpx.HTTPError,), TransportError, "Fetching {where} failed ({name})."),
)


def _from_httpx(exc: Exception, where: str) -> EomerError:
    for kinds, ours, template in _HTTPX_FAILURES:
        if isinstance(exc, kinds):
            return ours(template.format(where=where, name=type(exc).__name__))
    return TransportError(f"Fetching {where} failed ({type(exc).__name__}).")


@contextmanager
def translated(where: str) -> Iterator[None]:
    """Turn any httpx exception raised in the block into the client's error about `where`."""
    try:
        yield
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise _from_httpx(exc, where) from exc


def parse_job(content: bytes, content_type: str, where: str) -> Job:
    """A job from a success answer's body, or ResponseError saying what the body was instead."""
    try:
        return Job.model_validate_json(content)
    except pydantic.ValidationError as exc:
        raise ResponseError(_unreadable(content, content_type, where, exc)) from exc


def _unreadable(
    content: bytes, content_type: str, where: str, exc: pydantic.ValidationError
) -> str:
    if not content.strip():
        return f"{where} answered with an empty body instead of a job."
    if "html" in content_type or content.lstrip()[:1] == b"<":
        return f"{where} answered with an HTML page instead of a job."
    return f"{where} answered with something that is not a readable job ({first_problem(exc)})."


def plain_text(body: bytes, limit: int = SERVER_MESSAGE_LIMIT) -> str:
    """A short, tag-free, single-line rendering of a body that may be HTML."""
    text = body[:BODY_SCAN_BYTES].decode("utf-8", errors="replace")
    # ammonia (through nh3) parses HTML in linear time; no tags kept, script and style dropped.
    # A space after every tag keeps the words of adjacent elements apart once tags are gone.
    text = html.unescape(nh3.clean(text.replace(">", "> "), tags=set()))
    text = _SPACE_OR_CONTROL.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _detail_text(detail: object) -> str:
    """FastAPI's `detail`: a string, or a list of validation errors with `loc` and `msg`."""
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict) and "msg" in item:
                loc = item.get("loc")
                where = ".".join(str(p) for p in loc) if isinstance(loc, list) else ""
                parts.append(f"{where}: {item['msg']}" if where else str(item["msg"]))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return "" if detail is None else str(detail)


def error_fields(body: bytes) -> tuple[str | None, str | None, str | None]:
    """Server message, error code and request ID from any error body, JSON or not."""
    try:
        data = json.loads(body)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError alike
        data = None
    if not isinstance(data, dict):
        return plain_text(body) or None, None, None
    message = _detail_text(data.get("detail")) or _detail_text(data.get("message"))
    code = data.get("error_code")
    request_id = data.get("request_id")
    return (
        plain_text(message.encode()) or None,
        plain_text(str(code).encode(), 64) if code is not None else None,
        plain_text(str(request_id).encode(), 100) if request_id is not None else None,
    )


def api_error(response: httpx.Response, body: bytes, where: str) -> ApiError:
    """The ApiError subclass for an HTTP error answer whose body (or its start) is `body`."""
    header_id = plain_text(response.headers.get("x-request-id", "").encode(), 100) or None
    message, code, body_id = error_fields(body)
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    text = f"GET {where} answered HTTP {response.status_code}"
    text += f" [{code}]" if code else ""
    text += f": {message}" if message else "."
    if retry_after is not None:
        text += f" Retry after {retry_after:.0f} s."
    return api_error_class(response.status_code, code)(
        text,
        status_code=response.status_code,
        error_code=code,
        server_message=message,
        request_id=body_id or header_id,
        retry_after=retry_after,
        url=where,
    )
