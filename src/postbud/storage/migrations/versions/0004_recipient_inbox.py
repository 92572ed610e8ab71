"""recipient inbox: archived letters, rendered page images, and a keyset index on a recipient's letters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 15:00:00

On PostgreSQL the index build locks writes to ``shipments`` while it runs; on a large existing
database, build it beforehand with ``CREATE INDEX CONCURRENTLY`` under the same name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_shipments_recipient_created_id",
        "shipments",
        ["recipient_id", "created_at", "id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_table(
        "archived_letters",
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("letter_created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_archived_letters_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["recipients.id"],
            name=op.f("fk_archived_letters_recipient_id_recipients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_archived_letters")),
    )
    op.create_index(
        "ix_archived_letters_recipient_created",
        "archived_letters",
        ["recipient_id", "letter_created_at", "shipment_id"],
        unique=False,
    )
    op.create_table(
        "page_images",
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("image_sha256", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("document_sha256", "page", "width", name=op.f("pk_page_images")),
    )


def downgrade() -> None:
    op.drop_table("page_images")
    op.drop_index("ix_archived_letters_recipient_created", table_name="archived_letters")
    op.drop_table("archived_letters")
    op.drop_index("ix_shipments_recipient_created_id", table_name="shipments")
