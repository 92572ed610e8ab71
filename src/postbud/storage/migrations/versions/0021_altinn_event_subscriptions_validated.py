"""Altinn Events: notification events and subscriptions validated by their endpoint

An Events API subscription is delivered to only once its endpoint answered the validation event
(``events_api_subscriptions.validated_at``, a wall-clock moment). Subscriptions made before this
link were taken as validated at once, so they stay delivered to from the start (the epoch: their
pending deliveries too). (The notification events need no table: they are the letter's events.)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 07:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import UtcDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events_api_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("validated_at", UtcDateTime(), nullable=True))
    subscriptions = sa.table("events_api_subscriptions", sa.column("validated_at", UtcDateTime()))
    op.execute(subscriptions.update().values(validated_at=datetime(1970, 1, 1, tzinfo=UTC)))


def downgrade() -> None:
    with op.batch_alter_table("events_api_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("validated_at")
