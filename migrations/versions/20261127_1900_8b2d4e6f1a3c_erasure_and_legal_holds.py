"""personal data: erasure marks on clients, evidence, documents and filings; legal holds on cases

Revision ID: 8b2d4e6f1a3c
Revises: 5e1f3a9c2b7d
Create Date: 2026-11-27 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8b2d4e6f1a3c"
down_revision: str | Sequence[str] | None = "5e1f3a9c2b7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("legal_hold_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("legal_hold_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("filings") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("filings") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("legal_hold_at")
        batch.drop_column("legal_hold_reason")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("erased_at")
