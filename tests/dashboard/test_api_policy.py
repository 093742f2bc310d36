"""The typed-API-address policy: public https by default, listed origins, no DNS answers shown."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from dashboard.safety.api_policy import ApiPolicy, Resolver, check_typed_url, origin, resolve_policy
from dashboard.session.connection_settings import SettingsError
from eomer_client.errors import ConnectError

PUBLIC = "93.184.216.34"
NON_PUBLIC = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.9",
    "192.168.1.1",
    "169.254.169.254",
    "::1",
    "fd00::1",
    "100.64.0.1",
    "0.0.0.0",
    "::ffff:127.0.0.1",
]


def resolving_to(*addresses: str) -> Resolver:
    def resolve(host: str, port: int) -> Sequence[str]:
        return addresses

    return resolve


def failing_resolver(host: str, port: int) -> Sequence[str]:
    raise ConnectError(f"The host {host!r} could not be resolved.")


def test_a_public_https_address_is_accepted() -> None:
    url = check_typed_url("https://api.example.com/", ApiPolicy(), resolving_to(PUBLIC))
    assert url == "https://api.example.com"


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_a_name_resolving_to_a_non_public_address_is_refused_without_saying_where(
    address: str,
) -> None:
    with pytest.raises(SettingsError) as refused:
        check_typed_url("https://inside.example", ApiPolicy(), resolving_to(address))
    message = str(refused.value)
    assert "not a public address" in message
    assert "EOMER_ALLOWED_API_ORIGINS" in message
    assert address not in message


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:8000", "http://x.localhost", "http://10.0.0.5"],
)
def test_plain_http_is_refused_even_for_loopback_unless_the_origin_is_allowed(url: str) -> None:
    with pytest.raises(SettingsError, match="https://"):
        check_typed_url(url, ApiPolicy(), resolving_to(PUBLIC))
    allowed = ApiPolicy(allowed_origins=frozenset({origin(url)}))
    assert check_typed_url(url, allowed, failing_resolver) == url


def test_a_private_https_origin_is_allowed_only_when_listed() -> None:
    url = "https://forecast.internal:8443"
    with pytest.raises(SettingsError):
        check_typed_url(url, ApiPolicy(), resolving_to("10.0.0.7"))
    policy = resolve_policy({"EOMER_ALLOWED_API_ORIGINS": " https://Forecast.internal:8443/ ,"}, {})
    assert check_typed_url(url + "/v1", policy, failing_resolver) == url + "/v1"


def test_an_unresolvable_host_is_refused_plainly() -> None:
    with pytest.raises(SettingsError, match="could not be resolved"):
        check_typed_url("https://nowhere.example", ApiPolicy(), failing_resolver)


@pytest.mark.parametrize(("value", "offered"), [("off", False), ("OFF", False), ("on", True)])
def test_custom_url_can_be_switched_off(value: str, offered: bool) -> None:
    assert resolve_policy({"EOMER_CUSTOM_API": value}, {}).custom_allowed is offered
    assert resolve_policy({}, {"EOMER_CUSTOM_API": value}).custom_allowed is offered


def test_a_malformed_allowed_origin_is_named() -> None:
    with pytest.raises(SettingsError, match="EOMER_ALLOWED_API_ORIGINS has 'ftp://x'"):
        resolve_policy({"EOMER_ALLOWED_API_ORIGINS": "ftp://x"}, {})


def test_origins_compare_without_default_ports_and_case() -> None:
    assert origin("HTTPS://Api.Example.com:443/x") == "https://api.example.com"
    assert origin("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
