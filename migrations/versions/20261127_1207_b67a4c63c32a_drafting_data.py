"""drafting data: request phrases, service names, AES motif, urgency evidence, legal aid dates

Revision ID: b67a4c63c32a
Revises: 051efeaca36f
Create Date: 2026-11-27 12:07:44.939297
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations import reference_data

revision: str = "b67a4c63c32a"
down_revision: str | Sequence[str] | None = "051efeaca36f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_urgency_facts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_case_urgency_facts_evidence_id_evidence"),
            "evidence",
            ["evidence_id"],
            ["id"],
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aes_motif", sa.String(length=24), nullable=True))
        batch_op.add_column(
            sa.Column("file_complete", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_aid_request_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("legal_aid_decision_date", sa.Date(), nullable=True))

    with op.batch_alter_table("prefectures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "foreigners_service_name", sa.String(length=200), server_default="", nullable=False
            )
        )

    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("request_phrase", sa.Text(), server_default="", nullable=False)
        )

    # The same data file again: it fills the new columns (the request phrases).
    reference_data.apply(op.get_bind(), reference_data.load("2026-11-27"))


def downgrade() -> None:
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.drop_column("request_phrase")

    with op.batch_alter_table("prefectures", schema=None) as batch_op:
        batch_op.drop_column("foreigners_service_name")

    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("legal_aid_decision_date")
        batch_op.drop_column("legal_aid_request_date")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("file_complete")
        batch_op.drop_column("aes_motif")

    with op.batch_alter_table("case_urgency_facts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_case_urgency_facts_evidence_id_evidence"), type_="foreignkey"
        )
        batch_op.drop_column("evidence_id")
