"""Documents signed in the inbox by each signer (Ekopost einbox_signer)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import UtcDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("info_email", sa.String(length=254), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=True),
        sa.Column("signed_sha256", sa.String(length=64), nullable=True),
        sa.Column("completed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_signing_requests_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_requests")),
        sa.UniqueConstraint("shipment_id", name=op.f("uq_signing_requests_shipment_id")),
    )
    op.create_table(
        "signing_signers",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=64), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("issuer", sa.Boolean(), nullable=False),
        sa.Column("signed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["signing_requests.id"],
            name=op.f("fk_signing_signers_request_id_signing_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["recipients.id"],
            name=op.f("fk_signing_signers_recipient_id_recipients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "position", name=op.f("pk_signing_signers")),
    )
    with op.batch_alter_table("signing_signers", schema=None) as batch_op:
        batch_op.create_index("ix_signing_signers_recipient_id", ["recipient_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signing_signers", schema=None) as batch_op:
        batch_op.drop_index("ix_signing_signers_recipient_id")
    op.drop_table("signing_signers")
    op.drop_table("signing_requests")
