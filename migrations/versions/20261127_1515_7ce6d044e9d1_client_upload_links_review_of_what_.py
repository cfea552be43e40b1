"""client upload links; review of what clients send

Revision ID: 7ce6d044e9d1
Revises: 43da01607ea7
Create Date: 2026-11-27 15:15:28.465755
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7ce6d044e9d1"
down_revision: str | Sequence[str] | None = "43da01607ea7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "upload_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("lookup", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("daily_cap", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_upload_links_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_upload_links_created_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_user_id"],
            ["users.id"],
            name=op.f("fk_upload_links_revoked_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_links")),
        sa.UniqueConstraint("lookup", name=op.f("uq_upload_links_lookup")),
    )
    with op.batch_alter_table("upload_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upload_links_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("booking_attempts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=12), server_default="firm", nullable=False)
        )
        batch_op.add_column(sa.Column("upload_link_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "review_status", sa.String(length=12), server_default="accepted", nullable=False
            )
        )
        batch_op.add_column(sa.Column("review_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_booking_attempts_upload_link_id_upload_links"),
            "upload_links",
            ["upload_link_id"],
            ["id"],
        )

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("upload_link_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "review_status", sa.String(length=12), server_default="accepted", nullable=False
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_upload_link_id_upload_links"),
            "upload_links",
            ["upload_link_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_evidence_upload_link_id_upload_links"), type_="foreignkey"
        )
        batch_op.drop_column("review_status")
        batch_op.drop_column("upload_link_id")

    with op.batch_alter_table("booking_attempts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_booking_attempts_upload_link_id_upload_links"), type_="foreignkey"
        )
        batch_op.drop_column("review_reason")
        batch_op.drop_column("review_status")
        batch_op.drop_column("upload_link_id")
        batch_op.drop_column("source")

    with op.batch_alter_table("upload_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upload_links_case_id"))

    op.drop_table("upload_links")
