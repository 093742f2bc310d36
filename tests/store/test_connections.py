"""Saved connections: one per analyst, and the token never kept in clear anywhere."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import delete, inspect, select, text, update

from store import (
    JobFacts,
    Store,
    forget_connection,
    load_connection,
    record_jobs,
    save_connection,
)
from store.migration import alembic_config, upgrade_to_head
from store.schema import Analyst
from store.schema import ConnectionRecord as ConnectionRow
from tests.store.conftest import Database, OpenStore

SENTINEL = "sentinel-token-7f3a"
API = "https://api.sentinel.example"


def test_a_saved_connection_comes_back_in_another_store(open_on: OpenStore) -> None:
    save_connection(open_on(), "analyst", API, "token-1")
    saved = load_connection(open_on(), "analyst")
    assert saved is not None
    assert (saved.api_url, saved.token) == (API, "token-1")
    assert "token-1" not in repr(saved)


def test_an_analyst_keeps_one_connection_the_latest(store: Store) -> None:
    save_connection(store, "analyst", API, "token-1")
    save_connection(store, "analyst", "https://other.example", "token-2")
    saved = load_connection(store, "analyst")
    assert saved is not None
    assert (saved.api_url, saved.token) == ("https://other.example", "token-2")
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM connections")).scalar() == 1


def test_analysts_never_see_each_others_connection(store: Store) -> None:
    save_connection(store, "alice", API, "alice-token")
    save_connection(store, "bob", API, "bob-token")
    alice, bob = load_connection(store, "alice"), load_connection(store, "bob")
    assert alice is not None
    assert bob is not None
    assert (alice.token, bob.token) == ("alice-token", "bob-token")
    assert load_connection(store, "carol") is None


def test_a_forgotten_connection_is_gone(store: Store) -> None:
    save_connection(store, "analyst", API, "token-1")
    forget_connection(store, "analyst")
    forget_connection(store, "nobody")
    assert load_connection(store, "analyst") is None


def test_the_token_is_never_in_clear_in_the_database(database: Database, store: Store) -> None:
    save_connection(store, "analyst", API, SENTINEL)
    record_jobs(store, store.tenant_key(API, SENTINEL), API, [JobFacts("job-1", "completed")])
    stored = _everything_stored(database, store)
    # The API URL is saved in clear beside the token: finding it proves we read the right bytes.
    assert API.encode() in stored
    assert SENTINEL.encode() not in stored


def test_a_rewritten_address_fails_the_seal_and_the_token_goes_nowhere(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    save_connection(store, "idp|ana-subject", API, SENTINEL)
    # Whoever can write the store, without the key, points the saved token elsewhere.
    with store.transaction() as session:
        session.execute(update(ConnectionRow).values(api_url="https://attacker.example"))
    with caplog.at_level(logging.WARNING, logger="store.connections"):
        assert load_connection(store, "idp|ana-subject") is None
    assert "failed its check" in caplog.text
    assert SENTINEL not in caplog.text
    assert "ana-subject" not in caplog.text  # the log names her by a digest only


def test_a_saved_token_moved_to_another_analyst_fails_the_seal(store: Store) -> None:
    save_connection(store, "idp|alice", API, SENTINEL)
    save_connection(store, "idp|mallory", API, "mallory-token")
    with store.transaction() as session:
        alice = session.scalar(select(Analyst.id).where(Analyst.subject == "idp|alice"))
        mallory = session.scalar(select(Analyst.id).where(Analyst.subject == "idp|mallory"))
        session.execute(delete(ConnectionRow).where(ConnectionRow.analyst_id == mallory))
        session.execute(
            update(ConnectionRow)
            .where(ConnectionRow.analyst_id == alice)
            .values(analyst_id=mallory)
        )
    assert load_connection(store, "idp|mallory") is None


def test_a_token_saved_before_the_binding_is_not_trusted(store: Store) -> None:
    save_connection(store, "analyst", API, "new-token")
    # A row as the previous release wrote it: Fernet over the token alone.
    unbound = Fernet(store.secrets.keys[0]).encrypt(SENTINEL.encode()).decode()
    with store.transaction() as session:
        session.execute(update(ConnectionRow).values(token_ciphertext=unbound))
    assert load_connection(store, "analyst") is None


# Empty: it runs migrations down and up again, and asserts on what they do.
def test_the_migration_deletes_tokens_saved_before_the_binding(open_on_empty: OpenStore) -> None:
    store = open_on_empty()
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
        connection.execute(
            text(
                "INSERT INTO analysts (subject, created_at, last_seen) "
                "VALUES ('idp|old', :now, :now)"
            ),
            {"now": datetime.now(UTC)},
        )
        unbound = Fernet(store.secrets.keys[0]).encrypt(SENTINEL.encode()).decode()
        connection.execute(
            text(
                "INSERT INTO connections (analyst_id, api_url, token_ciphertext, updated_at) "
                "SELECT id, :url, :token, :now FROM analysts WHERE subject = 'idp|old'"
            ),
            {"url": API, "token": unbound, "now": datetime.now(UTC)},
        )
    upgrade_to_head(store.engine)
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM connections")).scalar() == 0
    assert load_connection(store, "idp|old") is None


def _everything_stored(database: Database, store: Store) -> bytes:
    """Every byte the backend holds: the SQLite files, or PostgreSQL's rows, dump and files."""
    if database.server is None:
        files = [database.sqlite_file, Path(f"{database.sqlite_file}-wal")]
        return b"".join(path.read_bytes() for path in files if path.exists())
    with store.engine.connect() as connection:
        rows = [
            str(row[0]).encode()
            for table in inspect(connection).get_table_names()
            for row in connection.execute(text(f'SELECT t::text FROM "{table}" AS t'))
        ]
        connection.execute(text("CHECKPOINT"))
    files = [path for path in database.server.data_dir.rglob("*") if path.is_file()]
    raw = b"".join(path.read_bytes() for path in files)
    return b"\n".join(rows) + database.server.dump(database.name).encode() + raw
