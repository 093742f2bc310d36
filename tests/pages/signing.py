"""The app with sign-in configured, for page tests: the provider's settings and a signed-in user."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from tests.apptest import dashboard_app
from tests.conftest import DemoApi

ISSUER = "https://idp.example.test"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-long-enough",
    "client_id": "eomer",
    "client_secret": "test-client-secret",
    "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
}


def app_for(api: DemoApi, user: dict[str, Any], auth: dict[str, str] | None = None) -> AppTest:
    """A new browser session of the app, with sign-in configured and `user` as st.user."""
    at = dashboard_app()
    at.secrets["auth"] = auth if auth is not None else AUTH
    at.secrets["EOMER_ALLOWED_API_ORIGINS"] = api.url
    at.user = user
    return at


def signed_in(sub: str, name: str = "Ada Analyst") -> dict[str, Any]:
    """st.user of an analyst signed in at the test provider."""
    return {"is_logged_in": True, "iss": ISSUER, "sub": sub, "email": "ada@x.test", "name": name}
