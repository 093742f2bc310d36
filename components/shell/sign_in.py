"""Signing in with the deployment's identity provider (Streamlit's `st.login`), when configured."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

import streamlit as st
from streamlit.errors import StreamlitAuthError

from components.common.plain_text import escape_markdown, escape_untrusted
from dashboard.session.connection_settings import SettingsError, SignedOutError
from dashboard.session.sign_in_settings import SignInProvider, sign_in_providers

FORGET_CONFIRM_KEY = "sign_in_forget_confirm"
SIGN_OUT_KEY = "sign_in_sign_out"
FORGET_KEY = "sign_in_forget"
FORGET_YES_KEY = "sign_in_forget_yes"
FORGET_NO_KEY = "sign_in_forget_no"
FORGOTTEN = (
    "Forget me deletes your saved connection (API and token) and your saved watch lists. "
    "The job history stays with your API token's team."
)


class SignIn(Enum):
    """Whether sign-in is configured, and whether this session has signed in."""

    OFF = "off"
    SIGNED_OUT = "signed out"
    SIGNED_IN = "signed in"


@dataclass(frozen=True)
class SignInState:
    status: SignIn
    providers: tuple[SignInProvider, ...] = ()


@dataclass(frozen=True)
class Account:
    """What the shell needs from the wiring to sign an analyst in and out; errors: SettingsError."""

    sign_in: Callable[[str, str, str | None, str | None], None]
    sign_out: Callable[[], None]
    forget_me: Callable[[], None]
    # Called as a sign-in button is clicked, before the browser leaves for the provider.
    before_login: Callable[[], None] = lambda: None


def sidebar_sign_in(account: Account) -> SignInState:
    """Sign-in in the sidebar when `[auth]` is configured; OFF (as without sign-in) otherwise."""
    try:
        providers = tuple(sign_in_providers(os.environ, st.secrets))
    except SettingsError as err:
        st.sidebar.error(
            f"{escape_markdown(str(err))} Until then nothing is saved.", icon=":material/lock:"
        )
        return SignInState(SignIn.OFF)
    if not providers:
        return SignInState(SignIn.OFF)
    # to_dict: without [auth] in the secrets file, st.user has no is_logged_in at all.
    user = st.user.to_dict()
    issuer, sub = user.get("iss"), user.get("sub")
    if not user.get("is_logged_in") or not isinstance(issuer, str) or not isinstance(sub, str):
        with st.sidebar:
            sign_in_buttons(providers, key="sidebar", before_login=account.before_login)
        return SignInState(SignIn.SIGNED_OUT, providers)
    with st.sidebar:
        _signed_in_as(user)
        try:
            account.sign_in(issuer, sub, _claim(user, "email"), _claim(user, "name"))
        except SignedOutError as err:
            # Forgotten in another session: this browser's sign-in ends too, nothing is shown.
            st.warning(escape_markdown(str(err)), icon=":material/logout:")
            st.logout()
            return SignInState(SignIn.SIGNED_OUT, providers)
        except SettingsError as err:
            st.warning(escape_markdown(str(err)), icon=":material/cloud_off:")
        if _account_actions(account):
            # Streamlit redirects the browser; meanwhile this run shows nothing of the team's.
            return SignInState(SignIn.SIGNED_OUT, providers)
    return SignInState(SignIn.SIGNED_IN, providers)


def _claim(user: Mapping[str, object], key: str) -> str | None:
    value = user.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _signed_in_as(user: Mapping[str, object]) -> None:
    name = _claim(user, "name")
    email = _claim(user, "email")
    # Claims come from the identity provider: shown as plain text, never as markdown.
    shown = escape_untrusted(name or email or str(user.get("sub")))
    st.markdown(f":material/account_circle: Signed in as **{shown}**")
    if name and email:
        st.caption(escape_untrusted(email))


def _account_actions(account: Account) -> bool:
    """Sign out and Forget me (after a confirm step); True once the analyst signed out."""
    if st.button("Sign out", key=SIGN_OUT_KEY, icon=":material/logout:"):
        account.sign_out()
        st.logout()
        return True
    if not st.session_state.get(FORGET_CONFIRM_KEY):
        if st.button("Forget me", key=FORGET_KEY, icon=":material/person_remove:"):
            st.session_state[FORGET_CONFIRM_KEY] = True
            st.rerun()
        return False
    st.warning(FORGOTTEN + " You are then signed out.", icon=":material/warning:")
    yes, no = st.columns(2)
    if no.button("Cancel", key=FORGET_NO_KEY):
        st.session_state[FORGET_CONFIRM_KEY] = False
        st.rerun()
    if yes.button("Yes, forget me", key=FORGET_YES_KEY, type="primary"):
        st.session_state[FORGET_CONFIRM_KEY] = False
        try:
            account.forget_me()
        except SettingsError as err:
            st.error(
                f"{escape_markdown(str(err))} Nothing was deleted; try again.",
                icon=":material/cloud_off:",
            )
            return False
        st.logout()
        return True
    return False


def sign_in_buttons(
    providers: Sequence[SignInProvider],
    *,
    key: str,
    before_login: Callable[[], None] = lambda: None,
) -> None:
    """A "Sign in with ..." button per provider; a misconfigured provider is said in place."""
    for provider in providers:
        label = f"Sign in with {provider.label}"
        if st.button(label, key=f"sign_in_{key}_{provider.name}", icon=":material/login:"):
            before_login()
            try:
                st.login(provider.name)
            except StreamlitAuthError as err:
                st.error(
                    f"Sign-in is misconfigured on this server: {escape_markdown(str(err))}",
                    icon=":material/lock:",
                )


def sign_in_gate(
    providers: Sequence[SignInProvider], before_login: Callable[[], None] = lambda: None
) -> None:
    """The page a signed-out visitor sees: no data, no API call, only the way in."""
    st.title("Sign in to use the dashboard")
    st.write(
        "This dashboard is shared by a team. Sign in, and your API connection and watch lists "
        "are kept for you in every tab and after every reload."
    )
    sign_in_buttons(providers, key="page", before_login=before_login)
