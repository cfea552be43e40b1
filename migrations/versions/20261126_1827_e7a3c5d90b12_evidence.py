"""evidence, its hash-chain heads and exhibit plans

Revision ID: e7a3c5d90b12
Revises: c1a011f51816
Create Date: 2026-11-26 18:27:40.013420
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7a3c5d90b12"
down_revision: str | Sequence[str] | None = "c1a011f51816"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_chain_heads",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_evidence_chain_heads_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_evidence_chain_heads")),
    )
    op.create_table(
        "exhibit_plans",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("order", sa.JSON(), nullable=False),
        sa.Column("group_screenshots", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_exhibit_plans_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_exhibit_plans")),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("chain_index", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("attempt_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("uploaded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("uploaded_by_api_key_id", sa.Uuid(), nullable=True),
        sa.Column("image_width", sa.Integer(), nullable=True),
        sa.Column("image_height", sa.Integer(), nullable=True),
        sa.Column("image_capture_time", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("withdrawn_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["booking_attempts.id"],
            name=op.f("fk_evidence_attempt_id_booking_attempts"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_evidence_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["prefecture_contacts.id"],
            name=op.f("fk_evidence_contact_id_prefecture_contacts"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_user_id"],
            ["users.id"],
            name=op.f("fk_evidence_uploaded_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_user_id"],
            ["users.id"],
            name=op.f("fk_evidence_withdrawn_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("case_id", "chain_index", name=op.f("uq_evidence_case_id_chain_index")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_evidence_entry_hash")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index("ix_evidence_sha256", ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_sha256")
        batch_op.drop_index(batch_op.f("ix_evidence_contact_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_attempt_id"))

    op.drop_table("evidence")
    op.drop_table("exhibit_plans")
    op.drop_table("evidence_chain_heads")
