"""Create the store's tables: analysts, connections, watch lists and job history."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.schema import UtcDateTime

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "analysts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(512), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analysts"),
        sa.UniqueConstraint("subject", name="uq_analysts_subject"),
    )
    op.create_table(
        "connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("analyst_id", sa.Integer(), nullable=False),
        sa.Column("api_url", sa.String(2048), nullable=False),
        sa.Column("token_ciphertext", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_connections"),
        sa.ForeignKeyConstraint(
            ["analyst_id"],
            ["analysts.id"],
            name="fk_connections_analyst_id_analysts",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("analyst_id", name="uq_connections_analyst_id"),
    )
    op.create_table(
        "watchlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("analyst_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("job_ids", sa.JSON(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watchlists"),
        sa.ForeignKeyConstraint(
            ["analyst_id"],
            ["analysts.id"],
            name="fk_watchlists_analyst_id_analysts",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("analyst_id", "name", name="uq_watchlists_analyst_id"),
    )
    _create_job_history()


def _create_job_history() -> None:
    op.create_table(
        "job_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_key", sa.String(64), nullable=False),
        sa.Column("api_origin", sa.String(2048), nullable=False),
        sa.Column("job_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(50), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=True),
        sa.Column("completed_at", UtcDateTime(), nullable=True),
        sa.Column("elapsed_seconds", sa.Float(), nullable=True),
        sa.Column("num_items", sa.Integer(), nullable=True),
        sa.Column("prediction_length", sa.Integer(), nullable=True),
        sa.Column("preset", sa.String(200), nullable=True),
        sa.Column("dataset_hash", sa.String(200), nullable=True),
        sa.Column("config_hash", sa.String(200), nullable=True),
        sa.Column("model_version", sa.String(200), nullable=True),
        sa.Column("dated_at", UtcDateTime(), nullable=False),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_job_history"),
        sa.UniqueConstraint("tenant_key", "api_origin", "job_id", name="uq_job_history_tenant_key"),
    )
    op.create_index(
        "ix_job_history_tenant_dated", "job_history", ["tenant_key", "api_origin", "dated_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_job_history_tenant_dated", table_name="job_history")
    for table in ("job_history", "watchlists", "connections", "analysts"):
        op.drop_table(table)
