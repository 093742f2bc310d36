"""An analyst's saved connection: the API they use and their token, sealed to both."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select

from store.analysts import analyst_id, analyst_row
from store.clock import utc_now
from store.engine import Store
from store.errors import SecretKeyError
from store.schema import Analyst, ConnectionRecord

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SavedConnection:
    """The API and token an analyst last connected with."""

    api_url: str
    # Kept out of repr(), so a token never reaches a log line or a traceback.
    token: str = field(repr=False)
    updated_at: datetime


def save_connection(
    store: Store, subject: str, api_url: str, token: str, *, since: datetime | None = None
) -> None:
    """Keep `api_url` and `token` (sealed to the analyst and the address) as their connection.

    With `since` (when the session's analyst row was created), an analyst forgotten meanwhile
    is not created again: AnalystGoneError.
    """
    sealed = store.secrets.seal(token, analyst=subject, api_url=api_url)
    with store.transaction() as session:
        owner = analyst_row(session, subject, since=since)
        saved = session.scalar(
            select(ConnectionRecord).where(ConnectionRecord.analyst_id == owner.id)
        )
        if saved is None:
            saved = ConnectionRecord(analyst_id=owner.id)
            session.add(saved)
        saved.api_url = api_url
        saved.token_ciphertext = sealed
        saved.updated_at = utc_now()


def load_connection(store: Store, subject: str) -> SavedConnection | None:
    """The analyst's saved connection, or None when there is none that passes its check.

    A token whose seal does not open for this analyst and this address (another key, a row
    rewritten in the store, a token saved before the binding) is never returned: it is logged
    here, on the server, and the analyst connects again.
    """
    with store.transaction() as session:
        saved = session.scalar(
            select(ConnectionRecord).join(Analyst).where(Analyst.subject == subject)
        )
    if saved is None:
        return None
    try:
        token = store.secrets.unseal(saved.token_ciphertext, analyst=subject, api_url=saved.api_url)
    except SecretKeyError as err:
        # The subject names a person: the log gets a short digest of it, enough to match rows.
        digest = hashlib.sha256(subject.encode()).hexdigest()[:12]
        _log.warning("Saved connection of analyst %s ignored: %s", digest, err)
        return None
    return SavedConnection(saved.api_url, token, saved.updated_at)


def forget_connection(store: Store, subject: str) -> None:
    with store.transaction() as session:
        owner = analyst_id(session, subject)
        if owner is not None:
            session.execute(delete(ConnectionRecord).where(ConnectionRecord.analyst_id == owner))
