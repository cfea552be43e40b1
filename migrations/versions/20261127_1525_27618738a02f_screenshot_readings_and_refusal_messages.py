"""screenshot readings and refusal messages

Revision ID: 27618738a02f
Revises: 7ce6d044e9d1
Create Date: 2026-11-27 15:25:22.107967
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

SEED = [
    (
        "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. "
        "Veuillez recommencer ultérieurement.",
        "préfectures (modules de rendez-vous)",
    ),
    ("Aucun rendez-vous n'est disponible", "préfectures"),
    ("Aucun rendez-vous n'est possible pour les motifs sélectionnés", "préfectures"),
    ("Aucun créneau n'est disponible pour le moment", "ANEF"),
    (
        "Cette démarche est close, il n'est plus possible de déposer un dossier",
        "démarches-simplifiées",
    ),
    ("There are no available appointment slots", "English-language booking pages"),
]

revision: str = "27618738a02f"
down_revision: str | Sequence[str] | None = "7ce6d044e9d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refusal_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("site", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refusal_messages")),
    )
    op.create_table(
        "evidence_readings",
        sa.Column("evidence_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("refusal_message", sa.Text(), nullable=True),
        sa.Column("site", sa.String(length=120), nullable=True),
        sa.Column("visible_times", sa.JSON(), nullable=False),
        sa.Column("visible_dates", sa.JSON(), nullable=False),
        sa.Column("verdict", sa.String(length=24), nullable=True),
        sa.Column("proposal", sa.JSON(), nullable=True),
        sa.Column("engine", sa.String(length=60), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_evidence_readings_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_evidence_readings_evidence_id_evidence")
        ),
        sa.PrimaryKeyConstraint("evidence_id", name=op.f("pk_evidence_readings")),
    )
    with op.batch_alter_table("evidence_readings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_readings_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_readings_verdict"), ["verdict"], unique=False)

    # Editable reference data (GET/POST/DELETE /api/v1/refusal-messages); see docs/readings.md
    # for which were seen in sources and which are expected wordings to confirm.
    messages = sa.table(
        "refusal_messages",
        sa.column("id", sa.Uuid()),
        sa.column("text", sa.Text()),
        sa.column("site", sa.String(120)),
        sa.column("active", sa.Boolean()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        messages,
        [
            {"id": uuid.uuid5(uuid.NAMESPACE_URL, f"creneau:refusal:{n}"), "text": text,
             "site": site, "active": True, "created_at": now}
            for n, (text, site) in enumerate(SEED)
        ],
    )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("evidence_readings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_readings_verdict"))
        batch_op.drop_index(batch_op.f("ix_evidence_readings_case_id"))

    op.drop_table("evidence_readings")
    op.drop_table("refusal_messages")
