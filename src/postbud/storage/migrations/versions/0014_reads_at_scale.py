"""reads that cost one page at any size: event poll read model, list indexes, rolled-up chart counts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 00:50:00

``event_feed`` (the events a sender polls for) and ``routed_letters_per_hour`` (the console's chart)
are filled from the existing events. The letter lists get indexes that match their filter and
their order; ``ix_shipments_status`` is covered by the status index's first column. Letters about
an Altinn resource get it in ``shipments.resource_id`` (filled from their stored record).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import UtcDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# The feed's kinds as they were when this migration was written (domain/event_feed.py).
_FEED_BACKFILL = (
    "INSERT INTO event_feed (event_id, sender_id, dialect, at, type, channel, shipment_id)"
    " SELECT e.id, e.sender_id, s.dialect, e.at, e.type, e.channel, e.shipment_id"
    " FROM events e JOIN shipments s ON s.id = e.shipment_id"
    " WHERE e.type IN ('opened', 'posted', 'print_failed', 'documents_shared', 'sharing_withdrawn',"
    " 'registration_expired', 'registered', 'registration_failed')"
    " OR (e.type = 'notification_failed' AND e.channel IN ('email', 'sms'))"
    " OR (e.type IN ('delivered', 'delivery_failed') AND e.channel IN ('email', 'einvoice'))"
)
# A letter's first route (as storage/repos/routed_counts.py counts it), per UTC hour; on SQLite the
# hour is written as SQLAlchemy writes a datetime, so a later count adds to the same row.
_ROUTED_BACKFILL = {
    "sqlite": (
        "INSERT INTO routed_letters_per_hour (hour, channel, shard, letters)"
        " SELECT strftime('%Y-%m-%d %H:00:00.000000', at) AS hour, COALESCE(channel, '') AS channel,"
        " 0, count(*) FROM events"
        " WHERE type IN ('routed', 'not_delivered') AND dedup_key IN ('routed', 'not_delivered')"
        " GROUP BY 1, 2"
    ),
    "postgresql": (
        "INSERT INTO routed_letters_per_hour (hour, channel, shard, letters)"
        " SELECT date_trunc('hour', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,"
        " COALESCE(channel, '') AS channel, 0, count(*) FROM events"
        " WHERE type IN ('routed', 'not_delivered') AND dedup_key IN ('routed', 'not_delivered')"
        " GROUP BY 1, 2"
    ),
}


# An Altinn correspondence names its resource in its record (the letter property ``altinn``, JSON
# text); from now on letters name it in the property ``resource`` too, which fills the column.
_RESOURCE_BACKFILL = {
    "sqlite": (
        "UPDATE shipments SET resource_id ="
        " json_extract(json_extract(request, '$.properties.altinn'), '$.resource_id')"
        " WHERE dialect = 'altinn' AND json_valid(json_extract(request, '$.properties.altinn'))"
    ),
    "postgresql": (
        "UPDATE shipments SET resource_id = ((request -> 'properties' ->> 'altinn')::jsonb) ->> 'resource_id'"
        " WHERE dialect = 'altinn' AND (request -> 'properties' ->> 'altinn') IS NOT NULL"
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resource_id", sa.String(length=255), nullable=True))
    op.execute(_RESOURCE_BACKFILL[op.get_bind().dialect.name])
    op.create_index(
        "ix_shipments_resource_id_created_at_id",
        "shipments",
        ["resource_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "event_feed",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("dialect", sa.String(length=20), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_feed")),
    )
    op.create_table(
        "routed_letters_per_hour",
        sa.Column("hour", UtcDateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("letters", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "channel", "shard", name=op.f("pk_routed_letters_per_hour")),
    )
    op.execute(_FEED_BACKFILL)
    op.execute(_ROUTED_BACKFILL[op.get_bind().dialect.name])
    op.create_index(
        "ix_event_feed_sender_id_dialect_at_event_id",
        "event_feed",
        ["sender_id", "dialect", "at", "event_id"],
        unique=False,
    )
    op.create_index(
        "ix_shipments_status_created_at_id", "shipments", ["status", "created_at", "id"], unique=False
    )
    op.create_index(
        "ix_shipments_channel_created_at_id", "shipments", ["channel", "created_at", "id"], unique=False
    )
    op.create_index(
        "ix_shipments_sender_id_status_created_at_id",
        "shipments",
        ["sender_id", "status", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_shipments_sender_id_channel_created_at_id",
        "shipments",
        ["sender_id", "channel", "created_at", "id"],
        unique=False,
    )
    op.drop_index("ix_shipments_status", table_name="shipments")


def downgrade() -> None:
    op.drop_index("ix_shipments_resource_id_created_at_id", table_name="shipments")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_column("resource_id")
    op.create_index("ix_shipments_status", "shipments", ["status"], unique=False)
    op.drop_index("ix_shipments_sender_id_channel_created_at_id", table_name="shipments")
    op.drop_index("ix_shipments_sender_id_status_created_at_id", table_name="shipments")
    op.drop_index("ix_shipments_channel_created_at_id", table_name="shipments")
    op.drop_index("ix_shipments_status_created_at_id", table_name="shipments")
    op.drop_index("ix_event_feed_sender_id_dialect_at_event_id", table_name="event_feed")
    op.drop_table("routed_letters_per_hour")
    op.drop_table("event_feed")
