"""Altinn forwarding, Events API subscriptions and attachment events

Forwarding needs no table (its events are the letter's). An Events API subscription is a webhook
limited to one resource (``webhooks.resource_id``), known to the Events API by a number
(``events_api_subscriptions``).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import UtcDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resource_id", sa.String(length=255), nullable=True))
    op.create_table(
        "events_api_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("resource_filter", sa.String(length=300), nullable=False),
        sa.Column("subject_filter", sa.String(length=300), nullable=True),
        sa.Column("type_filter", sa.String(length=300), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_events_api_subscriptions_webhook_id_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_api_subscriptions")),
        sa.UniqueConstraint("webhook_id", name=op.f("uq_events_api_subscriptions_webhook_id")),
    )


def downgrade() -> None:
    op.drop_table("events_api_subscriptions")
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_column("resource_id")
