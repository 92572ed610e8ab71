"""Altinn search by publish time in one index walk; the event feed pruned by age

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

PUBLISH_TIME = sa.text("coalesce(publish_at, created_at)")


def upgrade() -> None:
    op.create_index(
        "ix_shipments_resource_id_sender_id_publish_time_id",
        "shipments",
        ["resource_id", "sender_id", PUBLISH_TIME, "id"],
    )
    op.create_index(
        "ix_shipments_resource_id_recipient_id_publish_time_id",
        "shipments",
        ["resource_id", "recipient_id", PUBLISH_TIME, "id"],
    )
    op.create_index("ix_event_feed_at", "event_feed", ["at"])


def downgrade() -> None:
    op.drop_index("ix_event_feed_at", table_name="event_feed")
    op.drop_index("ix_shipments_resource_id_recipient_id_publish_time_id", table_name="shipments")
    op.drop_index("ix_shipments_resource_id_sender_id_publish_time_id", table_name="shipments")
