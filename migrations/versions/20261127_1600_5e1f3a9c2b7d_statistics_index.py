"""an index the statistics read attempts through (covering: no table lookups)

Revision ID: 5e1f3a9c2b7d
Revises: 27618738a02f
Create Date: 2026-11-27 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e1f3a9c2b7d"
down_revision: str | Sequence[str] | None = "27618738a02f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_booking_attempts_statistics",
        "booking_attempts",
        ["case_id", "review_status", "attempted_at", "outcome"],
    )


def downgrade() -> None:
    op.drop_index("ix_booking_attempts_statistics", table_name="booking_attempts")
