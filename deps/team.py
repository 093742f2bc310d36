"""The team: the signed-in analyst, sign-in and Forget me, the saved connection and watch lists.

The signed-in analyst's subject is kept in the browser session; every function below acts for
that analyst only, so no page can name another's. Without sign-in nothing is saved. A store
that cannot open or answer becomes SettingsError: the sidebar says so and the dashboard goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

import streamlit as st

import store as team_store
from dashboard.session.connection_settings import Connection, SettingsError, SignedOutError
from dashboard.session.return_to import PendingReturns
from deps.browser import browser_key
from deps.resources import caches, store
from store import Store, StoreError, StoreUnansweredError

_log = logging.getLogger(__name__)

ANALYST_KEY = "deps_analyst"
# When the analyst row this session signed in to was created: another row (or none) means the
# analyst was forgotten meanwhile, in another session.
ANALYST_SINCE_KEY = "deps_analyst_since"
# The subject whose sign-in ended elsewhere: this session's st.user still names it until it
# logs out, and must not sign it in (and create its row) again.
FORGOTTEN_KEY = "deps_analyst_forgotten"
FORGOTTEN_ELSEWHERE = (
    "You were signed out: Forget me deleted your saved connection and watch lists, perhaps in "
    "another tab. Sign in again to start afresh."
)


@contextmanager
def saving(what: str) -> Iterator[Store]:
    """The open store; a store error or an unreachable database becomes SettingsError."""
    opened = store()
    if isinstance(opened, StoreError):
        raise SettingsError(f"{what} is off: {opened}") from opened
    try:
        yield opened
    except team_store.AnalystGoneError as err:
        _signed_out_elsewhere()
        raise SignedOutError(str(err)) from err
    except StoreUnansweredError as err:
        raise SettingsError(
            f"{what} failed: the store's database did not answer ({err.kind}). "
            "Try again in a moment; the dashboard works meanwhile, without saving."
        ) from err
    except StoreError as err:
        raise SettingsError(f"{what} failed: {err}") from err


def analyst() -> str | None:
    """The signed-in analyst's subject in this browser session, or None."""
    subject = st.session_state.get(ANALYST_KEY)
    return subject if isinstance(subject, str) else None


def _since() -> datetime | None:
    """When the analyst row this session signed in to was created (None: not recorded yet)."""
    since = st.session_state.get(ANALYST_SINCE_KEY)
    return since if isinstance(since, datetime) else None


def _signed_out_elsewhere() -> None:
    st.session_state[FORGOTTEN_KEY] = analyst()
    sign_out()


def sign_in(issuer: str, sub: str, email: str | None, name: str | None) -> None:
    """Make the analyst this session's own, recorded in the store once per session.

    On every later run, check the analyst was not forgotten meanwhile in another session
    (any tab, any replica): then SignedOutError, and this session is signed out.
    """
    subject = team_store.analyst_subject(issuer, sub)
    if st.session_state.get(FORGOTTEN_KEY) == subject:
        raise SignedOutError(FORGOTTEN_ELSEWHERE)
    since = _since()
    if analyst() == subject and since is not None:
        if _forgotten_since(subject, since):
            _signed_out_elsewhere()
            raise SignedOutError(FORGOTTEN_ELSEWHERE)
        return
    # Set first: a store that cannot record the sign-in must not sign the session out.
    st.session_state[ANALYST_KEY] = subject
    with saving("Saving your settings") as opened:
        profile = team_store.record_sign_in(opened, subject, email=email, name=name)
    st.session_state[ANALYST_SINCE_KEY] = profile.created_at


def _forgotten_since(subject: str, since: datetime) -> bool:
    """True when the analyst row this session signed in to is gone (or made anew since)."""
    try:
        with saving("Checking your sign-in") as opened:
            profile = team_store.load_analyst(opened, subject)
    except SettingsError as err:
        # A store that cannot answer now signs nobody out; writes are checked by the store.
        _log.warning("Sign-in not checked: %s", err)
        return False
    return profile is None or profile.created_at != since


def sign_out() -> None:
    """Forget the analyst in this session (before `st.logout`)."""
    st.session_state.pop(ANALYST_KEY, None)
    st.session_state.pop(ANALYST_SINCE_KEY, None)


def pending_returns() -> PendingReturns:
    """Each browser's page to return to after signing in, shared by the process's sessions.

    Behind HAProxy the sign-in round trip stays on one replica (the SERVERID cookie), so the
    process's memory is enough; a replica lost mid-sign-in only lands the analyst on `/`.
    """
    return caches().returns


def remember_return(path: str) -> None:
    """Keep the page this browser was on when it went to sign in."""
    pending_returns().remember(browser_key(), path)


def take_return() -> str | None:
    """The page this browser was on before signing in (given once), or None."""
    return pending_returns().take(browser_key())


def forget_me() -> None:
    """Delete the analyst's saved connection and watch lists, then end the session's sign-in.

    Her other sessions find the row gone on their next run and sign out (sign_in), and their
    writes create nothing (the store checks the row they signed in to).
    """
    subject = analyst()
    if subject is None:
        return
    with saving("Forgetting you") as opened:
        team_store.forget_analyst(opened, subject)
    st.session_state[FORGOTTEN_KEY] = subject
    sign_out()


def saved_connection() -> Connection | None:
    """The API and token the signed-in analyst last connected with, or None."""
    subject = analyst()
    if subject is None:
        return None
    with saving("Your saved connection") as opened:
        saved = team_store.load_connection(opened, subject)
    return None if saved is None else Connection(saved.api_url, saved.token)


def remember_connection(choice: Connection | None) -> None:
    """Save `choice` as the analyst's connection; None (the built-in demo) forgets it."""
    subject = analyst()
    if subject is None:
        return
    with saving("Saving your connection") as opened:
        if choice is None or choice.api_url is None or choice.token is None:
            team_store.forget_connection(opened, subject)
        else:
            team_store.save_connection(
                opened, subject, choice.api_url, choice.token, since=_since()
            )


def saved_watchlists() -> list[team_store.SavedWatchlist]:
    """The signed-in analyst's watch lists by name; empty without sign-in."""
    subject = analyst()
    if subject is None:
        return []
    with saving("Your saved watch lists") as opened:
        return team_store.list_watchlists(opened, subject)


def save_watchlist(name: str, job_ids: Sequence[str]) -> None:
    """Save (or replace) the analyst's watch list called `name`."""
    subject = analyst()
    if subject is None:
        raise SettingsError("Sign in to save watch lists.")
    with saving("Saving the watch list") as opened:
        team_store.save_watchlist(opened, subject, name, job_ids, since=_since())


def delete_watchlist(name: str) -> None:
    subject = analyst()
    if subject is None:
        raise SettingsError("Sign in to delete saved watch lists.")
    with saving("Deleting the watch list") as opened:
        team_store.delete_watchlist(opened, subject, name)
