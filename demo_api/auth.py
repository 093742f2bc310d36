"""Bearer token -> tenant; a missing or unknown token is 401 `auth_failed`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from demo_api.errors import DemoApiError

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def tenant_of(request: Request) -> str:
    """The tenant the request's bearer token belongs to."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise DemoApiError(
            "auth_failed",
            "Missing bearer token: send Authorization: Bearer <token>.",
            headers=_CHALLENGE,
        )
    tenant = request.app.state.demo.settings.tokens.get(token.strip())
    if tenant is None:
        raise DemoApiError("auth_failed", "Unknown API token.", headers=_CHALLENGE)
    return str(tenant)


Tenant = Annotated[str, Depends(tenant_of)]
