"""The token goes only to the API's own origin, per request and per redirect hop; it never leaks."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from urllib.parse import unquote

import httpx
import pytest

from dashboard.jobs.explanations import explain_error
from eomer_client.bodies import without_secret
from eomer_client.client import EomerClient
from eomer_client.errors import EomerError, UnsafeUrlError
from tests.eomer_client.conftest import API, JOB_ID, TOKEN, Harness, Recorder, job_json


def redirect(location: str, status: int = 302) -> httpx.Response:
    return httpx.Response(status, headers={"location": location})


def routes(table: dict[str, httpx.Response]) -> Callable[[httpx.Request], httpx.Response]:
    """Answer by full URL without query; anything else is a 404."""
    return lambda request: table.get(str(request.url.copy_with(query=None)), httpx.Response(404))


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        ("/jobs/1/plot", True),
        (f"{API}/jobs/1/plot", True),
        ("https://EOMER.test:443/jobs/1/plot", True),
        ("http://eomer.test/jobs/1/plot", False),
        ("https://eomer.test:8443/jobs/1/plot", False),
        ("https://bucket.example.com/plot.png?X-Amz-Signature=s", False),
        ("https://eomer.test.evil.example/plot", False),
    ],
)
def test_the_token_is_sent_only_to_the_api_origin(harness: Harness, url: str, sent: bool) -> None:
    client, recorder = harness.client(lambda request: httpx.Response(200, content=b"x"))
    client.fetch(url, max_bytes=10)
    assert recorder.authorizations() == [f"Bearer {TOKEN}" if sent else None]


def test_a_redirect_to_another_origin_drops_the_token(harness: Harness) -> None:
    client, recorder = harness.client(
        routes(
            {
                f"{API}/jobs/1/report": redirect("https://bucket.example.com/r.html?sig=1"),
                "https://bucket.example.com/r.html": httpx.Response(200, content=b"<p>r</p>"),
            }
        )
    )
    fetched = client.fetch("/jobs/1/report", max_bytes=100)
    assert fetched.url == "https://bucket.example.com/r.html?sig=1"
    assert recorder.authorizations() == [f"Bearer {TOKEN}", None]


def test_a_redirect_back_to_the_api_origin_carries_the_token_again(harness: Harness) -> None:
    client, recorder = harness.client(
        routes(
            {
                "https://cdn.example.com/a": redirect(f"{API}/jobs/1/plot", 307),
                f"{API}/jobs/1/plot": httpx.Response(200, content=b"png"),
            }
        )
    )
    client.fetch("https://cdn.example.com/a", max_bytes=100)
    assert recorder.authorizations() == [None, f"Bearer {TOKEN}"]


def test_an_injected_client_that_follows_redirects_still_gets_per_hop_checks() -> None:
    recorder = Recorder(
        routes(
            {
                f"{API}/jobs/1/plot": redirect("https://bucket.example.com/p.png"),
                "https://bucket.example.com/p.png": httpx.Response(200, content=b"png"),
            }
        )
    )
    transport = httpx.MockTransport(recorder)
    with httpx.Client(transport=transport, follow_redirects=True) as http:
        client = EomerClient(API, TOKEN, http=http, resolver=lambda host, port: ["93.184.216.34"])
        client.fetch("/jobs/1/plot", max_bytes=100)
    assert recorder.authorizations() == [f"Bearer {TOKEN}", None]


def test_a_redirect_from_https_to_http_is_refused(harness: Harness) -> None:
    client, recorder = harness.client(
        routes({f"{API}/jobs/{JOB_ID}": redirect(f"http://eomer.test/jobs/{JOB_ID}", 301)})
    )
    with pytest.raises(UnsafeUrlError, match="from https to http"):
        client.get_job(JOB_ID)
    assert len(recorder.requests) == 1


def test_a_redirect_into_the_private_network_is_refused(harness: Harness) -> None:
    harness.resolver.addresses["internal.example.com"] = ["10.0.0.8"]
    client, recorder = harness.client(
        routes({f"{API}/jobs/1/plot": redirect("https://internal.example.com/admin")})
    )
    with pytest.raises(UnsafeUrlError, match="private address"):
        client.fetch("/jobs/1/plot", max_bytes=100)
    assert len(recorder.requests) == 1


def test_endless_redirects_stop_after_five_hops(harness: Harness) -> None:
    client, recorder = harness.client(lambda request: redirect(str(request.url) + "x"))
    with pytest.raises(UnsafeUrlError, match="redirected more than 5 times"):
        client.fetch("/jobs/1/a", max_bytes=100)
    assert len(recorder.requests) == 6


def test_the_token_is_never_a_default_header_of_a_shared_http_client() -> None:
    recorder = Recorder(lambda request: httpx.Response(200, json=job_json()))
    with httpx.Client(transport=httpx.MockTransport(recorder)) as http:
        alice = EomerClient(API, "alice-token", http=http)
        bob = EomerClient(API, "bob-token", http=http)
        alice.get_jobs([JOB_ID] * 3 + ["x"])
        bob.get_job(JOB_ID)
        alice.get_job(JOB_ID)
        assert "authorization" not in http.headers
    # get_jobs sent alice's two distinct IDs first (in either order), then bob, then alice.
    assert recorder.authorizations() == ["Bearer alice-token"] * 2 + [
        "Bearer bob-token",
        "Bearer alice-token",
    ]


def test_cookies_one_session_receives_are_not_sent_for_another() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=job_json(), headers={"set-cookie": "session=alice; Path=/"})

    recorder = Recorder(handler)
    with httpx.Client(transport=httpx.MockTransport(recorder)) as http:
        EomerClient(API, "alice-token", http=http).get_job(JOB_ID)
        EomerClient(API, "bob-token", http=http).get_job(JOB_ID)
    assert [request.headers.get("cookie") for request in recorder.requests] == [None, None]


def test_closing_a_client_leaves_a_shared_http_client_open() -> None:
    with httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))) as http:
        EomerClient(API, TOKEN, http=http).close()
        assert not http.is_closed


def test_repr_and_str_show_the_base_url_but_never_the_token() -> None:
    with EomerClient(API + "/", TOKEN) as client:
        assert repr(client) == "EomerClient(base_url='https://eomer.test', token='***')"
        assert TOKEN not in str(client)
        assert TOKEN not in repr(vars(client))
    assert repr(EomerClient(API, None)).endswith("token=None)")


def test_a_pasted_token_is_stripped_of_surrounding_whitespace(harness: Harness) -> None:
    client, recorder = harness.client(
        lambda request: httpx.Response(200, json=job_json()), token=f"  {TOKEN}\n"
    )
    client.get_job(JOB_ID)
    assert recorder.authorizations() == [f"Bearer {TOKEN}"]


@pytest.mark.parametrize("bad", [f"{TOKEN} extra", f"{TOKEN}\r\nX-Evil: 1", f"{TOKEN}é"])
def test_a_token_that_would_break_the_header_is_refused_without_echoing_it(bad: str) -> None:
    with pytest.raises(EomerError, match="characters that a token never has") as caught:
        EomerClient(API, bad)
    assert TOKEN not in str(caught.value)


def test_no_token_means_no_authorization_header(harness: Harness) -> None:
    client, recorder = harness.client(lambda r: httpx.Response(200, json=job_json()), token=None)
    client.get_job(JOB_ID)
    assert recorder.authorizations() == [None]


ECHO = f"Invalid credentials: Bearer {TOKEN}"
HOSTILE: list[httpx.Response | Exception] = [
    httpx.Response(401, json={"detail": ECHO, "error_code": TOKEN, "request_id": TOKEN}),
    httpx.Response(403, html=f"<h1>{ECHO}</h1>", headers={"x-request-id": TOKEN}),
    httpx.Response(404, text=ECHO),
    httpx.Response(422, json={"detail": [{"loc": ["header", TOKEN], "msg": ECHO}]}),
    httpx.Response(429, json={"detail": ECHO}, headers={"retry-after": "9999"}),
    httpx.Response(500, text=ECHO),
    httpx.Response(502, html=f"<pre>{ECHO}</pre>"),
    httpx.Response(200, text=ECHO),
    httpx.Response(200, html=f"<p>{ECHO}</p>"),
    httpx.Response(200, json={"job_id": JOB_ID, "status": {"echo": ECHO}}),
    httpx.Response(200, json=job_json(job_id=TOKEN)),
    httpx.Response(302, headers={"location": f"http://eomer.test/{TOKEN}"}),
    httpx.Response(302, headers={"location": f"https://10.0.0.1/{TOKEN}"}),
    httpx.ConnectError(ECHO),
    httpx.ReadTimeout(ECHO),
    httpx.RemoteProtocolError(ECHO),
    httpx.DecodingError(ECHO),
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_error_message_ever_contains_the_token(
    harness: Harness, hostile: httpx.Response | Exception
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(hostile, Exception):
            raise hostile
        return hostile

    client, _ = harness.client(handler, attempts=2)
    with pytest.raises(EomerError) as caught:
        client.get_job(JOB_ID)
    err = caught.value
    explanation = explain_error(err)
    texts = [str(err), repr(err), err.message, explanation.summary, explanation.next_step]
    texts += [str(value) for value in vars(err).values()]
    texts += [str(err.__cause__), str(err.__context__)]
    assert not [text for text in texts if TOKEN in text]


def test_fetch_errors_never_contain_the_token_either(harness: Harness) -> None:
    client, _ = harness.client(lambda request: httpx.Response(200, text=ECHO * 100))
    for kwargs in ({"max_bytes": 10}, {"max_bytes": 10_000, "accept": ["image/png"]}):
        with pytest.raises(EomerError) as caught:
            client.fetch("/jobs/1/plot", **kwargs)
        assert TOKEN not in str(caught.value)


def _escaped_spellings(token: str) -> list[str]:
    """The token as servers echo it: JSON \\/ and \\uXXXX, HTML entities, URL encoding, mixed."""
    json_slash = token.replace("/", "\\/")
    json_unicode = "".join(f"\\u{ord(char):04x}" for char in token)
    html_decimal = "".join(f"&#{ord(char)};" for char in token)
    html_hex = "".join(f"&#x{ord(char):X};" for char in token)
    url = "".join(f"%{ord(char):02X}" for char in token)
    forms: list[Callable[[str], str]] = [
        str,
        lambda c: f"\\u{ord(c):04X}",
        lambda c: f"&#{ord(c)};",
    ]
    mixed = "".join(forms[index % 3](char) for index, char in enumerate(token))
    return [json_slash, json_unicode, html_decimal, html_hex, url, mixed]


@pytest.mark.parametrize("spelling", range(6))
def test_an_echoed_token_is_blanked_however_the_server_escaped_it(spelling: int) -> None:
    token = "SENTINEL/tok-5f2c9a"
    echoed = _escaped_spellings(token)[spelling]
    # Written by hand: the escapes are the server's JSON escapes, not escaped again by json.dumps.
    body = '{"job_id": "' + JOB_ID + '", "status": "failed", "error": "bad token ' + echoed + '"}'
    blanked = without_secret(body.encode(), token).decode()
    assert echoed not in blanked
    assert "***" in blanked
    decoded = html.unescape(unquote(json.loads(blanked)["error"]))
    assert token not in decoded
