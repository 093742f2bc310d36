"""One GET attempt, redirects followed hop by hop: each hop checked, the token kept to the API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from eomer_client.bodies import Fetched, content_type_of, read_capped, read_prefix, without_secret
from eomer_client.errors import ContentTypeError, RequestTimeoutError, ResponseError, UnsafeUrlError
from eomer_client.failures import api_error, translated
from eomer_client.in_flight import InFlightLimit
from eomer_client.retry import Deadline
from eomer_client.tokens import Token
from eomer_client.urls import (
    Origin,
    Resolver,
    check_public_address,
    check_scheme_and_credentials,
    display_url,
    origin_of,
)

MAX_REDIRECTS = 5
# An error page is only read for its message; anything past this is noise.
ERROR_BODY_LIMIT = 64 * 1024
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Fetcher:
    """Sends single GETs for a client: its HTTP pool, the API's origin, its token and limits."""

    http: httpx.Client
    api_origin: Origin
    token: Token | None
    timeout: float
    resolver: Resolver
    in_flight: InFlightLimit | None = None

    def get_once(
        self, url: httpx.URL, max_bytes: int, accept: frozenset[str] | None, deadline: Deadline
    ) -> Fetched:
        """One attempt, holding one of the client's slots while it runs (if it has a bound)."""
        if self.in_flight is None:
            return self._get_once(url, max_bytes, accept, deadline)
        with self.in_flight.slot(deadline, display_url(url)):
            return self._get_once(url, max_bytes, accept, deadline)

    def _get_once(
        self, url: httpx.URL, max_bytes: int, accept: frozenset[str] | None, deadline: Deadline
    ) -> Fetched:
        """Follow redirects, map error statuses, check the type, read within limits."""
        with translated(display_url(url)), self._open(url, deadline) as response:
            where = display_url(response.url)
            if response.status_code >= 400:
                body = self._blanked(read_prefix(response, ERROR_BODY_LIMIT, deadline))
                raise api_error(response, body, where)
            if not 200 <= response.status_code < 300:
                raise ResponseError(f"{where} answered HTTP {response.status_code} unexpectedly.")
            kind = content_type_of(response)
            if accept is not None and kind not in accept:
                raise _type_refused(where, kind, accept)
            body = self._blanked(read_capped(response, max_bytes, deadline))
            return Fetched(content=body, content_type=kind, url=str(response.url))

    def _blanked(self, body: bytes) -> bytes:
        """A server that echoes the token (an error, a job field, a report) must not show it."""
        return body if self.token is None else without_secret(body, self.token.value)

    @contextmanager
    def _open(self, url: httpx.URL, deadline: Deadline) -> Iterator[httpx.Response]:
        """Send GET and follow up to MAX_REDIRECTS redirects, each hop checked on its own."""
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(url, deadline)
            location = response.headers.get("location")
            if response.status_code not in _REDIRECT_STATUSES or not location:
                try:
                    yield response
                finally:
                    response.close()
                return
            response.close()
            url = _next_hop(url, location)
        raise UnsafeUrlError(f"{display_url(url)} redirected more than {MAX_REDIRECTS} times.")

    def _send(self, url: httpx.URL, deadline: Deadline) -> httpx.Response:
        is_api = origin_of(url) == self.api_origin
        check_scheme_and_credentials(url)
        if not is_api:
            check_public_address(url, self.resolver)
        if deadline.expired:
            raise RequestTimeoutError(f"The time limit ran out before {display_url(url)} answered.")
        headers = {"Accept": "*/*"}
        if is_api and self.token is not None:
            headers["Authorization"] = f"Bearer {self.token.value}"
        timeout = httpx.Timeout(min(self.timeout, deadline.remaining()))
        # Built directly, not via the client, so a shared client's cookie jar is never sent.
        request = httpx.Request(
            "GET", url, headers=headers, extensions={"timeout": timeout.as_dict()}
        )
        return self.http.send(request, stream=True, follow_redirects=False)


def _next_hop(url: httpx.URL, location: str) -> httpx.URL:
    target = url.join(location)
    if url.scheme == "https" and target.scheme == "http":
        raise UnsafeUrlError(f"{display_url(url)} redirected from https to http; refused.")
    return target


def _type_refused(where: str, kind: str, accept: frozenset[str]) -> ContentTypeError:
    expected = ", ".join(sorted(accept)) or "nothing"
    return ContentTypeError(f"{where} sent {kind or 'no content type'}; expected {expected}.")
