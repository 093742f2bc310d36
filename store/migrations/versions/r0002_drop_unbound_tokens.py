"""Delete saved tokens encrypted before they were bound to their analyst and API address.

Such a token (Fernet over the token alone) would be sent to whatever address its row holds, and
anyone able to write the store could have changed that address already: it cannot be trusted
or re-sealed, since sealing it now would bless whatever address the row holds today. Its
analyst connects again once, and the token is saved sealed (store/sealed_tokens.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.sealed_tokens import SEAL_PREFIX

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    connections = sa.table("connections", sa.column("token_ciphertext", sa.Text()))
    op.execute(connections.delete().where(~connections.c.token_ciphertext.startswith(SEAL_PREFIX)))


def downgrade() -> None:
    """Nothing to restore: the deleted tokens were the ones no longer trusted."""
