"""Sign-in's settings: the identity providers of Streamlit's `[auth]` secrets, and their labels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from dashboard.session.connection_settings import SettingsError, lookup_setting

AUTH_SECTION = "auth"
SIGN_IN_LABEL_KEY = "EOMER_SIGN_IN_LABEL"
DEFAULT_PROVIDER = "default"
_AUTH_KEYS = ("redirect_uri", "cookie_secret")
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class SignInProvider:
    """One way to sign in: the provider name `st.login` takes, and the label on its button."""

    name: str
    label: str


def sign_in_providers(
    env: Mapping[str, str], secrets: Mapping[str, object]
) -> list[SignInProvider]:
    """The providers of Streamlit's `[auth]` secrets section; empty when sign-in is off.

    SettingsError names the missing or malformed keys, never a value.
    """
    try:
        section = secrets.get(AUTH_SECTION)
    except FileNotFoundError:  # st.secrets without any secrets.toml
        return []
    if section is None:
        return []
    if not isinstance(section, Mapping):
        raise SettingsError("[auth] in the Streamlit secrets must be a table of settings.")
    _require(section, _AUTH_KEYS, "[auth]")
    label, _ = lookup_setting(SIGN_IN_LABEL_KEY, env, secrets)
    if any(key in section for key in _PROVIDER_KEYS):
        _require(section, _PROVIDER_KEYS, "[auth]")
        host = urlsplit(str(section["server_metadata_url"])).hostname or "your identity provider"
        return [SignInProvider(DEFAULT_PROVIDER, label or host)]
    named = [
        SignInProvider(name, name.replace("-", " ").title())
        for name, value in section.items()
        if isinstance(value, Mapping) and _require(value, _PROVIDER_KEYS, f"[auth.{name}]")
    ]
    if not named:
        raise SettingsError(
            "[auth] in the Streamlit secrets names no identity provider: add client_id, "
            "client_secret and server_metadata_url to it."
        )
    return named


def _require(section: Mapping[str, object], keys: tuple[str, ...], where: str) -> bool:
    missing = [key for key in keys if not str(section.get(key) or "").strip()]
    if missing:
        raise SettingsError(
            f"Sign-in is configured but {where} in the Streamlit secrets lacks "
            f"{', '.join(missing)}: add them, or remove [auth] to run without sign-in."
        )
    return True
