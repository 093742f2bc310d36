"""The Eomer API client: start forecasts, read jobs, fetch what they link to, download forecasts."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from types import TracebackType

import httpx

from eomer_client.bodies import Fetched
from eomer_client.errors import EomerError, JobNotCompletedError, ResponseError
from eomer_client.failures import nothing_sent, parse_job
from eomer_client.fetching import Fetcher
from eomer_client.in_flight import InFlightLimit
from eomer_client.job_ids import job_path, validate_job_id
from eomer_client.models import AcceptedJob, ForecastUpload, Job, JobStatus
from eomer_client.posting import Poster
from eomer_client.retry import Deadline, RetryPolicy, call_with_retries, never_abandoned
from eomer_client.tokens import checked_token, scrub
from eomer_client.urls import (
    Resolver,
    check_scheme_and_credentials,
    display_url,
    origin_of,
    parse_base_url,
    resolve,
    system_resolver,
)

__all__ = ["EomerClient", "Fetched"]

# A job with 10,000 artifacts is a few MB; this only stops a hostile endless body.
JOB_BODY_LIMIT = 32 * 1024 * 1024
_NOT_DOWNLOADABLE = frozenset({JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED})


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
        max_in_flight: int | None = None,
        abandoned: Callable[[], bool] | None = None,
    ) -> None:
        """`max_in_flight` bounds this client's requests at once (None: no bound); `abandoned`
        says its caller has gone, which stops every request of it at its next check."""
        self._base = parse_base_url(base_url)
        self._abandoned = abandoned or never_abandoned
        self._token = checked_token(token)
        self._owns_http = http is None
        # Redirects are followed by hand, so the token is decided per hop.
        self._http = http if http is not None else httpx.Client(follow_redirects=False)
        self._retry = retry or RetryPolicy()
        in_flight = InFlightLimit(max_in_flight) if max_in_flight is not None else None
        self._fetcher = Fetcher(
            self._http,
            origin_of(self._base),
            self._token,
            timeout,
            resolver or system_resolver,
            in_flight,
        )
        self._poster = Poster(self._fetcher)

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

    def start_forecast(self, upload: ForecastUpload) -> AcceptedJob:
        """`POST /forecast` (multipart): the accepted job, or the error that says why not."""
        # Sent again only when the connection never opened: once the request may have reached
        # the API, a lost answer is AnswerLostError (the job may exist), never a second job.
        with self._scrubbing():
            url = self._api_url("/forecast")
            deadline = Deadline.after(self._retry.deadline, self._retry.clock, self._abandoned)
            return call_with_retries(
                self._retry,
                deadline,
                lambda: self._poster.post_once(url, upload, deadline),
                retryable=nothing_sent,
            )

    def get_job(self, job_id: str) -> Job:
        """`GET /jobs/{job_id}`, parsed tolerantly (see `Job.notes` for how it was read)."""
        with self._scrubbing():
            return self._get_job(job_id)

    def _get_job(self, job_id: str) -> Job:
        wanted = validate_job_id(job_id)
        url = self._api_url(job_path(job_id))
        deadline = Deadline.after(self._retry.deadline, self._retry.clock, self._abandoned)
        fetched = call_with_retries(
            self._retry,
            deadline,
            lambda: self._fetcher.get_once(url, JOB_BODY_LIMIT, None, deadline),
        )
        where = display_url(httpx.URL(fetched.url))
        job = parse_job(fetched.content, fetched.content_type, where)
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
        attempts: int | None = None,
    ) -> Fetched:
        """GET a linked URL within `max_bytes` decoded and `deadline` seconds, checking its type.

        `attempts` overrides the retry policy's count (1: no retry) for this fetch alone.
        """
        with self._scrubbing():
            target = resolve(self._base, url)
            check_scheme_and_credentials(target)
            accepted = frozenset(kind.lower() for kind in accept) if accept is not None else None
            budget = Deadline.after(deadline, self._retry.clock, self._abandoned)
            policy = self._retry if attempts is None else replace(self._retry, attempts=attempts)
            return call_with_retries(
                policy,
                budget,
                lambda: self._fetcher.get_once(target, max_bytes, accepted, budget),
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
                scrub(exc, self._token.value)
            raise

    def _job_or_error(self, job_id: str) -> Job | EomerError:
        try:
            return self.get_job(job_id)
        except EomerError as exc:
            return exc

    def _api_url(self, path: str) -> httpx.URL:
        """An API path below the base URL (which may itself have a path prefix)."""
        return self._base.join(path.lstrip("/"))
