"""reference tables

Revision ID: da9685972811
Revises: 62cc136f35b8
Create Date: 2026-11-26 17:42:59.878851
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "da9685972811"
down_revision: str | Sequence[str] | None = "62cc136f35b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "procedures",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("ceseda_basis", sa.String(length=120), nullable=False),
        sa.Column("is_renewal", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("edited_fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_procedures")),
    )
    op.create_table(
        "tribunals",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("seat", sa.String(length=80), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("edited_fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_tribunals")),
    )
    op.create_table(
        "prefectures",
        sa.Column("department_code", sa.String(length=3), nullable=False),
        sa.Column("department_name", sa.String(length=80), nullable=False),
        sa.Column("article", sa.String(length=4), nullable=False),
        sa.Column("department_of", sa.String(length=100), nullable=False),
        sa.Column("chef_lieu", sa.String(length=80), nullable=False),
        sa.Column("defendant", sa.String(length=200), nullable=False),
        sa.Column("tribunal_code", sa.String(length=40), nullable=False),
        sa.Column("salutation", sa.String(length=80), nullable=False),
        sa.Column("foreigners_service_address", sa.Text(), nullable=False),
        sa.Column("foreigners_service_email", sa.String(length=254), nullable=False),
        sa.Column("booking_urls", sa.JSON(), nullable=False),
        sa.Column("edited_fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tribunal_code"],
            ["tribunals.code"],
            name=op.f("fk_prefectures_tribunal_code_tribunals"),
        ),
        sa.PrimaryKeyConstraint("department_code", name=op.f("pk_prefectures")),
    )
    with op.batch_alter_table("prefectures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_prefectures_tribunal_code"), ["tribunal_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("prefectures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prefectures_tribunal_code"))

    op.drop_table("prefectures")
    op.drop_table("tribunals")
    op.drop_table("procedures")
