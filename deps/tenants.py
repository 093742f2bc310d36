"""Tenants: the API origin and token a session holds, named so that nothing crosses tokens.

Every cache and history key carries the tenant. The built-in demo's history is kept per browser
(per analyst when signed in), since everyone on it holds the same token.
"""

from __future__ import annotations

import hashlib
import hmac

import streamlit as st

from dashboard.jobs.job_history import DEMO_ORIGIN, KnownTenant, history_origin
from dashboard.session.connection_settings import SettingsError
from deps.browser import browser_key
from deps.resources import caches, store
from deps.sessions import session
from deps.team import analyst, saved_connection
from store import Store

KNOWN_TENANTS_KEY = "deps_known_tenants"
_TENANT_KEY = "deps_tenant"


def tenant_of(origin: str, token: str) -> str:
    """The store's name for the tenant; without a store, a name private to this process."""
    opened = store()
    if isinstance(opened, Store):
        return opened.tenant_key(origin, token)
    message = f"{origin}\n{token}".encode()
    return "process:" + hmac.new(caches().cache_key, message, hashlib.sha256).hexdigest()


def history_tenant(known: KnownTenant) -> str:
    """The tenant a connection's job history is kept under (issue 20, item 11).

    Everyone on the built-in demo holds the same token, so its history is kept per browser
    instead (per analyst when signed in): one viewer's uploads never show in another's Recent
    jobs. Caches stay shared under `known.tenant` (the demo answers everyone alike).
    """
    if known.origin != DEMO_ORIGIN:
        return known.tenant
    owner = analyst() or browser_key()
    return tenant_of(known.origin, f"{known.token}\n{owner}")


def session_tenant() -> KnownTenant | None:
    """The tenant of the session's connection (remembered among those it held), or None."""
    connection = session().connection
    origin = history_origin(connection.api_url, connection.is_demo)
    if origin is None or connection.token is None:
        return None
    kept = st.session_state.get(_TENANT_KEY)
    if isinstance(kept, tuple) and kept[0] == connection.identity:
        remembered = kept[1]
        if isinstance(remembered, KnownTenant):
            return remembered
    api_url = None if connection.is_demo else connection.api_url
    known = KnownTenant(tenant_of(origin, connection.token), origin, api_url, connection.token)
    st.session_state[_TENANT_KEY] = (connection.identity, known)
    st.session_state.setdefault(KNOWN_TENANTS_KEY, {})[known.tenant] = known
    return known


def known_tenants() -> list[KnownTenant]:
    """Every connection this session held, and the signed-in analyst's saved one."""
    known: dict[str, KnownTenant] = dict(st.session_state.get(KNOWN_TENANTS_KEY, {}))
    try:
        saved = saved_connection()
    except SettingsError:
        saved = None
    origin = history_origin(saved.api_url, False) if saved is not None else None
    if saved is not None and origin is not None and saved.token is not None:
        tenant = tenant_of(origin, saved.token)
        known.setdefault(tenant, KnownTenant(tenant, origin, saved.api_url, saved.token))
    return list(known.values())
