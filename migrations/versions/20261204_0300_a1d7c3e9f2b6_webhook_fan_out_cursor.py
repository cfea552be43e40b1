"""webhooks: the fan-out cursor (the last event position turned into deliveries)

Until now deliveries were added in the transaction that numbered their events, so every
numbered event has fanned out already: the cursor starts at the sequencer's last position.

Revision ID: a1d7c3e9f2b6
Revises: 9c3e5f7a2b4d
Create Date: 2026-12-04 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1d7c3e9f2b6"
down_revision: str | Sequence[str] | None = "9c3e5f7a2b4d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_fan_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_fan_out")),
    )
    op.execute(
        "INSERT INTO webhook_fan_out (id, last_position) "
        "SELECT 1, COALESCE((SELECT last_position FROM event_sequencer WHERE id = 1), 0)"
    )


def downgrade() -> None:
    op.drop_table("webhook_fan_out")
