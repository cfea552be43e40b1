"""readings: what confirms the attempt's outcome, the clock's difference, a person's check

Revision ID: b7e2d4a9c1f3
Revises: a1d7c3e9f2b6
Create Date: 2026-12-04 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2d4a9c1f3"
down_revision: str | Sequence[str] | None = "a1d7c3e9f2b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("evidence_readings") as batch:
        batch.add_column(sa.Column("sign", sa.Text(), nullable=True))
        batch.add_column(sa.Column("time_difference_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("checked_time", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("checked_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("checked_shows_outcome", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("checked_verdict", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("checked_difference_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("checked_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("checked_by_user_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("final_verdict", sa.String(length=24), nullable=True))
        batch.create_index(
            batch.f("ix_evidence_readings_final_verdict"), ["final_verdict"], unique=False
        )
    # The message a read no-slot capture shows is what confirms it; readings made before had
    # no other sign.
    op.execute("UPDATE evidence_readings SET final_verdict = verdict, sign = refusal_message")


def downgrade() -> None:
    with op.batch_alter_table("evidence_readings") as batch:
        batch.drop_index(batch.f("ix_evidence_readings_final_verdict"))
        for column in (
            "final_verdict", "checked_at", "checked_by_user_id", "checked_reason",
            "checked_difference_minutes", "checked_verdict", "checked_shows_outcome",
            "checked_date", "checked_time", "time_difference_minutes", "sign",
        ):  # fmt: skip
            batch.drop_column(column)
