"""Which API addresses a viewer may type: public ones, or origins the deployment allows.

A typed Custom URL makes the dashboard's server send requests, so on a shared deployment it must
not reach the server's own loopback or private network (server-side request forgery). The
address the server itself configures (EOMER_API_URL) and the built-in demo are not typed, and
not subject to this policy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from dashboard.session.connection_settings import SettingsError, lookup_setting, validate_api_url
from eomer_client.errors import EomerError, UnsafeUrlError
from eomer_client.urls import check_public_address, parse_url, system_resolver

ALLOWED_ORIGINS_KEY = "EOMER_ALLOWED_API_ORIGINS"
CUSTOM_API_KEY = "EOMER_CUSTOM_API"
Resolver = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class ApiPolicy:
    """Whether Custom URL is offered, and the origins allowed beyond public addresses."""

    custom_allowed: bool = True
    allowed_origins: frozenset[str] = frozenset()


def origin(url: str) -> str:
    """scheme://host[:port] in lower case, with the scheme's default port left out."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    shown = f"[{host}]" if ":" in host else host
    default = {"http": 80, "https": 443}.get(scheme)
    port = "" if parts.port in (None, default) else f":{parts.port}"
    return f"{scheme}://{shown}{port}"


def resolve_policy(env: Mapping[str, str], secrets: Mapping[str, object]) -> ApiPolicy:
    """The deployment's policy from env or secrets; SettingsError names a malformed origin."""
    switch = (lookup_setting(CUSTOM_API_KEY, env, secrets)[0] or "on").strip().lower()
    listed = lookup_setting(ALLOWED_ORIGINS_KEY, env, secrets)[0] or ""
    origins = set()
    for entry in filter(None, (part.strip() for part in listed.split(","))):
        try:
            origins.add(origin(validate_api_url(entry, allow_http=True)))
        except SettingsError as exc:
            raise SettingsError(f"{ALLOWED_ORIGINS_KEY} has {entry!r}, unusable: {exc}") from exc
    return ApiPolicy(switch not in {"off", "false", "0", "no"}, frozenset(origins))


def check_typed_url(url: str, policy: ApiPolicy, resolver: Resolver = system_resolver) -> str:
    """The typed address if the policy allows it; SettingsError, never naming what DNS said."""
    checked = validate_api_url(url, allow_http=True)
    if origin(checked) in policy.allowed_origins:
        return checked
    parts = urlsplit(checked)
    if parts.scheme != "https":
        raise SettingsError(
            "Use https:// for a remote API: over http:// the token would travel unencrypted."
        )
    host = parts.hostname or ""
    try:
        # The same check as a job's links, so both refuse the same addresses.
        check_public_address(parse_url(checked), resolver)
    except UnsafeUrlError as exc:
        raise SettingsError(
            f"The API host {host!r} is not a public address, and this deployment does not allow "
            f"it. Ask whoever runs the dashboard to add its origin to {ALLOWED_ORIGINS_KEY}."
        ) from exc
    except EomerError as exc:
        raise SettingsError(f"The API host {host!r} could not be resolved.") from exc
    return checked
