"""client name tokens

Revision ID: 491f14d22953
Revises: 30d0ee8495d4
Create Date: 2026-11-26 17:55:03.841235
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "491f14d22953"
down_revision: str | Sequence[str] | None = "30d0ee8495d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "client_name_tokens",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_name_tokens_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("client_id", "token", name=op.f("pk_client_name_tokens")),
    )
    with op.batch_alter_table("client_name_tokens", schema=None) as batch_op:
        batch_op.create_index(
            "ix_client_name_tokens_token_client_id", ["token", "client_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("client_name_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_client_name_tokens_token_client_id")

    op.drop_table("client_name_tokens")
