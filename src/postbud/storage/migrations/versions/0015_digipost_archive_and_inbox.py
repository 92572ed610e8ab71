"""Digipost archive, an organisation's inbox read through the API, tags and user accounts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 00:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import UtcDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archives",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["senders.id"], name=op.f("fk_archives_sender_id_senders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives")),
        sa.UniqueConstraint("sender_id", "name_key", name=op.f("uq_archives_sender_id_name_key")),
    )
    op.create_table(
        "archive_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("archive_id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("file_type", sa.String(length=30), nullable=False),
        sa.Column("reference_id", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("archived_at", UtcDateTime(), nullable=False),
        sa.Column("deletion_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["archive_id"],
            ["archives.id"],
            name=op.f("fk_archive_documents_archive_id_archives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_documents")),
        sa.UniqueConstraint(
            "sender_id", "external_id", name=op.f("uq_archive_documents_sender_id_external_id")
        ),
    )
    with op.batch_alter_table("archive_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_documents_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            "ix_archive_documents_archive_id_archived_at_id",
            ["archive_id", "archived_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_archive_documents_sender_id_reference_id", ["sender_id", "reference_id"], unique=False
        )
    op.create_table(
        "archive_document_attributes",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["archive_documents.id"],
            name=op.f("fk_archive_document_attributes_document_id_archive_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "key", name=op.f("pk_archive_document_attributes")),
    )
    with op.batch_alter_table("archive_document_attributes", schema=None) as batch_op:
        batch_op.create_index("ix_archive_document_attributes_key_value", ["key", "value"], unique=False)
    op.create_table(
        "inbox_content_links",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_inbox_content_links_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_inbox_content_links")),
    )
    op.create_table(
        "person_tags",
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("personal_id", sa.String(length=11), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["senders.id"], name=op.f("fk_person_tags_sender_id_senders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sender_id", "personal_id", "tag", name=op.f("pk_person_tags")),
    )


def downgrade() -> None:
    op.drop_table("person_tags")
    op.drop_table("inbox_content_links")
    with op.batch_alter_table("archive_document_attributes", schema=None) as batch_op:
        batch_op.drop_index("ix_archive_document_attributes_key_value")
    op.drop_table("archive_document_attributes")
    with op.batch_alter_table("archive_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_archive_documents_sender_id_reference_id")
        batch_op.drop_index("ix_archive_documents_archive_id_archived_at_id")
        batch_op.drop_index(batch_op.f("ix_archive_documents_sha256"))
    op.drop_table("archive_documents")
    op.drop_table("archives")
