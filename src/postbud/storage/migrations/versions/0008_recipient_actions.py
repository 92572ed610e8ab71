"""batches with a life of their own (output date, derived state, batch events), a letter's terms
(due date, confirmation) and the expiry of a letter's documents

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 22:15:00

Existing batches get the state their status implies: completed ones are closed (their letters'
progress is derived from then on), cancelled ones cancelled, open ones opened.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batches") as batch:
        batch.add_column(sa.Column("output_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("state", sa.String(length=20), nullable=False, server_default="opened"))
        batch.add_column(sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE batches SET state = 'closed' WHERE status = 'completed'")
    op.execute("UPDATE batches SET state = 'cancelled' WHERE status = 'cancelled'")
    op.execute("UPDATE batches SET state_changed_at = updated_at")
    op.create_index(
        "ix_batches_sender_created", "batches", ["sender_id", "dialect", "created_at"], unique=False
    )
    op.create_index(
        "ix_shipments_batch_status",
        "shipments",
        ["batch_id", "status"],
        unique=False,
        sqlite_where=sa.text("batch_id IS NOT NULL"),
        postgresql_where=sa.text("batch_id IS NOT NULL"),
    )
    op.create_table(
        "batch_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_batch_events_batch_id_batches"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_events")),
        sa.UniqueConstraint("batch_id", "type", name=op.f("uq_batch_events_batch_id_type")),
    )
    op.create_index("ix_batch_events_sender_at", "batch_events", ["sender_id", "at"], unique=False)
    op.create_table(
        "letter_terms",
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("needs_confirmation", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_letter_terms_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_letter_terms")),
    )
    op.create_table(
        "letter_document_expiry",
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_letter_document_expiry_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shipment_id", "document_id", name=op.f("pk_letter_document_expiry")),
    )


def downgrade() -> None:
    op.drop_table("letter_document_expiry")
    op.drop_table("letter_terms")
    op.drop_index("ix_batch_events_sender_at", table_name="batch_events")
    op.drop_table("batch_events")
    op.drop_index("ix_batches_sender_created", table_name="batches")
    op.drop_index("ix_shipments_batch_status", table_name="shipments")
    with op.batch_alter_table("batches") as batch:
        batch.drop_column("state_changed_at")
        batch.drop_column("state")
        batch.drop_column("output_at")
