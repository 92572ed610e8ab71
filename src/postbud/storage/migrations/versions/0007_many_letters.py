"""letters to many recipients, draft letters, stand-alone attachments

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 22:15:00

shipments: the sender's own reference (text and SHA-256, a partial index on the digest).
documents: ``id_scope`` (document ids unique per sender, as before, or per letter), the
stand-alone attachment a document comes from, ``released_at`` (the blob is no longer needed by
it), an index on ``sha256`` for the blob-lifetime check (and on the hashes of shared
documents and page images, for the same check). New tables: send_requests, attachments,
attachment_events. Existing documents keep the sender-wide scope they had.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("dialect", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("senders_reference", sa.Text(), nullable=True),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("md5", sa.String(length=32), nullable=True),
        sa.Column("expected_md5", sa.String(length=32), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("properties", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sender_id"], ["senders.id"], name=op.f("fk_attachments_sender_id_senders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index("ix_attachments_sender_created", ["sender_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_attachments_sha256",
            ["sha256"],
            unique=False,
            sqlite_where=sa.text("sha256 IS NOT NULL"),
            postgresql_where=sa.text("sha256 IS NOT NULL"),
        )

    op.create_table(
        "attachment_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("attachment_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_attachment_events_attachment_id_attachments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_events")),
    )
    with op.batch_alter_table("attachment_events", schema=None) as batch_op:
        batch_op.create_index("ix_attachment_events_attachment_at", ["attachment_id", "at"], unique=False)

    op.create_table(
        "send_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("dialect", sa.String(length=20), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("shipment_ids", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["senders.id"], name=op.f("fk_send_requests_sender_id_senders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_requests")),
        sa.UniqueConstraint(
            "sender_id",
            "dialect",
            "idempotency_key",
            name=op.f("uq_send_requests_sender_id_dialect_idempotency_key"),
        ),
    )

    with op.batch_alter_table("shared_documents", schema=None) as batch_op:
        batch_op.create_index("ix_shared_documents_sha256", ["sha256"], unique=False)
    with op.batch_alter_table("page_images", schema=None) as batch_op:
        batch_op.create_index("ix_page_images_image_sha256", ["image_sha256"], unique=False)

    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("senders_reference", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("senders_reference_sha256", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_shipments_senders_reference",
            ["sender_id", "senders_reference_sha256"],
            unique=False,
            sqlite_where=sa.text("senders_reference_sha256 IS NOT NULL"),
            postgresql_where=sa.text("senders_reference_sha256 IS NOT NULL"),
        )

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("id_scope", sa.String(length=60), server_default="sender", nullable=False)
        )
        batch_op.add_column(sa.Column("attachment_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("released_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_attachment_id_attachments"), "attachments", ["attachment_id"], ["id"]
        )
        batch_op.drop_constraint(batch_op.f("uq_documents_sender_id_external_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_documents_sender_id_external_id_id_scope"),
            ["sender_id", "external_id", "id_scope"],
        )
        batch_op.create_index("ix_documents_sha256", ["sha256"], unique=False)
        batch_op.create_index(
            "ix_documents_attachment",
            ["attachment_id"],
            unique=False,
            sqlite_where=sa.text("attachment_id IS NOT NULL"),
            postgresql_where=sa.text("attachment_id IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_attachment")
        batch_op.drop_index("ix_documents_sha256")
        batch_op.drop_constraint(batch_op.f("uq_documents_sender_id_external_id_id_scope"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_documents_sender_id_external_id"), ["sender_id", "external_id"]
        )
        batch_op.drop_constraint(batch_op.f("fk_documents_attachment_id_attachments"), type_="foreignkey")
        batch_op.drop_column("released_at")
        batch_op.drop_column("attachment_id")
        batch_op.drop_column("id_scope")

    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_senders_reference")
        batch_op.drop_column("senders_reference_sha256")
        batch_op.drop_column("senders_reference")

    with op.batch_alter_table("page_images", schema=None) as batch_op:
        batch_op.drop_index("ix_page_images_image_sha256")
    with op.batch_alter_table("shared_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_shared_documents_sha256")

    op.drop_table("send_requests")
    op.drop_table("attachment_events")
    op.drop_table("attachments")
