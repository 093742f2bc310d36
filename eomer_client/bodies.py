"""Reading response bodies within a byte cap and a deadline, and what a read body holds."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from eomer_client.errors import ContentTooLargeError, RequestTimeoutError
from eomer_client.retry import Deadline
from eomer_client.urls import display_url


@dataclass(frozen=True)
class Fetched:
    """A fetched body with its checked content type (lower-case, no parameters)."""

    content: bytes
    content_type: str
    url: str


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


def _spellings(char: str) -> bytes:
    """Every way one character of a token can be written in JSON, HTML or a URL, as a regex."""
    code = ord(char)
    ways = [
        re.escape(char.encode()),
        rb"\\u0*%x" % code,  # JSON, any case: \u002f, \u002F
        rb"&#0*%d;?" % code,  # HTML, decimal
        rb"&#x0*%x;?" % code,  # HTML, hexadecimal
        rb"%%%02x" % code,  # URL encoding
    ]
    if char == "/":
        ways.append(rb"\\/")  # PHP's default JSON encoding of a slash
    return b"(?:" + b"|".join(ways) + b")"


def _secret_pattern(secret: str) -> re.Pattern[bytes]:
    # Printable ASCII only (checked_token), so each character has a fixed set of spellings.
    return re.compile(b"".join(_spellings(char) for char in secret), re.IGNORECASE)


# Job answers, markdown, HTML and reports are read for every escaped spelling; past this size
# (forecast files of hundreds of MB) the pattern would cost seconds, so only the token as written
# is blanked there.
FULL_SCAN_BYTES = 2 * 1024 * 1024


def without_secret(body: bytes, secret: str) -> bytes:
    """`body` with every echo of `secret` blanked out, however it is escaped or encoded."""
    if len(body) > FULL_SCAN_BYTES:
        raw = secret.encode()
        return body.replace(raw, b"***") if raw in body else body
    return _secret_pattern(secret).sub(b"***", body)
