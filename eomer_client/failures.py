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
    AnswerLostError,
    ApiError,
    ConnectError,
    EomerError,
    InvalidJobIdError,
    RequestTimeoutError,
    ResponseError,
    TransportError,
    UnsafeUrlError,
    ValidationError,
    api_error_class,
)
from eomer_client.job_ids import validate_job_id
from eomer_client.models import AcceptedJob, Job, first_problem
from eomer_client.models.upload import AcceptedAnswer
from eomer_client.retry import parse_retry_after

SERVER_MESSAGE_LIMIT = 200
# A 422 lists one problem per bad field; a body listing thousands is cut to the first few.
MAX_PROBLEMS = 20
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


# Failures of these kinds happen before a request has left: no server can have acted on it.
_NOTHING_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.InvalidURL,
    httpx.UnsupportedProtocol,
)


def nothing_sent(exc: BaseException) -> bool:
    """True when the error is of a request that never reached the server (safe to send again)."""
    return isinstance(exc, ConnectError | RequestTimeoutError) and isinstance(
        exc.__cause__, _NOTHING_SENT
    )


def answer_lost(where: str, what: str) -> AnswerLostError:
    """The error for a request that reached `where` but whose answer did not come back whole."""
    return AnswerLostError(
        f"POST {where} was sent but {what}; the API may have started the job anyway."
    )


@contextmanager
def translated_post(where: str) -> Iterator[None]:
    """`translated` for a request that starts work: once it may have been sent, AnswerLostError."""
    try:
        yield
    except _NOTHING_SENT as exc:
        raise _from_httpx(exc, where) from exc
    except httpx.HTTPError as exc:
        raise answer_lost(where, f"no full answer came back ({type(exc).__name__})") from exc


def parse_accepted(content: bytes, where: str) -> AcceptedJob:
    """The 202 answer of POST /forecast: AnswerLostError if unreadable, ResponseError if no ID."""
    try:
        data = json.loads(content)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
        raise answer_lost(where, "its answer could not be read (cut short, or not JSON)") from exc
    try:
        answer = AcceptedAnswer.model_validate(data)
        job_id = validate_job_id(answer.job_id)
    except (pydantic.ValidationError, InvalidJobIdError) as exc:
        raise ResponseError(
            f"POST {where} was accepted but its answer has no usable job_id; the API may have "
            "started a job that cannot be followed."
        ) from exc
    return AcceptedJob(
        job_id=job_id,
        status=answer.status or "pending",
        created_at=answer.created_at,
        prediction_length=answer.prediction_length,
    )


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


def _problem(item: object) -> str:
    """`prediction_length: Input should be ...`: one FastAPI validation error, "body" dropped."""
    if not isinstance(item, dict) or "msg" not in item:
        return str(item)
    loc = item.get("loc")
    parts = [str(part) for part in loc] if isinstance(loc, list) else []
    if parts[:1] == ["body"]:
        parts = parts[1:]
    where = ".".join(parts)
    return f"{where}: {item['msg']}" if where else str(item["msg"])


def problems_of(body: bytes) -> tuple[str, ...]:
    """Each problem of a 422 body's `detail` (a list of validation errors, or one string)."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    detail = data.get("detail") if isinstance(data, dict) else None
    items = detail if isinstance(detail, list) else [detail] if detail else []
    texts = (plain_text(_problem(item).encode()) for item in items[:MAX_PROBLEMS])
    return tuple(text for text in texts if text)


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


def api_error(response: httpx.Response, body: bytes, where: str, method: str = "GET") -> ApiError:
    """The ApiError subclass for an HTTP error answer whose body (or its start) is `body`."""
    header_id = plain_text(response.headers.get("x-request-id", "").encode(), 100) or None
    message, code, body_id = error_fields(body)
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    text = f"{method} {where} answered HTTP {response.status_code}"
    text += f" [{code}]" if code else ""
    text += f": {message}" if message else "."
    if retry_after is not None:
        text += f" Retry after {retry_after:.0f} s."
    kind = api_error_class(response.status_code, code)
    status, request_id = response.status_code, body_id or header_id
    if issubclass(kind, ValidationError):
        return kind(
            text,
            status_code=status,
            problems=problems_of(body),
            error_code=code,
            server_message=message,
            request_id=request_id,
            retry_after=retry_after,
            url=where,
        )
    return kind(
        text,
        status_code=status,
        error_code=code,
        server_message=message,
        request_id=request_id,
        retry_after=retry_after,
        url=where,
    )
