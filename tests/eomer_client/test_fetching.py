"""fetch() reads within a byte cap and a wall-time deadline, and checks the content type."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator

import httpx
import pytest

from eomer_client.client import EomerClient
from eomer_client.errors import (
    ContentTooLargeError,
    ContentTypeError,
    RequestTimeoutError,
    ServerError,
)
from eomer_client.failures import error_fields, plain_text
from tests.eomer_client.conftest import API, Harness, Recorder

MB = 1024 * 1024


class ChunkStream(httpx.SyncByteStream):
    """A response body produced chunk by chunk, counting how many chunks were pulled."""

    def __init__(self, chunks: Callable[[], Iterator[bytes]]) -> None:
        self.chunks = chunks
        self.pulled = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks():
            self.pulled += 1
            yield chunk


def endless() -> Iterator[bytes]:
    while True:
        yield b"x" * 65536


def respond(
    stream: httpx.SyncByteStream, **headers: str
) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(200, stream=stream, headers=headers)


def test_content_type_is_lower_cased_without_parameters(harness: Harness) -> None:
    response = httpx.Response(200, content=b"png", headers={"content-type": "Image/PNG; q=1"})
    client, _ = harness.client(lambda request: response)
    fetched = client.fetch("/plot", max_bytes=100, accept={"image/png"})
    assert (fetched.content, fetched.content_type) == (b"png", "image/png")


@pytest.mark.parametrize("header", ["text/html; charset=utf-8", ""])
def test_a_type_the_caller_does_not_accept_is_refused(harness: Harness, header: str) -> None:
    headers = {"content-type": header} if header else {}
    response = httpx.Response(200, content=b"<script>", headers=headers)
    client, _ = harness.client(lambda request: response)
    with pytest.raises(ContentTypeError, match="expected image/png, image/svg"):
        client.fetch("/plot", max_bytes=100, accept=["IMAGE/PNG", "image/svg+xml"])


def test_without_accept_any_type_is_returned(harness: Harness) -> None:
    response = httpx.Response(200, content=b"{}", headers={"content-type": "application/json"})
    client, _ = harness.client(lambda request: response)
    assert client.fetch("/x", max_bytes=100).content_type == "application/json"


def test_a_body_of_exactly_max_bytes_is_fine_and_one_more_is_refused(harness: Harness) -> None:
    client, _ = harness.client(
        lambda request: httpx.Response(200, stream=httpx.ByteStream(b"a" * 100))
    )
    assert len(client.fetch("/x", max_bytes=100).content) == 100
    with pytest.raises(ContentTooLargeError, match="larger than 99 bytes; stopped reading"):
        client.fetch("/x", max_bytes=99)


def test_a_gzip_bomb_is_stopped_by_counting_decoded_bytes(harness: Harness) -> None:
    bomb = gzip.compress(b"\0" * (20 * MB))
    assert len(bomb) < 64 * 1024
    stream = ChunkStream(lambda: iter([bomb]))
    client, _ = harness.client(respond(stream, **{"content-encoding": "gzip"}))
    with pytest.raises(ContentTooLargeError, match=r"larger than 1\.0 MB"):
        client.fetch("/x", max_bytes=MB)


def test_an_endless_body_stops_just_past_the_cap(harness: Harness) -> None:
    stream = ChunkStream(endless)
    client, _ = harness.client(respond(stream))
    with pytest.raises(ContentTooLargeError):
        client.fetch("/x", max_bytes=MB)
    assert stream.pulled == MB // 65536 + 1


def test_a_content_length_that_lies_low_does_not_lift_the_cap(harness: Harness) -> None:
    stream = ChunkStream(endless)
    client, _ = harness.client(respond(stream, **{"content-length": "10"}))
    with pytest.raises(ContentTooLargeError):
        client.fetch("/x", max_bytes=MB)


def test_an_honest_content_length_over_the_cap_is_refused_before_reading(
    harness: Harness,
) -> None:
    stream = ChunkStream(endless)
    client, _ = harness.client(respond(stream, **{"content-length": str(5 * MB)}))
    with pytest.raises(ContentTooLargeError, match=r"larger than 1\.0 MB\.$"):
        client.fetch("/x", max_bytes=MB)
    assert stream.pulled == 0


def test_a_slow_drip_stops_at_the_deadline_without_retrying(harness: Harness) -> None:
    def drip() -> Iterator[bytes]:
        while True:
            harness.clock.now += 1.0
            yield b"."

    stream = ChunkStream(drip)
    client, recorder = harness.client(respond(stream))
    with pytest.raises(RequestTimeoutError, match="still sending after the time limit"):
        client.fetch("/x", max_bytes=MB, deadline=5.0)
    assert stream.pulled == 5
    assert len(recorder.requests) == 1


def test_each_request_timeout_is_cut_to_the_time_left(harness: Harness) -> None:
    client, recorder = harness.client(lambda request: httpx.Response(200, content=b"ok"))
    client.fetch("/x", max_bytes=10, deadline=2.0)
    assert recorder.requests[0].extensions["timeout"]["read"] == pytest.approx(2.0)


def test_plain_text_strips_markup_and_control_characters_and_truncates() -> None:
    text = plain_text(b"<b>Oops</b>\x00\x1b[31m &amp; more " + b"y" * 500)
    assert text.startswith("Oops [31m & more y")
    assert len(text) == 200
    assert text.endswith("...")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (b'{"detail": "Nope", "error_code": "auth_failed"}', ("Nope", "auth_failed", None)),
        (b'{"message": "Down", "request_id": 7}', ("Down", None, "7")),
        (b'{"detail": {"why": "x"}}', ("{'why': 'x'}", None, None)),
        (b'{"detail": [1, {"msg": "m"}]}', ("1; m", None, None)),
        (b'["detail"]', ('["detail"]', None, None)),
        (b"", (None, None, None)),
        (b"\xff\xfe", ("\ufffd\ufffd", None, None)),
    ],
)
def test_error_bodies_of_any_shape_give_a_message(
    body: bytes, fields: tuple[str | None, str | None, str | None]
) -> None:
    assert error_fields(body) == fields


def test_the_constructor_timeout_caps_each_request() -> None:
    recorder = Recorder(lambda request: httpx.Response(200, content=b"ok"))
    with httpx.Client(transport=httpx.MockTransport(recorder)) as http:
        EomerClient(API, None, http=http, timeout=3.0).fetch("/x", max_bytes=10)
    assert recorder.requests[0].extensions["timeout"] == {
        "connect": 3.0,
        "read": 3.0,
        "write": 3.0,
        "pool": 3.0,
    }


def test_a_link_fetched_with_one_attempt_is_not_retried(harness: Harness) -> None:
    client, recorder = harness.client(lambda request: httpx.Response(503, text="busy"))
    with pytest.raises(ServerError):
        client.fetch(f"{API}/artifacts/a.png", max_bytes=100, attempts=1)
    assert len(recorder.requests) == 1
    assert harness.clock.sleeps == []
    with pytest.raises(ServerError):
        client.fetch(f"{API}/artifacts/a.png", max_bytes=100)
    assert len(recorder.requests) > 2  # the policy's own retries otherwise
