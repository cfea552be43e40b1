"""external references on clients and cases; index on clients.updated_at (sync)

Revision ID: 4651c3dae43a
Revises: ebada64fae56
Create Date: 2026-11-27 14:37:17.854525
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4651c3dae43a"
down_revision: str | Sequence[str] | None = "ebada64fae56"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_ref", sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_cases_external_ref"), ["external_ref"])

    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_ref", sa.String(length=120), nullable=True))
        batch_op.create_index(batch_op.f("ix_clients_updated_at"), ["updated_at"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_clients_external_ref"), ["external_ref"])


def downgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_clients_external_ref"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_clients_updated_at"))
        batch_op.drop_column("external_ref")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_cases_external_ref"), type_="unique")
        batch_op.drop_column("external_ref")
