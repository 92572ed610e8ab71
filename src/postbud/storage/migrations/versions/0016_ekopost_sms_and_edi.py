"""Ekopost SMS mailings and EDI senders and invitations

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import JsonDocument, UtcDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_mailings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("dialect", sa.String(length=20), nullable=False),
        sa.Column("sender_name", sa.String(length=15), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("status_changed_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["senders.id"], name=op.f("fk_sms_mailings_sender_id_senders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_mailings")),
    )
    with op.batch_alter_table("sms_mailings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sms_mailings_sender_id_created_at", ["sender_id", "created_at"], unique=False
        )
    op.create_table(
        "sms_mailing_recipients",
        sa.Column("mailing_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_at", UtcDateTime(), nullable=False),
        sa.Column("sms_sha256", sa.String(length=64), nullable=True),
        sa.Column("detail", JsonDocument, nullable=True),
        sa.ForeignKeyConstraint(
            ["mailing_id"],
            ["sms_mailings.id"],
            name=op.f("fk_sms_mailing_recipients_mailing_id_sms_mailings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mailing_id", "position", name=op.f("pk_sms_mailing_recipients")),
    )
    with op.batch_alter_table("sms_mailing_recipients", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sms_mailing_recipients_mailing_id_status", ["mailing_id", "status"], unique=False
        )
    op.create_table(
        "sms_mailing_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("mailing_id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("data", JsonDocument, nullable=False),
        sa.ForeignKeyConstraint(
            ["mailing_id"],
            ["sms_mailings.id"],
            name=op.f("fk_sms_mailing_events_mailing_id_sms_mailings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_mailing_events")),
    )
    with op.batch_alter_table("sms_mailing_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sms_mailing_events_mailing_id_position", ["mailing_id", "position"], unique=False
        )
        batch_op.create_index("ix_sms_mailing_events_at", ["at"], unique=False)
    op.create_table(
        "edi_senders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("cin", sa.String(length=20), nullable=False),
        sa.Column("gln", sa.String(length=13), nullable=True),
        sa.Column("details", JsonDocument, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["senders.id"], name=op.f("fk_edi_senders_sender_id_senders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edi_senders")),
    )
    with op.batch_alter_table("edi_senders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_edi_senders_sender_id_created_at", ["sender_id", "created_at"], unique=False
        )
    op.create_table(
        "edi_invitations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("edi_sender_id", sa.Uuid(), nullable=False),
        sa.Column("receiver_cin", sa.String(length=20), nullable=True),
        sa.Column("receiver_gln", sa.String(length=13), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("date_sent", UtcDateTime(), nullable=True),
        sa.Column("status_changed_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["edi_sender_id"],
            ["edi_senders.id"],
            name=op.f("fk_edi_invitations_edi_sender_id_edi_senders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["senders.id"],
            name=op.f("fk_edi_invitations_sender_id_senders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edi_invitations")),
    )
    with op.batch_alter_table("edi_invitations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_edi_invitations_sender_id_created_at", ["sender_id", "created_at"], unique=False
        )
    op.create_table(
        "edi_invitation_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invitation_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("data", JsonDocument, nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["edi_invitations.id"],
            name=op.f("fk_edi_invitation_events_invitation_id_edi_invitations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edi_invitation_events")),
        sa.UniqueConstraint(
            "invitation_id", "status", name=op.f("uq_edi_invitation_events_invitation_id_status")
        ),
    )


def downgrade() -> None:
    op.drop_table("edi_invitation_events")
    with op.batch_alter_table("edi_invitations", schema=None) as batch_op:
        batch_op.drop_index("ix_edi_invitations_sender_id_created_at")
    op.drop_table("edi_invitations")
    with op.batch_alter_table("edi_senders", schema=None) as batch_op:
        batch_op.drop_index("ix_edi_senders_sender_id_created_at")
    op.drop_table("edi_senders")
    with op.batch_alter_table("sms_mailing_events", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_mailing_events_at")
        batch_op.drop_index("ix_sms_mailing_events_mailing_id_position")
    op.drop_table("sms_mailing_events")
    with op.batch_alter_table("sms_mailing_recipients", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_mailing_recipients_mailing_id_status")
    op.drop_table("sms_mailing_recipients")
    with op.batch_alter_table("sms_mailings", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_mailings_sender_id_created_at")
    op.drop_table("sms_mailings")
