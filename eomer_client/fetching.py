"""Reading HTTP responses within limits, and turning failures into the client's errors."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from eomer_client.errors import (
    ApiError,
    AuthError,
    ConnectError,
    ContentTooLargeError,
    NotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseError,
    ServerError,
    TransportError,
    UnsafeUrlError,
)
from eomer_client.retry import Deadline, parse_retry_after
from eomer_client.urls import display_url

# An error page is only read for its message; anything past this is noise.
ERROR_BODY_LIMIT = 64 * 1024
SERVER_MESSAGE_LIMIT = 200
_INVISIBLE_BLOCKS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]+")


@contextmanager
def httpx_errors(url: httpx.URL) -> Iterator[None]:
    """The one place httpx exceptions become the client's errors (messages name no header)."""
    where = display_url(url)
    try:
        yield
    except httpx.TimeoutException as exc:
        raise RequestTimeoutError(
            f"{where} did not answer in time ({type(exc).__name__})."
        ) from exc
    except (httpx.NetworkError, httpx.ProtocolError, httpx.ProxyError) as exc:
        raise ConnectError(f"The connection to {where} failed ({type(exc).__name__}).") from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise UnsafeUrlError(f"The link {where} cannot be fetched ({type(exc).__name__}).") from exc
    except httpx.DecodingError as exc:
        raise ResponseError(f"{where} sent a body that could not be decoded.") from exc
    except httpx.HTTPError as exc:
        raise TransportError(f"Fetching {where} failed ({type(exc).__name__}).") from exc


def content_type_of(response: httpx.Response) -> str:
    """The media type, lower-case, without parameters such as charset."""
    header: str = response.headers.get("content-type", "")
    return header.split(";", 1)[0].strip().lower()


def read_prefix(response: httpx.Response, limit: int, deadline: Deadline) -> bytes:
    """At most `limit` + 1 decoded bytes (one more than allowed means there was more)."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            return bytes(body[: limit + 1])
        if deadline.expired:
            raise RequestTimeoutError(
                f"{display_url(response.url)} was still sending after the time limit; stopped."
            )
    return bytes(body)


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:.1f} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def read_capped(response: httpx.Response, max_bytes: int, deadline: Deadline) -> bytes:
    """The whole decoded body, or ContentTooLargeError once it passes `max_bytes`."""
    where = display_url(response.url)
    declared = response.headers.get("content-length", "")
    # A declared size is only trusted to refuse early; the decoded count is what really counts.
    encoded = "content-encoding" in response.headers
    if declared.isdigit() and not encoded and int(declared) > max_bytes:
        raise ContentTooLargeError(f"{where} is larger than {_size(max_bytes)}.")
    body = read_prefix(response, max_bytes, deadline)
    if len(body) > max_bytes:
        raise ContentTooLargeError(f"{where} is larger than {_size(max_bytes)}; stopped reading.")
    return body


def without_secret(body: bytes, secret: str) -> bytes:
    """`body` with every echo of `secret` blanked out, so no page can ever show it."""
    raw = secret.encode()
    return body.replace(raw, b"***") if raw in body else body


def plain_text(body: bytes, limit: int = SERVER_MESSAGE_LIMIT) -> str:
    """A short, tag-free, single-line rendering of a body that may be HTML."""
    text = body.decode("utf-8", errors="replace")
    text = html.unescape(_TAGS.sub(" ", _INVISIBLE_BLOCKS.sub(" ", text)))
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


def _error_class(status: int) -> type[ApiError]:
    if status in {401, 403}:
        return AuthError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitedError
    return ServerError if status >= 500 else ApiError


def api_error(response: httpx.Response, deadline: Deadline) -> ApiError:
    """The ApiError subclass for an HTTP error response, read within limits."""
    body = read_prefix(response, ERROR_BODY_LIMIT, deadline)
    header_id = plain_text(response.headers.get("x-request-id", "").encode(), 100) or None
    message, code, body_id = error_fields(body)
    request_id = body_id or header_id
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    text = f"GET {display_url(response.url)} answered HTTP {response.status_code}"
    text += f" [{code}]" if code else ""
    text += f": {message}" if message else "."
    if retry_after is not None:
        text += f" Retry after {retry_after:.0f} s."
    return _error_class(response.status_code)(
        text,
        status_code=response.status_code,
        error_code=code,
        server_message=message,
        request_id=request_id,
        retry_after=retry_after,
    )
