"""Connection settings: presets, env before secrets, and API addresses that keep tokens safe."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from dashboard.session.connection_settings import (
    CLOUD_API_URL,
    DEMO_API_URL_KEY,
    SNAPSHOTS_MEMBERS_ONLY_KEY,
    ApiPreset,
    ConfiguredConnection,
    Connection,
    SettingsError,
    preset_url,
    resolve_connection,
    shared_demo_url,
    snapshots_members_only,
    validate_api_url,
)

TOKEN = "sentinel-token-8f3a"


class MissingSecrets(Mapping[str, object]):
    """Behaves like st.secrets without a secrets.toml: every read raises FileNotFoundError."""

    def __getitem__(self, key: str) -> object:
        raise FileNotFoundError("No secrets found.")

    def __iter__(self) -> Iterator[str]:
        raise FileNotFoundError("No secrets found.")

    def __len__(self) -> int:
        raise FileNotFoundError("No secrets found.")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://eomer-api.onrender.com", "https://eomer-api.onrender.com"),
        ("  https://eomer-api.onrender.com/  ", "https://eomer-api.onrender.com"),
        ("HTTPS://API.Example.com:8443/v1/", "https://api.example.com:8443/v1"),
        ("http://localhost:8765", "http://localhost:8765"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("http://127.5.6.7", "http://127.5.6.7"),
        ("http://[::1]:8765", "http://[::1]:8765"),
    ],
)
def test_valid_api_addresses_are_normalised(url: str, expected: str) -> None:
    assert validate_api_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "empty"),
        ("eomer-api.onrender.com", "must start with https://"),
        ("ftp://api.example.com", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("http://api.example.com", "http:// is allowed only for localhost"),
        ("http://10.0.0.5:8765", "http:// is allowed only for localhost"),
        ("http://localhost.evil.example", "http:// is allowed only for localhost"),
        # A subdomain of localhost is looked up in DNS like any name: not loopback by its name.
        ("http://api.localhost:1", "http:// is allowed only for localhost"),
        ("https://user:pw@api.example.com", "user name or password"),
        ("https://@api.example.com", "user name or password"),
        ("https://api.example.com/?token=x", "? or #"),
        ("https://api.example.com/#x", "? or #"),
        ("https://api.example.com:99999", "could not be read"),
        ("https://api.example.com:port", "could not be read"),
        ("https:///nohost", "no host name"),
        ("https://api.exa mple.com", "spaces"),
        ("https://api.example.com\\@evil.example", "backslashes"),
        ("https://api.example.com/\x00", "control"),
        ("https://" + "a" * 3000 + ".com", "longer than"),
    ],
)
def test_unusable_api_addresses_are_refused_with_a_clear_message(url: str, expected: str) -> None:
    with pytest.raises(SettingsError, match=expected.replace("?", r"\?")):
        validate_api_url(url)


def test_settings_error_is_a_value_error() -> None:
    assert issubclass(SettingsError, ValueError)


def test_environment_wins_over_secrets() -> None:
    env = {"EOMER_API_URL": "https://env.example/", "EOMER_API_TOKEN": "env-token"}
    secrets = {"EOMER_API_URL": "https://secret.example", "EOMER_API_TOKEN": "secret-token"}
    assert resolve_connection(env, secrets) == ConfiguredConnection(
        "https://env.example", "env-token", "environment"
    )


def test_secrets_fill_in_what_the_environment_lacks() -> None:
    env = {"EOMER_API_URL": "https://env.example", "EOMER_API_TOKEN": "  "}
    secrets: dict[str, object] = {"EOMER_API_TOKEN": "secret-token"}
    configured = resolve_connection(env, secrets)
    assert (configured.api_url, configured.token) == ("https://env.example", "secret-token")
    assert configured.source == "environment and secrets"


def test_nothing_configured_means_no_url_no_token() -> None:
    assert resolve_connection({}, {}) == ConfiguredConnection(None, None, "none")


def test_missing_secrets_file_is_the_same_as_no_secrets() -> None:
    assert resolve_connection({}, MissingSecrets()) == ConfiguredConnection(None, None, "none")


def test_a_configured_http_address_for_a_remote_host_is_refused_naming_its_source() -> None:
    with pytest.raises(SettingsError, match=r"EOMER_API_URL \(from the secrets\)"):
        resolve_connection({}, {"EOMER_API_URL": "http://api.example.com"})


def test_a_secret_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(SettingsError, match="must be a string"):
        resolve_connection({}, {"EOMER_API_TOKEN": {"nested": "table"}})


@pytest.mark.parametrize(
    "connection",
    [
        Connection("https://api.example.com", TOKEN),
        ConfiguredConnection("https://api.example.com", TOKEN, "environment"),
    ],
)
def test_repr_and_str_never_show_the_token(connection: object) -> None:
    assert TOKEN not in repr(connection)
    assert TOKEN not in str(connection)
    assert "***" in repr(connection)


def test_connection_still_holds_the_token_for_the_client() -> None:
    assert Connection("https://api.example.com", TOKEN).token == TOKEN


def test_presets_map_to_their_addresses() -> None:
    assert preset_url(ApiPreset.DEMO) is None
    assert preset_url(ApiPreset.CLOUD) == CLOUD_API_URL == "https://eomer-api.onrender.com"
    assert preset_url(ApiPreset.CUSTOM, "https://mine.example/") == "https://mine.example"
    assert ApiPreset.CUSTOM.label == "Custom URL"


def test_custom_preset_validates_its_address() -> None:
    with pytest.raises(SettingsError):
        preset_url(ApiPreset.CUSTOM, "http://plain.example")


def test_the_shared_demo_is_a_local_address_or_none() -> None:
    assert shared_demo_url({}) is None
    assert shared_demo_url({DEMO_API_URL_KEY: " http://127.0.0.1:8765/ "}) == (
        "http://127.0.0.1:8765"
    )
    for unusable in ("https://demo.example.org", "http://10.0.0.5:8765", "ftp://127.0.0.1"):
        with pytest.raises(SettingsError, match=DEMO_API_URL_KEY):
            shared_demo_url({DEMO_API_URL_KEY: unusable})


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("false", False), ("0", False), ("true", True), (" YES ", True)],
)
def test_snapshots_are_open_by_link_unless_the_deployment_keeps_them_for_members(
    value: str | None, expected: bool
) -> None:
    env = {} if value is None else {SNAPSHOTS_MEMBERS_ONLY_KEY: value}
    assert snapshots_members_only(env, {}) is expected


def test_a_snapshot_setting_neither_yes_nor_no_is_named() -> None:
    with pytest.raises(SettingsError, match=f"{SNAPSHOTS_MEMBERS_ONLY_KEY} \\(from the secrets\\)"):
        snapshots_members_only({}, {SNAPSHOTS_MEMBERS_ONLY_KEY: "members"})
