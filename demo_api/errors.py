"""Every error body of the demo API, and which HTTP status goes with which `error_code`."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

# The real service does not document this mapping; the demo picks one and docs/demo_api.md lists it.
ERROR_STATUS: Mapping[str, int] = {
    "validation_error": 422,
    "invalid_preset": 422,
    "file_too_large": 413,
    "rate_limited": 429,
    "server_overloaded": 503,
    "job_not_found": 404,
    "job_not_completed": 409,
    "auth_failed": 401,
    "internal_error": 500,
    "timeout": 504,
    "pipeline_failed": 500,
    "storage_error": 502,
    "gpu_offload_unavailable": 503,
    "connection_not_found": 404,
    "connector_error": 502,
    "sandbox_domain_used": 403,
    "sandbox_captcha_failed": 403,
    "sandbox_dataset_too_large": 413,
    "sandbox_corporate_email_required": 403,
}
ERROR_CODES: tuple[str, ...] = tuple(ERROR_STATUS)

# For statuses raised without a code (fault injection, unknown routes).
_CODE_FOR_STATUS: Mapping[int, str] = {
    401: "auth_failed",
    403: "auth_failed",
    404: "job_not_found",
    409: "job_not_completed",
    413: "file_too_large",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    502: "internal_error",
    503: "server_overloaded",
    504: "timeout",
}


def code_for_status(status_code: int) -> str | None:
    """The error_code the demo sends with a status when nothing more specific applies."""
    return _CODE_FOR_STATUS.get(status_code)


def error_body(error_code: str | None, detail: object) -> dict[str, object]:
    """The one shape of every error body: FastAPI's `detail` plus the machine-readable code."""
    return {"detail": detail, "error_code": error_code}


def error_response(
    error_code: str | None,
    detail: object,
    *,
    status_code: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON error response; the status defaults to the code's documented one."""
    status = status_code or ERROR_STATUS.get(error_code or "", 500)
    return JSONResponse(error_body(error_code, detail), status_code=status, headers=headers)


class DemoApiError(Exception):
    """Raised by routes; turned into an error response by the handler below."""

    def __init__(
        self,
        error_code: str,
        detail: str | list[dict[str, object]],
        *,
        headers: Mapping[str, str] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(str(detail))
        self.error_code = error_code
        self.detail = detail
        self.headers = headers
        self.status_code = status_code


def field_error(error_code: str, field: str, message: str) -> DemoApiError:
    """A 422 naming the form field at fault, in FastAPI's own shape (`loc` ["body", field])."""
    problem: dict[str, object] = {"loc": ["body", field], "msg": message, "type": error_code}
    return DemoApiError(error_code, [problem])


async def _demo_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DemoApiError)
    return error_response(
        exc.error_code, exc.detail, status_code=exc.status_code, headers=exc.headers
    )


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = code_for_status(exc.status_code)
    return error_response(code, exc.detail, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # FastAPI's own 422 shape (a list of problems) so clients meet the real service's variant.
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    return error_response("validation_error", errors)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error the app can raise through `error_body`."""
    app.add_exception_handler(DemoApiError, _demo_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
