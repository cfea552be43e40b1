"""document exhibit plans and filings

Revision ID: 051efeaca36f
Revises: a41c7e2b9d03
Create Date: 2026-11-27 11:55:02.056677
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "051efeaca36f"
down_revision: str | Sequence[str] | None = "a41c7e2b9d03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "filings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("chain_index", sa.Integer(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("tribunal_code", sa.String(length=40), nullable=False),
        sa.Column("docket_number", sa.String(length=40), nullable=True),
        sa.Column("petition_id", sa.Uuid(), nullable=False),
        sa.Column("exhibit_plan_hash", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_filings_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name=op.f("fk_filings_created_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["documents.id"], name=op.f("fk_filings_petition_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["tribunal_code"], ["tribunals.code"], name=op.f("fk_filings_tribunal_code_tribunals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filings")),
        sa.UniqueConstraint("case_id", "chain_index", name=op.f("uq_filings_case_id_chain_index")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_filings_entry_hash")),
    )
    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_filings_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_filings_sha256"), ["sha256"], unique=False)

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exhibit_plan", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        # Drafts made before plans were recorded have none: a filing asks for a fresh one.
        batch_op.add_column(
            sa.Column("exhibit_plan_hash", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("exhibit_plan_hash")
        batch_op.drop_column("exhibit_plan")

    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_filings_sha256"))
        batch_op.drop_index(batch_op.f("ix_filings_case_id"))

    op.drop_table("filings")
