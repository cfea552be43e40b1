"""clients and cases

Revision ID: 30d0ee8495d4
Revises: 5b1e0c7d2a94
Create Date: 2026-11-26 17:47:43.884817
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "30d0ee8495d4"
down_revision: str | Sequence[str] | None = "5b1e0c7d2a94"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_case_reference_counters")),
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("civility", sa.String(length=10), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_names", sa.String(length=200), nullable=False),
        sa.Column("search_name", sa.String(length=300), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("birth_place", sa.String(length=200), nullable=False),
        sa.Column("nationality", sa.String(length=80), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("agdref", sa.String(length=10), nullable=True),
        sa.Column("entry_date", sa.Date(), nullable=True),
        sa.Column("residence_document_type", sa.String(length=20), nullable=False),
        sa.Column("residence_document_number", sa.String(length=40), nullable=True),
        sa.Column("residence_document_expiry_date", sa.Date(), nullable=True),
        sa.Column("has_oqtf", sa.Boolean(), nullable=False),
        sa.Column("oqtf_executed", sa.Boolean(), nullable=False),
        sa.Column("legal_aid_status", sa.String(length=12), nullable=False),
        sa.Column("legal_aid_bureau", sa.String(length=120), nullable=True),
        sa.Column("legal_aid_decision_number", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clients_search_name"), ["search_name"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("department_code", sa.String(length=3), nullable=False),
        sa.Column("site", sa.String(length=120), nullable=False),
        sa.Column("procedure_code", sa.String(length=60), nullable=False),
        sa.Column("is_renewal", sa.Boolean(), nullable=False),
        sa.Column("booking_channel", sa.String(length=24), nullable=False),
        sa.Column("booking_url", sa.String(length=500), nullable=True),
        sa.Column("assigned_lawyer_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_paralegal_id", sa.Uuid(), nullable=True),
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_lawyer_id"], ["users.id"], name=op.f("fk_cases_assigned_lawyer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_paralegal_id"],
            ["users.id"],
            name=op.f("fk_cases_assigned_paralegal_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_cases_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["prefectures.department_code"],
            name=op.f("fk_cases_department_code_prefectures"),
        ),
        sa.ForeignKeyConstraint(
            ["procedure_code"], ["procedures.code"], name=op.f("fk_cases_procedure_code_procedures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "ix_cases_department_opened_at", ["department_code", "opened_at"], unique=False
        )
        batch_op.create_index(
            "ix_cases_lawyer_opened_at", ["assigned_lawyer_id", "opened_at"], unique=False
        )
        batch_op.create_index("ix_cases_opened_at_id", ["opened_at", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cases_procedure_code"), ["procedure_code"], unique=False
        )
        batch_op.create_index("ix_cases_stage_opened_at", ["stage", "opened_at"], unique=False)
        batch_op.create_index("ix_cases_updated_at_id", ["updated_at", "id"], unique=False)

    op.create_table(
        "case_stage_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("from_stage", sa.String(length=24), nullable=False),
        sa.Column("to_stage", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=False),
        sa.Column("actor_api_key_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["users.id"], name=op.f("fk_case_stage_changes_actor_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_stage_changes_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_stage_changes")),
    )
    with op.batch_alter_table("case_stage_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_stage_changes_case_id_at", ["case_id", "created_at"], unique=False
        )

    op.create_table(
        "case_urgency_facts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("fact_date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence_ref", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_urgency_facts_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_urgency_facts")),
    )
    with op.batch_alter_table("case_urgency_facts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_urgency_facts_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            "ix_case_urgency_facts_fact_date_case_id", ["fact_date", "case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_urgency_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_case_urgency_facts_fact_date_case_id")
        batch_op.drop_index(batch_op.f("ix_case_urgency_facts_case_id"))

    op.drop_table("case_urgency_facts")
    with op.batch_alter_table("case_stage_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_case_stage_changes_case_id_at")

    op.drop_table("case_stage_changes")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_updated_at_id")
        batch_op.drop_index("ix_cases_stage_opened_at")
        batch_op.drop_index(batch_op.f("ix_cases_procedure_code"))
        batch_op.drop_index("ix_cases_opened_at_id")
        batch_op.drop_index("ix_cases_lawyer_opened_at")
        batch_op.drop_index("ix_cases_department_opened_at")
        batch_op.drop_index(batch_op.f("ix_cases_client_id"))

    op.drop_table("cases")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_search_name"))

    op.drop_table("clients")
    op.drop_table("case_reference_counters")
