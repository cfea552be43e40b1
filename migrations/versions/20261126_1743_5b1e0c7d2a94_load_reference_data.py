"""load reference data 2026-11-26 (tribunals, préfectures, procedures)

Revision ID: 5b1e0c7d2a94
Revises: da9685972811
Create Date: 2026-11-26 17:43:00
"""

from collections.abc import Sequence

from alembic import op

from migrations import reference_data

revision: str = "5b1e0c7d2a94"
down_revision: str | Sequence[str] | None = "da9685972811"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSION = "2026-11-26"


def upgrade() -> None:
    reference_data.apply(op.get_bind(), reference_data.load(VERSION))


def downgrade() -> None:
    reference_data.remove(op.get_bind(), reference_data.load(VERSION))
