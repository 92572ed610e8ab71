"""The print production line: print batches, per-customer credit and large-document limits

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import JsonDocument, UtcDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_batches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("sheets", sa.Integer(), nullable=False),
        sa.Column("color", sa.Boolean(), nullable=False),
        sa.Column("duplex", sa.Boolean(), nullable=False),
        sa.Column("ticket", JsonDocument, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("printed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["senders.id"], name=op.f("fk_print_batches_sender_id_senders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_print_batches_batch_id_batches"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_batches")),
    )
    with op.batch_alter_table("print_batches", schema=None) as batch_op:
        batch_op.create_index("ix_print_batches_batch_id", ["batch_id"], unique=False)
        batch_op.create_index("ix_print_batches_created_at", ["created_at"], unique=False)
    op.create_table(
        "sender_print_limits",
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("letters_per_month", sa.Integer(), nullable=True),
        sa.Column("large_documents_per_day", sa.Integer(), nullable=True),
        sa.Column("large_document_bytes", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["senders.id"],
            name=op.f("fk_sender_print_limits_sender_id_senders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sender_id", name=op.f("pk_sender_print_limits")),
    )


def downgrade() -> None:
    op.drop_table("sender_print_limits")
    with op.batch_alter_table("print_batches", schema=None) as batch_op:
        batch_op.drop_index("ix_print_batches_created_at")
        batch_op.drop_index("ix_print_batches_batch_id")
    op.drop_table("print_batches")
