"""stage change override reason

Revision ID: 9d4f2b6a1c37
Revises: e7a3c5d90b12
Create Date: 2026-11-26 18:35:58.825044
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d4f2b6a1c37"
down_revision: str | Sequence[str] | None = "e7a3c5d90b12"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_stage_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("override_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_stage_changes", schema=None) as batch_op:
        batch_op.drop_column("override_reason")
