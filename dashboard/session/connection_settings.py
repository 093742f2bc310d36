"""Which API the dashboard talks to, and with which token, from presets, env and secrets."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

CLOUD_API_URL = "https://eomer-api.onrender.com"
API_URL_KEY = "EOMER_API_URL"
API_TOKEN_KEY = "EOMER_API_TOKEN"
# The built-in demo's address when it runs as a process of its own, shared by several
# dashboards (`python3 -m deploy.local` sets it); unset, each dashboard starts its own.
DEMO_API_URL_KEY = "EOMER_DEMO_API_URL"
MAX_URL_LENGTH = 2048
_HTTPS_HINT = "Use an address such as https://eomer-api.onrender.com."


class SettingsError(ValueError):
    """A configured or typed connection setting is unusable; the message says how to fix it."""


class SignedOutError(SettingsError):
    """The analyst's sign-in ended elsewhere (Forget me in another tab): sign this session out."""


class ApiPreset(StrEnum):
    """The API choices offered in the sidebar."""

    DEMO = "demo"
    CLOUD = "cloud"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return _PRESET_LABELS[self]


_PRESET_LABELS = {
    ApiPreset.DEMO: "Built-in demo API",
    ApiPreset.CLOUD: "Eomer cloud",
    ApiPreset.CUSTOM: "Custom URL",
}


def _masked(token: str | None) -> str:
    return "None" if token is None else "'***'"


@dataclass(frozen=True)
class Connection:
    """The API address and token in use; the token never appears in repr or str.

    `api_url` is None while no usable address is chosen, and for the built-in demo until it has
    started; `identity` scopes every cache of the session to the address and the token.
    """

    api_url: str | None
    token: str | None = field(default=None, repr=False)
    is_demo: bool = False

    def __repr__(self) -> str:
        return f"Connection(api_url={self.api_url!r}, token={_masked(self.token)})"

    @property
    def identity(self) -> str:
        digest = hashlib.sha256((self.token or "").encode()).hexdigest()[:16]
        return f"{self.api_url}|{digest}"


@dataclass(frozen=True)
class ConfiguredConnection:
    """What the deployment preset through env or secrets; `source` says where it came from."""

    api_url: str | None
    token: str | None = field(repr=False)
    source: str

    def __repr__(self) -> str:
        return (
            f"ConfiguredConnection(api_url={self.api_url!r}, token={_masked(self.token)}, "
            f"source={self.source!r})"
        )


def _is_loopback(host: str) -> bool:
    # Only the name itself: `x.localhost` is looked up in DNS like any other name.
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_characters(url: str) -> None:
    if not url:
        raise SettingsError(f"The API address is empty. {_HTTPS_HINT}")
    if len(url) > MAX_URL_LENGTH:
        raise SettingsError(f"The API address is longer than {MAX_URL_LENGTH} characters.")
    if any(ch.isspace() or not ch.isprintable() or ch == "\\" for ch in url):
        raise SettingsError("The API address contains spaces, backslashes or control characters.")
    if "?" in url or "#" in url:
        raise SettingsError("The API address must not contain ? or #: give only the base URL.")


def _netloc(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def validate_api_url(url: str, *, allow_http: bool = False) -> str:
    """The normalised base URL (no trailing slash), or SettingsError saying what to change.

    http:// is refused except for localhost, unless `allow_http` (a policy decides instead).
    """
    text = url.strip()
    _check_characters(text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise SettingsError(f"The API address could not be read. {_HTTPS_HINT}") from exc
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise SettingsError(f"The API address must start with https://. {_HTTPS_HINT}")
    if "@" in parts.netloc:
        raise SettingsError(
            "The API address must not contain a user name or password: "
            "put the API key in the token field instead."
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise SettingsError(f"The API address has no host name. {_HTTPS_HINT}")
    if scheme == "http" and not allow_http and not _is_loopback(host):
        raise SettingsError(
            "Use https:// for a remote API: over http:// the token would travel unencrypted. "
            "http:// is allowed only for localhost."
        )
    return urlunsplit((scheme, _netloc(host, port), parts.path.rstrip("/"), "", ""))


def lookup_setting(
    key: str, env: Mapping[str, str], secrets: Mapping[str, object]
) -> tuple[str | None, str | None]:
    """The first non-empty value of `key` and where it came from: env first, then secrets."""
    from_env = env.get(key, "").strip()
    if from_env:
        return from_env, "environment"
    try:
        secret = secrets[key]
    except (KeyError, FileNotFoundError):
        # st.secrets raises FileNotFoundError when there is no secrets.toml at all.
        return None, None
    if secret is None:
        return None, None
    if not isinstance(secret, str):
        raise SettingsError(f"{key} in the Streamlit secrets must be a string.")
    value = secret.strip()
    return (value, "secrets") if value else (None, None)


def resolve_connection(
    env: Mapping[str, str], secrets: Mapping[str, object]
) -> ConfiguredConnection:
    """The deployment's preset API address and token; SettingsError if the address is unusable."""
    url, url_source = lookup_setting(API_URL_KEY, env, secrets)
    token, token_source = lookup_setting(API_TOKEN_KEY, env, secrets)
    sources = list(dict.fromkeys(s for s in (url_source, token_source) if s is not None))
    source = " and ".join(sources) or "none"
    if url is None:
        return ConfiguredConnection(None, token, source)
    try:
        checked = validate_api_url(url)
    except SettingsError as exc:
        raise SettingsError(f"{API_URL_KEY} (from the {url_source}) is unusable: {exc}") from exc
    return ConfiguredConnection(checked, token, source)


def shared_demo_url(env: Mapping[str, str]) -> str | None:
    """The shared built-in demo's address, or None; SettingsError if it is not a local one."""
    url = env.get(DEMO_API_URL_KEY, "").strip()
    if not url:
        return None
    try:
        checked = validate_api_url(url)
    except SettingsError as exc:
        raise SettingsError(f"{DEMO_API_URL_KEY} is unusable: {exc}") from exc
    if not _is_loopback((urlsplit(checked).hostname or "").lower()):
        # The demo token is public: the shared demo is a neighbour process, never a remote API.
        raise SettingsError(f"{DEMO_API_URL_KEY} must be a loopback address (127.0.0.1).")
    return checked


def preset_url(preset: ApiPreset, custom_url: str = "") -> str | None:
    """The API address a preset stands for; None for the demo, which starts on its own."""
    if preset is ApiPreset.DEMO:
        return None
    if preset is ApiPreset.CLOUD:
        return CLOUD_API_URL
    return validate_api_url(custom_url)


SNAPSHOTS_MEMBERS_ONLY_KEY = "EOMER_SNAPSHOTS_MEMBERS_ONLY"
_YES = frozenset({"1", "true", "yes", "on"})
_NO = frozenset({"0", "false", "no", "off"})


def snapshots_members_only(env: Mapping[str, str], secrets: Mapping[str, object]) -> bool:
    """Whether, with sign-in on, a snapshot's link opens for signed-in members only.

    Off by default: a snapshot opens for anyone holding its link. SettingsError names the key
    and the values it takes when the value is neither yes nor no.
    """
    value, source = lookup_setting(SNAPSHOTS_MEMBERS_ONLY_KEY, env, secrets)
    if value is None or value.lower() in _NO:
        return False
    if value.lower() in _YES:
        return True
    raise SettingsError(
        f"{SNAPSHOTS_MEMBERS_ONLY_KEY} (from the {source}) must be true or false; "
        "snapshots are kept for signed-in members until it is."
    )
