"""Analysts: who signed in, and forgetting everything held for one of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store.clock import utc_now
from store.engine import Store
from store.errors import AnalystGoneError
from store.schema import Analyst, ConnectionRecord, WatchlistRecord

LOCAL_SUBJECT = "local"


@dataclass(frozen=True)
class AnalystProfile:
    """What the store knows of an analyst."""

    subject: str
    email: str | None
    name: str | None
    created_at: datetime
    last_seen: datetime


def analyst_subject(issuer: str, sub: str) -> str:
    """One stable name per person: `sub` is unique only within its issuer (OIDC Core 5.7)."""
    return f"{issuer.rstrip('/')}|{sub}"


def record_sign_in(
    store: Store, subject: str, *, email: str | None = None, name: str | None = None
) -> AnalystProfile:
    """Create the analyst on first sign-in, else refresh the profile and last seen."""
    with store.transaction() as session:
        analyst = analyst_row(session, subject)
        analyst.email = email if email is not None else analyst.email
        analyst.name = name if name is not None else analyst.name
        analyst.last_seen = utc_now()
        return _profile(analyst)


def load_analyst(store: Store, subject: str) -> AnalystProfile | None:
    """What the store knows of the analyst; None once forgotten (or never signed in)."""
    with store.transaction() as session:
        analyst = session.scalar(select(Analyst).where(Analyst.subject == subject))
        return None if analyst is None else _profile(analyst)


def forget_analyst(store: Store, subject: str) -> None:
    """Delete the analyst, their saved connection and their watch lists."""
    with store.transaction() as session:
        analyst_id = session.scalar(select(Analyst.id).where(Analyst.subject == subject))
        if analyst_id is None:
            return
        # Explicit deletes, not only ON DELETE CASCADE: SQLite enforces it per connection.
        session.execute(delete(ConnectionRecord).where(ConnectionRecord.analyst_id == analyst_id))
        session.execute(delete(WatchlistRecord).where(WatchlistRecord.analyst_id == analyst_id))
        session.execute(delete(Analyst).where(Analyst.id == analyst_id))


def analyst_row(session: Session, subject: str, *, since: datetime | None = None) -> Analyst:
    """The analyst's row, created if this subject is new.

    With `since`, the caller acts for the row created at that moment (a signed-in session):
    a row deleted meanwhile ("Forget me", perhaps in another tab) or made anew after that is
    AnalystGoneError, and nothing is created.
    """
    analyst = session.scalar(select(Analyst).where(Analyst.subject == subject))
    if since is not None and (analyst is None or analyst.created_at != since):
        raise AnalystGoneError(
            "You were signed out: Forget me deleted your saved settings, perhaps in another "
            "tab. Nothing was saved; sign in again to save."
        )
    if analyst is None:
        now = utc_now()
        analyst = Analyst(subject=subject, created_at=now, last_seen=now)
        session.add(analyst)
        session.flush()
    return analyst


def analyst_id(session: Session, subject: str) -> int | None:
    return session.scalar(select(Analyst.id).where(Analyst.subject == subject))


def _profile(analyst: Analyst) -> AnalystProfile:
    return AnalystProfile(
        analyst.subject, analyst.email, analyst.name, analyst.created_at, analyst.last_seen
    )
