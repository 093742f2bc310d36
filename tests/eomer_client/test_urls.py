"""Links are resolved against the base URL and refused when they could reach inside the network."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from eomer_client.client import EomerClient
from eomer_client.errors import ConnectError, UnsafeUrlError
from eomer_client.urls import Origin, display_url, origin_of
from tests.eomer_client.conftest import TOKEN, Harness, Recorder


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b"fine", headers={"content-type": "text/plain"})


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://files.example.com/x.csv",
        "gopher://example.com/",
    ],
)
def test_schemes_other_than_http_are_refused_before_any_request(harness: Harness, url: str) -> None:
    client, recorder = harness.client(ok)
    with pytest.raises(UnsafeUrlError, match="only http and https"):
        client.fetch(url, max_bytes=100)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("/jobs/1/plot.png", "https://eomer.test/jobs/1/plot.png"),
        ("plot.png", "https://eomer.test/api/plot.png"),
        ("//cdn.example.com/a.png", "https://cdn.example.com/a.png"),
        ("https://other.example.com/a.png", "https://other.example.com/a.png"),
    ],
)
def test_relative_links_are_resolved_against_the_base_url(
    harness: Harness, link: str, expected: str
) -> None:
    client, recorder = harness.client(ok, base_url="https://eomer.test/api")
    fetched = client.fetch(link, max_bytes=100)
    assert str(recorder.requests[0].url) == expected
    assert fetched.url == expected


def test_api_paths_keep_the_base_url_prefix(harness: Harness) -> None:
    client, recorder = harness.client(
        lambda request: httpx.Response(200, json={"job_id": "j1", "status": "running"}),
        base_url="https://eomer.test/api/",
    )
    client.get_job("j1")
    assert str(recorder.requests[0].url) == "https://eomer.test/api/jobs/j1"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",
        "fd00:ec2::254",
        "::1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "240.0.0.1",
        "100.64.0.1",
        "::ffff:127.0.0.1",
        "fe80::1%eth0",
    ],
)
def test_links_to_hosts_resolving_inside_the_network_are_refused(
    harness: Harness, address: str
) -> None:
    harness.resolver.addresses["assets.example.com"] = [address]
    client, recorder = harness.client(ok)
    with pytest.raises(UnsafeUrlError, match="it is refused"):
        client.fetch("https://assets.example.com/plot.png", max_bytes=100)
    assert recorder.requests == []


def test_one_private_address_among_public_ones_is_enough_to_refuse(harness: Harness) -> None:
    harness.resolver.addresses["assets.example.com"] = ["93.184.216.34", "10.0.0.7"]
    client, recorder = harness.client(ok)
    with pytest.raises(UnsafeUrlError, match="private"):
        client.fetch("https://assets.example.com/plot.png", max_bytes=100)
    assert recorder.requests == []


def test_metadata_address_is_named_as_such(harness: Harness) -> None:
    client, _ = harness.client(ok)
    with pytest.raises(UnsafeUrlError, match="cloud metadata"):
        client.fetch("http://169.254.169.254/latest/meta-data/", max_bytes=100)


@pytest.fixture
def system_dns_client() -> Iterator[tuple[EomerClient, Recorder]]:
    """A client using the real resolver, which is what decodes odd IP spellings."""
    recorder = Recorder(ok)
    with httpx.Client(transport=httpx.MockTransport(recorder)) as http:
        yield EomerClient("https://eomer.test", TOKEN, http=http), recorder


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/x",
        "http://0x7f.1/x",
        "http://127.1/x",
        "http://0177.0.0.1/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://[::1]:8080/x",
        "http://localhost/x",
    ],
)
def test_loopback_in_odd_spellings_is_refused_after_resolution(
    system_dns_client: tuple[EomerClient, Recorder], url: str
) -> None:
    client, recorder = system_dns_client
    # httpx itself already rejects some spellings (0177.0.0.1) as invalid URLs.
    with pytest.raises(UnsafeUrlError, match=r"loopback|not a valid URL"):
        client.fetch(url, max_bytes=100)
    assert recorder.requests == []


def test_the_api_origin_itself_may_be_loopback(harness: Harness) -> None:
    client, recorder = harness.client(ok, base_url="http://127.0.0.1:8765")
    assert client.fetch("/jobs/1/plot", max_bytes=100).content == b"fine"
    assert recorder.authorizations() == [f"Bearer {TOKEN}"]


def test_another_port_on_the_api_host_is_another_origin(harness: Harness) -> None:
    client, recorder = harness.client(ok, base_url="http://127.0.0.1:8765")
    with pytest.raises(UnsafeUrlError, match="loopback"):
        client.fetch("http://127.0.0.1:9000/admin", max_bytes=100)
    assert recorder.requests == []


def test_a_host_that_resolves_to_nothing_is_a_connect_error(harness: Harness) -> None:
    harness.resolver.addresses["gone.example.com"] = []
    client, _ = harness.client(ok, attempts=1)
    with pytest.raises(ConnectError, match="resolved to no address"):
        client.fetch("https://gone.example.com/x", max_bytes=100)


def test_links_with_embedded_credentials_are_refused(harness: Harness) -> None:
    client, recorder = harness.client(ok)
    with pytest.raises(UnsafeUrlError, match="credentials"):
        client.fetch("https://user:pw@assets.example.com/x", max_bytes=100)
    assert recorder.requests == []


@pytest.mark.parametrize("base", ["ftp://eomer.test", "eomer.test", "http://", "http://[::1"])
def test_a_base_url_that_is_not_http_is_refused(base: str) -> None:
    with pytest.raises(UnsafeUrlError):
        EomerClient(base, TOKEN)


@pytest.mark.parametrize("link", ["http://[::1", "http://host:99999/", "", "   "])
def test_a_malformed_or_empty_link_is_refused_without_a_request(
    harness: Harness, link: str
) -> None:
    client, recorder = harness.client(ok)
    with pytest.raises(UnsafeUrlError):
        client.fetch(link, max_bytes=100)
    assert recorder.requests == []


def test_origin_fills_in_default_ports_and_lowercases_the_host() -> None:
    assert origin_of(httpx.URL("HTTPS://Eomer.TEST/x")) == Origin("https", "eomer.test", 443)
    assert origin_of(httpx.URL("http://eomer.test:8080/")) == Origin("http", "eomer.test", 8080)


def test_displayed_urls_drop_queries_that_may_hold_signatures() -> None:
    url = httpx.URL("https://u:p@bucket.example.com/f.csv?X-Amz-Signature=secret#frag")
    assert display_url(url) == "https://bucket.example.com/f.csv"
