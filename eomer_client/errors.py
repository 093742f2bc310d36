"""The client's exception tree; every failure a caller can meet is one of these.

    EomerError                    base: .message, .explanation, .next_step
    ├── InvalidJobIdError         the job ID is unusable; no request was sent
    ├── UnsafeUrlError            a URL was refused (scheme, address, origin, redirect)
    ├── JobNotCompletedError      download asked of a job that is not completed; no request sent
    ├── TransportError            no usable HTTP answer
    │   ├── ConnectError          connection refused, DNS failure, dropped connection
    │   └── RequestTimeoutError   read/connect timeout or the total deadline ran out
    ├── ApiError                  the API answered with an HTTP error status
    │   ├── AuthError             401 / 403
    │   ├── NotFoundError         404
    │   ├── RateLimitedError      429 (.retry_after seconds, when known)
    │   └── ServerError           5xx
    ├── ResponseError             2xx, but the body is not a readable job (HTML, empty, truncated)
    └── ContentError              a fetched URL's content was refused
        ├── ContentTooLargeError  over the byte cap (decoded)
        └── ContentTypeError      not a type the caller accepts

Messages never contain the API token: the client builds them from parts it controls, and
blanks out the token wherever a server echoed it into text that an error carries.
"""

from __future__ import annotations

from eomer_client.explanations import Explanation, explain


class EomerError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str, *, explanation: Explanation | None = None) -> None:
        super().__init__(message)
        self.message = message
        self._explanation = explanation

    @property
    def explanation(self) -> Explanation:
        return self._explanation or explain()

    @property
    def next_step(self) -> str:
        return self.explanation.next_step


class InvalidJobIdError(EomerError, ValueError):
    """The job ID is empty, too long, or not a single safe path segment."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            explanation=Explanation(
                "That is not a valid job ID.",
                "Paste the job ID (a UUID), a URL containing /jobs/<id>, "
                "or the JSON that POST /forecast returned.",
            ),
        )


class UnsafeUrlError(EomerError):
    """A URL was refused before (or while) fetching it."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            explanation=Explanation(
                "The dashboard refused to fetch this link because it is not safe.",
                "Open the job in the Eomer API directly, or ask the service owner to fix the link.",
            ),
        )


class JobNotCompletedError(EomerError):
    """The job is pending, running or failed, so there is no forecast to download yet."""

    error_code = "job_not_completed"

    def __init__(self, message: str) -> None:
        super().__init__(message, explanation=explain(self.error_code))


class TransportError(EomerError):
    """No usable HTTP answer came back."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            explanation=Explanation(
                "The API could not be reached.",
                "Check the API address in the sidebar and your network, then retry.",
            ),
        )


class ConnectError(TransportError):
    """The connection was refused, dropped, or the host was not found."""


class RequestTimeoutError(TransportError):
    """The API did not answer in time."""


class ApiError(EomerError):
    """The API answered with an HTTP error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_code: str | None = None,
        server_message: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, explanation=explain(error_code, status_code))
        self.status_code = status_code
        self.error_code = error_code
        self.server_message = server_message
        self.request_id = request_id
        self.retry_after = retry_after


class AuthError(ApiError):
    """401 or 403: the token was refused."""


class NotFoundError(ApiError):
    """404: no such job for this token's tenant."""


class RateLimitedError(ApiError):
    """429: too many requests; `retry_after` says when to try again, when known."""


class ServerError(ApiError):
    """5xx from the API or a proxy in front of it."""


class ResponseError(EomerError):
    """A success status, but a body that is not a readable job."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            explanation=Explanation(
                "The API sent an answer the dashboard could not read.",
                "Retry in a moment; if it persists, the API address may point at another service.",
            ),
        )


class ContentError(EomerError):
    """A fetched URL's content was refused."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            explanation=Explanation(
                "This file could not be shown.",
                "Download it instead, or retry later.",
            ),
        )


class ContentTooLargeError(ContentError):
    """The decoded body went over the byte cap."""


class ContentTypeError(ContentError):
    """The content type is not one the caller accepts."""
