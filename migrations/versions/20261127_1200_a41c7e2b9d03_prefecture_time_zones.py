"""préfecture time zones and holiday calendars (reference data 2026-11-27)

Revision ID: a41c7e2b9d03
Revises: 7c2e9a4b5f10
Create Date: 2026-11-27 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations import reference_data

revision: str = "a41c7e2b9d03"
down_revision: str | Sequence[str] | None = "7c2e9a4b5f10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSION = "2026-11-27"


def upgrade() -> None:
    with op.batch_alter_table("prefectures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "time_zone", sa.String(length=40), nullable=False, server_default="Europe/Paris"
            )
        )
        batch_op.add_column(
            sa.Column("holiday_region", sa.String(length=8), nullable=False, server_default="")
        )
    reference_data.apply(op.get_bind(), reference_data.load(VERSION))


def downgrade() -> None:
    with op.batch_alter_table("prefectures", schema=None) as batch_op:
        batch_op.drop_column("holiday_region")
        batch_op.drop_column("time_zone")
