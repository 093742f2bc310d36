"""The Eomer API client: read jobs, fetch what they link to, download forecasts."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType

import httpx
import pydantic

from eomer_client.errors import (
    ContentTypeError,
    EomerError,
    JobNotCompletedError,
    RequestTimeoutError,
    ResponseError,
    UnsafeUrlError,
)
from eomer_client.explanations import Explanation
from eomer_client.fetching import (
    api_error,
    content_type_of,
    httpx_errors,
    read_capped,
    without_secret,
)
from eomer_client.job_ids import job_path, validate_job_id
from eomer_client.models import Job, JobStatus
from eomer_client.retry import Deadline, RetryPolicy, call_with_retries
from eomer_client.urls import (
    Resolver,
    check_public_address,
    check_scheme_and_credentials,
    display_url,
    origin_of,
    parse_base_url,
    resolve,
    system_resolver,
)

MAX_REDIRECTS = 5
# A job with 10,000 artifacts is a few MB; this only stops a hostile endless body.
JOB_BODY_LIMIT = 32 * 1024 * 1024
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_NOT_DOWNLOADABLE = frozenset({JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED})


@dataclass(frozen=True)
class Fetched:
    """A fetched body with its checked content type (lower-case, no parameters)."""

    content: bytes
    content_type: str
    url: str


class _Token:
    """Holds the token so that no repr, str or f-string of ours can show it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__


def _checked_token(token: str | None) -> _Token | None:
    """Strip a pasted token and refuse characters no bearer token has (they would break headers)."""
    text = (token or "").strip()
    if not text:
        return None
    if not all("!" <= char <= "~" for char in text):
        raise EomerError(
            "The API token contains spaces or characters that a token never has.",
            explanation=Explanation(
                "The API token is malformed.", "Paste the token again, without extra text."
            ),
        )
    return _Token(text)


class EomerClient:
    """Typed, bounded and token-safe access to the Eomer API; raises only EomerError subclasses."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        http: httpx.Client | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self._base = parse_base_url(base_url)
        self._api_origin = origin_of(self._base)
        self._token = _checked_token(token)
        self._owns_http = http is None
        # Redirects are followed by hand, so the token is decided per hop.
        self._http = http if http is not None else httpx.Client(follow_redirects=False)
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._resolver = resolver or system_resolver

    @property
    def base_url(self) -> str:
        return str(self._base).rstrip("/")

    def __repr__(self) -> str:
        token = "'***'" if self._token else "None"
        return f"EomerClient(base_url={self.base_url!r}, token={token})"

    def __enter__(self) -> EomerClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this client created it; a shared one is left open."""
        if self._owns_http:
            self._http.close()

    def get_job(self, job_id: str) -> Job:
        """`GET /jobs/{job_id}`, parsed tolerantly."""
        with self._scrubbing():
            return self._get_job(job_id)

    def _get_job(self, job_id: str) -> Job:
        wanted = validate_job_id(job_id)
        url = self._api_url(job_path(job_id))
        deadline = Deadline.after(self._retry.deadline, self._retry.clock)
        fetched = call_with_retries(
            self._retry, deadline, lambda: self._get_once(url, JOB_BODY_LIMIT, None, deadline)
        )
        job = _parse_job(fetched)
        if job.job_id.lower() != wanted.lower():
            raise ResponseError(f"Asked for job {wanted!r} but the API answered with another job.")
        return job

    def get_jobs(
        self, job_ids: Sequence[str], *, max_concurrency: int = 8
    ) -> dict[str, Job | EomerError]:
        """Each distinct ID, in input order, to its Job or its error; bounded concurrency."""
        unique = list(dict.fromkeys(job_ids))
        if not unique:
            return {}
        workers = max(1, min(max_concurrency, len(unique)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eomer-get-job") as pool:
            results = list(pool.map(self._job_or_error, unique))
        return dict(zip(unique, results, strict=True))

    def fetch(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: Collection[str] | None = None,
        deadline: float = 30.0,
    ) -> Fetched:
        """GET a linked URL within `max_bytes` decoded and `deadline` seconds, checking its type."""
        with self._scrubbing():
            target = resolve(self._base, url)
            check_scheme_and_credentials(target)
            accepted = frozenset(kind.lower() for kind in accept) if accept is not None else None
            budget = Deadline.after(deadline, self._retry.clock)
            return call_with_retries(
                self._retry, budget, lambda: self._get_once(target, max_bytes, accepted, budget)
            )

    def download_forecast(
        self, job: Job, *, max_bytes: int = 200 * 1024 * 1024, deadline: float = 120.0
    ) -> Fetched:
        """The forecast CSV of a completed job (its `download_url`, else `/jobs/{id}/download`)."""
        with self._scrubbing():
            if job.status in _NOT_DOWNLOADABLE:
                raise JobNotCompletedError(
                    f"Job {job.job_id} is {job.status}, not completed; it has no forecast yet."
                )
            # An unknown status is left for the API to judge rather than guessed at here.
            url = job.download_url or str(self._api_url(job_path(job.job_id, "/download")))
        return self.fetch(url, max_bytes=max_bytes, deadline=deadline)

    @contextmanager
    def _scrubbing(self) -> Iterator[None]:
        """Every error leaving the client passes here, so an echoed token is blanked out."""
        try:
            yield
        except EomerError as exc:
            if self._token is not None:
                _scrub(exc, self._token.value)
            raise

    def _job_or_error(self, job_id: str) -> Job | EomerError:
        try:
            return self.get_job(job_id)
        except EomerError as exc:
            return exc

    def _api_url(self, path: str) -> httpx.URL:
        """An API path below the base URL (which may itself have a path prefix)."""
        return self._base.join(path.lstrip("/"))

    def _get_once(
        self,
        url: httpx.URL,
        max_bytes: int,
        accept: frozenset[str] | None,
        deadline: Deadline,
    ) -> Fetched:
        """One attempt: follow redirects, map error statuses, check the type, read within limits."""
        with httpx_errors(url), self._open(url, deadline) as response:
            if response.status_code >= 400:
                raise api_error(response, deadline)
            where = display_url(response.url)
            if not 200 <= response.status_code < 300:
                raise ResponseError(f"{where} answered HTTP {response.status_code} unexpectedly.")
            kind = content_type_of(response)
            if accept is not None and kind not in accept:
                raise _type_refused(where, kind, accept)
            body = read_capped(response, max_bytes, deadline)
            if self._token is not None:
                # A server that echoes the token (in a job field, a report) must not show it.
                body = without_secret(body, self._token.value)
            return Fetched(content=body, content_type=kind, url=str(response.url))

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
        is_api = origin_of(url) == self._api_origin
        check_scheme_and_credentials(url)
        if not is_api:
            check_public_address(url, self._resolver)
        if deadline.expired:
            raise RequestTimeoutError(f"The time limit ran out before {display_url(url)} answered.")
        headers = {"Accept": "*/*"}
        if is_api and self._token is not None:
            headers["Authorization"] = f"Bearer {self._token.value}"
        timeout = httpx.Timeout(min(self._timeout, deadline.remaining()))
        # Built directly, not via the client, so a shared client's cookie jar is never sent.
        request = httpx.Request(
            "GET", url, headers=headers, extensions={"timeout": timeout.as_dict()}
        )
        return self._http.send(request, stream=True, follow_redirects=False)


def _scrub(exc: EomerError, secret: str) -> None:
    """Replace the token in an error's text; a cause that would show it is dropped."""
    exc.args = tuple(
        arg.replace(secret, "***") if isinstance(arg, str) else arg for arg in exc.args
    )
    for name, value in vars(exc).items():
        if isinstance(value, str) and secret in value:
            setattr(exc, name, value.replace(secret, "***"))
    if secret in str(exc.__cause__) or secret in str(exc.__context__):
        exc.__cause__ = exc.__context__ = None
        exc.__suppress_context__ = True


def _next_hop(url: httpx.URL, location: str) -> httpx.URL:
    target = url.join(location)
    if url.scheme == "https" and target.scheme == "http":
        raise UnsafeUrlError(f"{display_url(url)} redirected from https to http; refused.")
    return target


def _type_refused(where: str, kind: str, accept: frozenset[str]) -> ContentTypeError:
    expected = ", ".join(sorted(accept)) or "nothing"
    return ContentTypeError(f"{where} sent {kind or 'no content type'}; expected {expected}.")


def _parse_job(fetched: Fetched) -> Job:
    """The one place pydantic's errors become ResponseError."""
    try:
        return Job.model_validate_json(fetched.content)
    except pydantic.ValidationError as exc:
        raise ResponseError(_unreadable(fetched, exc)) from exc


def _unreadable(fetched: Fetched, exc: pydantic.ValidationError) -> str:
    where = display_url(httpx.URL(fetched.url))
    if not fetched.content.strip():
        return f"{where} answered with an empty body instead of a job."
    if "html" in fetched.content_type or fetched.content.lstrip()[:1] == b"<":
        return f"{where} answered with an HTML page instead of a job."
    first = exc.errors(include_url=False, include_input=False)[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where} answered with something that is not a readable job ({field}: {first['msg']})."
