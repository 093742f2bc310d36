"""When sign-in is on, which providers it offers, and how a misconfiguration is said."""

from __future__ import annotations

import pytest

from dashboard.session.connection_settings import SettingsError
from dashboard.session.sign_in_settings import SignInProvider, sign_in_providers
from tests.apptest import function_app

AUTH = {
    "redirect_uri": "https://dash.example.org/oauth2callback",
    "cookie_secret": "cookie-secret-value",
    "client_id": "eomer",
    "client_secret": "client-secret-value",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}


def test_without_an_auth_section_sign_in_is_off() -> None:
    assert sign_in_providers({}, {"EOMER_API_URL": "https://x.example"}) == []


def test_the_default_provider_is_named_by_its_host_or_the_configured_label() -> None:
    assert sign_in_providers({}, {"auth": AUTH}) == [SignInProvider("default", "login.example.org")]
    labelled = sign_in_providers({"EOMER_SIGN_IN_LABEL": "Acme SSO"}, {"auth": AUTH})
    assert labelled == [SignInProvider("default", "Acme SSO")]


def test_named_providers_are_offered_each() -> None:
    general = {key: AUTH[key] for key in ("redirect_uri", "cookie_secret")}
    provider = {key: AUTH[key] for key in ("client_id", "client_secret", "server_metadata_url")}
    auth = {**general, "google": provider, "okta-eu": provider}
    names = [(p.name, p.label) for p in sign_in_providers({}, {"auth": auth})]
    assert names == [("google", "Google"), ("okta-eu", "Okta Eu")]


@pytest.mark.parametrize("missing", ["cookie_secret", "client_secret", "server_metadata_url"])
def test_a_missing_key_is_named_without_any_value(missing: str) -> None:
    auth = {key: value for key, value in AUTH.items() if key != missing}
    with pytest.raises(SettingsError, match=missing) as caught:
        sign_in_providers({}, {"auth": auth})
    assert "secret-value" not in str(caught.value)


def test_an_auth_section_without_a_provider_says_what_to_add() -> None:
    auth = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]}
    with pytest.raises(SettingsError, match="names no identity provider"):
        sign_in_providers({}, {"auth": auth})


def _signed_in_sidebar() -> None:
    from components.shell.sign_in import Account, sidebar_sign_in

    def ignore(*args: object) -> None:
        return None

    sidebar_sign_in(Account(ignore, ignore, ignore))


def test_the_providers_claims_are_shown_as_plain_text() -> None:
    at = function_app(_signed_in_sidebar)
    at.secrets["auth"] = AUTH
    at.user = {
        "is_logged_in": True,
        "iss": "https://login.example.org",
        "sub": "s1",
        "name": "[click](https://evil.example) **bold**",
        "email": "a@example.org",
    }
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(str(m.value) for m in at.sidebar.markdown)
    assert "[click](" not in shown
    assert "\\[click\\]" in shown
    assert [b.label for b in at.sidebar.button] == ["Sign out", "Forget me"]
