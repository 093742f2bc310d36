"""An analyst's saved connection: the API they use and their token, encrypted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select

from store.analysts import analyst_id, analyst_row
from store.clock import utc_now
from store.engine import Store
from store.schema import Analyst, Connection


@dataclass(frozen=True)
class SavedConnection:
    """The API and token an analyst last connected with."""

    api_url: str
    # Kept out of repr(), so a token never reaches a log line or a traceback.
    token: str = field(repr=False)
    updated_at: datetime


def save_connection(store: Store, subject: str, api_url: str, token: str) -> None:
    """Keep `api_url` and `token` (encrypted) as the analyst's one connection."""
    ciphertext = store.secrets.encrypt(token)
    with store.transaction() as session:
        owner = analyst_row(session, subject)
        saved = session.scalar(select(Connection).where(Connection.analyst_id == owner.id))
        if saved is None:
            saved = Connection(analyst_id=owner.id)
            session.add(saved)
        saved.api_url = api_url
        saved.token_ciphertext = ciphertext
        saved.updated_at = utc_now()


def load_connection(store: Store, subject: str) -> SavedConnection | None:
    """The analyst's saved connection, or None when they have not saved one."""
    with store.transaction() as session:
        saved = session.scalar(select(Connection).join(Analyst).where(Analyst.subject == subject))
    if saved is None:
        return None
    return SavedConnection(
        saved.api_url, store.secrets.decrypt(saved.token_ciphertext), saved.updated_at
    )


def forget_connection(store: Store, subject: str) -> None:
    with store.transaction() as session:
        owner = analyst_id(session, subject)
        if owner is not None:
            session.execute(delete(Connection).where(Connection.analyst_id == owner))
