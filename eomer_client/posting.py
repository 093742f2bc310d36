"""One POST of a forecast upload: to the API's own origin only, never redirected, read in full."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from eomer_client.bodies import read_capped, read_prefix, without_secret
from eomer_client.errors import ContentTooLargeError, RequestTimeoutError, ResponseError
from eomer_client.failures import answer_lost, api_error, parse_accepted, translated_post
from eomer_client.fetching import ERROR_BODY_LIMIT, Fetcher
from eomer_client.models import AcceptedJob, ForecastUpload
from eomer_client.retry import Deadline
from eomer_client.urls import display_url, origin_of

# The 202 answer is a handful of fields; this only stops a hostile endless body.
ACCEPTED_BODY_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Poster:
    """Sends single upload POSTs for a client, with its fetcher's pool, origin, token and limits."""

    fetcher: Fetcher

    def post_once(self, url: httpx.URL, upload: ForecastUpload, deadline: Deadline) -> AcceptedJob:
        """One attempt, holding one of the client's slots while it runs (if it has a bound)."""
        limit = self.fetcher.in_flight
        if limit is None:
            return self._post_once(url, upload, deadline)
        with limit.slot(deadline, display_url(url)):
            return self._post_once(url, upload, deadline)

    def _post_once(self, url: httpx.URL, upload: ForecastUpload, deadline: Deadline) -> AcceptedJob:
        where = display_url(url)
        with translated_post(where):
            response = self._send(url, upload, deadline)
            try:
                return self._accepted(response, where, deadline)
            finally:
                response.close()

    def _accepted(self, response: httpx.Response, where: str, deadline: Deadline) -> AcceptedJob:
        status = response.status_code
        if status >= 400:
            body = self._blanked(read_prefix(response, ERROR_BODY_LIMIT, deadline))
            raise api_error(response, body, where, "POST")
        if not 200 <= status < 300:
            # A redirect is not followed: the upload (and the token) stay with the API's origin.
            raise ResponseError(
                f"POST {where} answered HTTP {status}; the upload was not accepted."
            )
        try:
            body = self._blanked(read_capped(response, ACCEPTED_BODY_LIMIT, deadline))
        except (ContentTooLargeError, RequestTimeoutError) as exc:
            raise answer_lost(where, "its answer did not arrive whole") from exc
        return parse_accepted(body, where)

    def _blanked(self, body: bytes) -> bytes:
        token = self.fetcher.token
        return body if token is None else without_secret(body, token.value)

    def _send(self, url: httpx.URL, upload: ForecastUpload, deadline: Deadline) -> httpx.Response:
        if deadline.expired:
            raise RequestTimeoutError(f"The time limit ran out before {display_url(url)} was sent.")
        headers = {"Accept": "application/json"}
        token = self.fetcher.token
        if token is not None and origin_of(url) == self.fetcher.api_origin:
            headers["Authorization"] = f"Bearer {token.value}"
        timeout = httpx.Timeout(min(self.fetcher.timeout, deadline.remaining()))
        # Built directly, not via the client, so a shared client's cookie jar is never sent.
        request = httpx.Request(
            "POST",
            url,
            headers=headers,
            data=upload.form(),
            files={"file": (upload.filename, upload.file, upload.content_type)},
            extensions={"timeout": timeout.as_dict()},
        )
        return self.fetcher.http.send(request, stream=True, follow_redirects=False)
