"""URL safety: origins, relative resolution, and refusing addresses a link must never reach."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeAlias

import httpx

from eomer_client.errors import ConnectError, UnsafeUrlError
from eomer_client.failures import translated

# Maps (host, port) to the IP addresses a connection could use; injectable so tests need no DNS.
Resolver: TypeAlias = Callable[[str, int], Sequence[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Cloud metadata endpoints, named so the refusal says why even where ranges already cover them.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


class Origin(NamedTuple):
    """Scheme, host and port: the unit the token is scoped to."""

    scheme: str
    host: str
    port: int


def origin_of(url: httpx.URL) -> Origin:
    """The URL's origin with the scheme's default port filled in."""
    port = url.port if url.port is not None else _DEFAULT_PORTS.get(url.scheme, 0)
    return Origin(url.scheme, url.host.lower(), port)


def display_url(url: httpx.URL) -> str:
    """Scheme, host, port and path only: queries may hold presigned signatures."""
    text = str(url.copy_with(query=None, fragment=None, username=None, password=None))
    return text if len(text) <= 200 else text[:197] + "..."


def parse_url(raw: str) -> httpx.URL:
    """Parse a URL; httpx's parse errors become UnsafeUrlError ("The link is not a valid URL.")."""
    with translated("The link"):
        return httpx.URL(raw)


def check_scheme_and_credentials(url: httpx.URL) -> None:
    """Only http(s), with a host and without embedded credentials."""
    if url.scheme not in ALLOWED_SCHEMES:
        scheme = url.scheme or "no scheme"
        raise UnsafeUrlError(f"Links with {scheme!r} are refused; only http and https are fetched.")
    if not url.host:
        raise UnsafeUrlError("The link has no host.")
    if url.port is not None and not 0 < url.port < 65536:
        raise UnsafeUrlError(f"The link's port {url.port} does not exist.")
    if url.userinfo:
        raise UnsafeUrlError(f"The link {display_url(url)} embeds credentials; it is refused.")


def parse_base_url(raw: str) -> httpx.URL:
    """The API base URL, checked, without query or fragment and ending in a slash."""
    url = parse_url(raw.strip())
    check_scheme_and_credentials(url)
    path = url.path if url.path.endswith("/") else url.path + "/"
    return url.copy_with(path=path, query=None, fragment=None)


def resolve(base: httpx.URL, raw: str) -> httpx.URL:
    """Resolve an absolute or relative link against the API base URL."""
    if not raw.strip():
        raise UnsafeUrlError("The link is empty.")
    url = parse_url(raw.strip())
    if url.is_relative_url:
        return base.join(url)
    return url


def system_resolver(host: str, port: int) -> Sequence[str]:
    """Resolve with the operating system, as the connection itself will."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectError(f"The host {host!r} could not be resolved.") from exc
    return [str(info[4][0]) for info in infos]


def _refusal(address: str) -> str | None:
    """Why an address must not be fetched, or None when it is public."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "a non-public address"),
    )
    return next((reason for hit, reason in checks if hit), None)


def check_public_address(url: httpx.URL, resolver: Resolver) -> None:
    """Refuse a host that resolves to any loopback, private, link-local or metadata address."""
    addresses = resolver(url.host, origin_of(url).port)
    if not addresses:
        raise ConnectError(f"The host {url.host!r} resolved to no address.")
    for address in addresses:
        reason = _refusal(address)
        if reason is not None:
            # What a name resolved to is the server's network, not the viewer's business.
            raise UnsafeUrlError(f"The link {display_url(url)} points at {reason}; it is refused.")
