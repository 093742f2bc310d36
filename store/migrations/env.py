"""Alembic's environment: runs the migrations on the connection the store hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from store.schema import Base

# Only the programmatic path exists (store/migration.py): it always lends a connection.
connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("Run the store's migrations through store.open_store(), not the CLI.")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
