"""sandbox settings: the clock offset and injected faults, shared by every process; and two
indexes for the operator console's webhook log (by event, and newest first)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "sandbox_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clock_offset_us", sa.BigInteger(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_state")),
    )
    op.bulk_insert(state, [{"id": 1, "clock_offset_us": 0, "revision": 0, "updated_at": datetime.now(UTC)}])
    op.create_table(
        "sandbox_faults",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column("probability_ppm", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "target", name=op.f("pk_sandbox_faults")),
    )
    op.create_index("ix_webhook_deliveries_event", "webhook_deliveries", ["event_id"], unique=False)
    op.create_index(
        "ix_webhook_deliveries_created_id", "webhook_deliveries", ["created_at", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_created_id", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_event", table_name="webhook_deliveries")
    op.drop_table("sandbox_faults")
    op.drop_table("sandbox_state")
