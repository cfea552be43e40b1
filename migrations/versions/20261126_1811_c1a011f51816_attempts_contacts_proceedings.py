"""attempts, contacts, proceedings, idempotency records, feed tokens

Revision ID: c1a011f51816
Revises: 491f14d22953
Create Date: 2026-11-26 18:11:34.395775
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c1a011f51816"
down_revision: str | Sequence[str] | None = "491f14d22953"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_records",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_idempotency_records")),
    )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_records_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "booking_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("page_url", sa.String(length=500), nullable=True),
        sa.Column("procedure_selected", sa.String(length=200), nullable=False),
        sa.Column("device", sa.String(length=10), nullable=False),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_by_api_key_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_booking_attempts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_booking_attempts_recorded_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_attempts")),
        sa.UniqueConstraint(
            "case_id",
            "attempted_at",
            "outcome",
            name=op.f("uq_booking_attempts_case_id_attempted_at_outcome"),
        ),
    )
    with op.batch_alter_table("booking_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_booking_attempts_case_id_attempted_at", ["case_id", "attempted_at"], unique=False
        )

    op.create_table(
        "prefecture_contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("sent_date", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("registered_letter_number", sa.String(length=40), nullable=True),
        sa.Column("delivered_date", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("response_date", sa.Date(), nullable=True),
        sa.Column("response_summary", sa.Text(), nullable=False),
        sa.Column("response_outcome", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_prefecture_contacts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_prefecture_contacts_created_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prefecture_contacts")),
    )
    with op.batch_alter_table("prefecture_contacts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_prefecture_contacts_case_id_sent_date", ["case_id", "sent_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_prefecture_contacts_delivered_date"), ["delivered_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_prefecture_contacts_sent_date"), ["sent_date"], unique=False
        )

    op.create_table(
        "proceedings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("tribunal_code", sa.String(length=40), nullable=False),
        sa.Column("filed_date", sa.Date(), nullable=True),
        sa.Column("filing_channel", sa.String(length=24), nullable=True),
        sa.Column("court_case_number", sa.String(length=20), nullable=True),
        sa.Column("hearing_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("injunction_delay_days", sa.Integer(), nullable=True),
        sa.Column("latest_appointment_date", sa.Date(), nullable=True),
        sa.Column("astreinte_per_day_cents", sa.Integer(), nullable=True),
        sa.Column("costs_awarded_cents", sa.Integer(), nullable=True),
        sa.Column("notification_date", sa.Date(), nullable=True),
        sa.Column("appointment_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("appointment_place", sa.String(length=300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_proceedings_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_proceedings_created_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tribunal_code"],
            ["tribunals.code"],
            name=op.f("fk_proceedings_tribunal_code_tribunals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proceedings")),
    )
    with op.batch_alter_table("proceedings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proceedings_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proceedings_hearing_at"), ["hearing_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_proceedings_latest_appointment_date"),
            ["latest_appointment_date"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_proceedings_notification_date"), ["notification_date"], unique=False
        )

    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clients_residence_document_expiry_date"),
            ["residence_document_expiry_date"],
            unique=False,
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_token_lookup", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("feed_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_users_feed_token_lookup"), ["feed_token_lookup"]
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_feed_token_lookup"), type_="unique")
        batch_op.drop_column("feed_token_hash")
        batch_op.drop_column("feed_token_lookup")

    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_residence_document_expiry_date"))

    with op.batch_alter_table("proceedings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proceedings_notification_date"))
        batch_op.drop_index(batch_op.f("ix_proceedings_latest_appointment_date"))
        batch_op.drop_index(batch_op.f("ix_proceedings_hearing_at"))
        batch_op.drop_index(batch_op.f("ix_proceedings_case_id"))

    op.drop_table("proceedings")
    with op.batch_alter_table("prefecture_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prefecture_contacts_sent_date"))
        batch_op.drop_index(batch_op.f("ix_prefecture_contacts_delivered_date"))
        batch_op.drop_index("ix_prefecture_contacts_case_id_sent_date")

    op.drop_table("prefecture_contacts")
    with op.batch_alter_table("booking_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_attempts_case_id_attempted_at")

    op.drop_table("booking_attempts")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_records_created_at"))

    op.drop_table("idempotency_records")
