"""The client's exception tree, and which class each HTTP error answer becomes.

    EomerError                    base: .message (data only; the dashboard words the advice)
    ├── InvalidJobIdError         the job ID is unusable; no request was sent
    ├── InvalidTokenError         the API token has characters no token has; nothing was sent
    ├── UnsafeUrlError            a URL was refused (scheme, address, origin, redirect)
    ├── JobNotCompletedError      download asked of a job that is not completed; no request sent
    ├── TransportError            no usable HTTP answer
    │   ├── ConnectError          connection refused, DNS failure, dropped connection
    │   ├── RequestTimeoutError   read/connect timeout or the total deadline ran out
    │   └── AnswerLostError       a POST was sent but no full answer came back: the API may
    │                             have started the job (never retried)
    ├── ApiError                  an HTTP error status: .status_code, .error_code, .server_message,
    │   │                         .request_id, .retry_after, .url (without its query)
    │   ├── AuthError             401 / 403, or error_code auth_failed
    │   ├── NotFoundError         404, or error_code job_not_found
    │   ├── UploadTooLargeError   413, or error_code file_too_large
    │   ├── ValidationError       422, or error_code validation_error / invalid_preset
    │   │                         (.problems: "field: message" each)
    │   ├── RateLimitedError      429, or error_code rate_limited (.retry_after seconds, if known)
    │   └── ServerError           5xx
    ├── ResponseError             2xx, but the body is not a readable job (HTML, empty, truncated),
    │                             or a 202 without a usable job_id
    └── ContentError              a fetched URL's content was refused
        ├── ContentTooLargeError  over the byte cap (decoded)
        └── ContentTypeError      not a type the caller accepts

`API_ERROR_CLASSES` says which ApiError class an answer becomes; `eomer_client.failures` is the
one place that uses it, and the one place httpx's and pydantic's exceptions become these.
Messages never contain the API token: the client builds them from parts it controls, and
blanks out the token wherever a server echoed it into text that an error carries.
"""

from __future__ import annotations

from collections.abc import Mapping

from eomer_client.models import ErrorCode


class EomerError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidJobIdError(EomerError, ValueError):
    """The job ID is empty, too long, or not a single safe path segment."""


class InvalidTokenError(EomerError, ValueError):
    """The API token holds spaces or characters that no bearer token has."""


class UnsafeUrlError(EomerError):
    """A URL was refused before (or while) fetching it."""


class JobNotCompletedError(EomerError):
    """The job is pending, running or failed, so there is no forecast to download yet."""

    error_code = ErrorCode.JOB_NOT_COMPLETED


class TransportError(EomerError):
    """No usable HTTP answer came back."""


class ConnectError(TransportError):
    """The connection was refused, dropped, or the host was not found."""


class RequestTimeoutError(TransportError):
    """The API did not answer in time."""


class AnswerLostError(TransportError):
    """A request that starts work was sent, but no full answer came back; never retried."""


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
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error_code = error_code
        self.server_message = server_message
        self.request_id = request_id
        self.retry_after = retry_after
        self.url = url


class AuthError(ApiError):
    """401 or 403: the token was refused."""


class NotFoundError(ApiError):
    """404: no such job for this token's tenant."""


class UploadTooLargeError(ApiError):
    """413: the uploaded file is larger than the API accepts."""


class ValidationError(ApiError):
    """422: the request was refused as invalid; `problems` says what, "field: message" each."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        problems: tuple[str, ...] = (),
        error_code: str | None = None,
        server_message: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(
            message,
            status_code=status_code,
            error_code=error_code,
            server_message=server_message,
            request_id=request_id,
            retry_after=retry_after,
            url=url,
        )
        self.problems = problems


class RateLimitedError(ApiError):
    """429: too many requests; `retry_after` says when to try again, when known."""


class ServerError(ApiError):
    """5xx from the API or a proxy in front of it."""


class ResponseError(EomerError):
    """A success status, but a body that is not a readable job."""


class ContentError(EomerError):
    """A fetched URL's content was refused."""


class ContentTooLargeError(ContentError):
    """The decoded body went over the byte cap."""


class ContentTypeError(ContentError):
    """The content type is not one the caller accepts."""


# Which class an HTTP error answer becomes: by its status first (the status decides retries),
# then by its error_code when the status alone says no more than "refused".
API_ERROR_CLASSES: Mapping[int | str, type[ApiError]] = {
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    413: UploadTooLargeError,
    422: ValidationError,
    429: RateLimitedError,
    **dict.fromkeys(range(500, 600), ServerError),
    ErrorCode.AUTH_FAILED: AuthError,
    ErrorCode.JOB_NOT_FOUND: NotFoundError,
    ErrorCode.FILE_TOO_LARGE: UploadTooLargeError,
    ErrorCode.VALIDATION_ERROR: ValidationError,
    ErrorCode.INVALID_PRESET: ValidationError,
    ErrorCode.RATE_LIMITED: RateLimitedError,
}


def api_error_class(status_code: int, error_code: str | None = None) -> type[ApiError]:
    """The ApiError class for an answer's status and (case-insensitive) error_code."""
    by_code = API_ERROR_CLASSES.get((error_code or "").strip().lower(), ApiError)
    return API_ERROR_CLASSES.get(status_code, by_code)
