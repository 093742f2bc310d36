"""Analysts: signing in, and "forget me" removing every row held for one analyst."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from store import (
    AnalystGoneError,
    Store,
    analyst_subject,
    forget_analyst,
    list_watchlists,
    load_analyst,
    load_connection,
    record_sign_in,
    save_connection,
    save_watchlist,
)

TABLES = ("analysts", "connections", "watchlists")


def test_the_subject_joins_issuer_and_sub_so_issuers_never_collide() -> None:
    assert analyst_subject("https://idp.example/", "42") == "https://idp.example|42"
    assert analyst_subject("https://a.example", "42") != analyst_subject("https://b.example", "42")


def test_signing_in_creates_then_refreshes_the_profile(store: Store) -> None:
    first = record_sign_in(store, "idp|1", email="ana@example.com", name="Ana")
    again = record_sign_in(store, "idp|1", name="Ana B.")
    assert (again.email, again.name, again.created_at) == (
        "ana@example.com",
        "Ana B.",
        first.created_at,
    )
    assert again.last_seen >= first.last_seen
    assert load_analyst(store, "idp|1") == again
    assert load_analyst(store, "idp|2") is None


def test_forgetting_an_analyst_removes_every_row_held_for_them(store: Store) -> None:
    for subject in ("idp|gone", "idp|kept"):
        record_sign_in(store, subject, email=f"{subject}@example.com")
        save_connection(store, subject, "https://api.example", f"token-of-{subject}")
        save_watchlist(store, subject, "daily", ["job-1", "job-2"])
        save_watchlist(store, subject, "weekly", ["job-3"])
    forget_analyst(store, "idp|gone")
    assert _rows(store) == {"analysts": 1, "connections": 1, "watchlists": 2}
    assert load_analyst(store, "idp|gone") is None
    assert load_connection(store, "idp|gone") is None
    assert list_watchlists(store, "idp|gone") == []
    assert [saved.name for saved in list_watchlists(store, "idp|kept")] == ["daily", "weekly"]


def test_forgetting_an_unknown_analyst_changes_nothing(store: Store) -> None:
    save_watchlist(store, "idp|kept", "daily", ["job-1"])
    forget_analyst(store, "idp|unknown")
    assert _rows(store) == {"analysts": 1, "connections": 0, "watchlists": 1}


def test_a_session_signed_in_before_forget_me_creates_nothing_afterwards(store: Store) -> None:
    since = record_sign_in(store, "idp|ana").created_at  # what her other tab holds
    forget_analyst(store, "idp|ana")  # Forget me, in this tab
    with pytest.raises(AnalystGoneError, match="Forget me"):
        save_connection(store, "idp|ana", "https://api.example", "token-1", since=since)
    with pytest.raises(AnalystGoneError):
        save_watchlist(store, "idp|ana", "daily", ["job-1"], since=since)
    assert _rows(store) == {"analysts": 0, "connections": 0, "watchlists": 0}


def test_a_session_of_an_earlier_sign_in_cannot_write_to_the_analysts_new_row(
    store: Store,
) -> None:
    old = record_sign_in(store, "idp|ana").created_at
    forget_analyst(store, "idp|ana")
    new = record_sign_in(store, "idp|ana").created_at  # she signs in again elsewhere
    with pytest.raises(AnalystGoneError):
        save_watchlist(store, "idp|ana", "stale", ["job-1"], since=old)
    save_watchlist(store, "idp|ana", "fresh", ["job-2"], since=new)
    assert [saved.name for saved in list_watchlists(store, "idp|ana")] == ["fresh"]


def _rows(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in TABLES
        }
