"""What handlers ask FastAPI for: the app's DemoState, and the tenant of the caller's token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request

from demo_api.errors import DemoApiError
from demo_api.state import DemoState

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def attach_state(app: FastAPI, state: DemoState) -> None:
    """Give `app` its state: the one place that writes `app.state`."""
    app.state.demo = state


async def get_state(request: Request) -> DemoState:
    """The state of the app serving this request: the one place that reads `app.state`."""
    # async (it never blocks) so FastAPI calls it in the event loop, not through the threadpool.
    state: DemoState = request.app.state.demo
    return state


State = Annotated[DemoState, Depends(get_state)]


async def tenant_of(request: Request, state: State) -> str:
    """The tenant the request's bearer token belongs to; 401 `auth_failed` for none or unknown."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise DemoApiError(
            "auth_failed",
            "Missing bearer token: send Authorization: Bearer <token>.",
            headers=_CHALLENGE,
        )
    tenant = state.settings.tokens.get(token.strip())
    if tenant is None:
        raise DemoApiError("auth_failed", "Unknown API token.", headers=_CHALLENGE)
    return tenant


Tenant = Annotated[str, Depends(tenant_of)]
