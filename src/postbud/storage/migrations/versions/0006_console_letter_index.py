"""shipments: an index for the operator console's letter list (all senders, newest first, keyset
by created_at and id); drop ix_shipments_recipient_created, which ix_shipments_recipient_created_id
(recipient_id, created_at, id) covers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 10:00:00

On PostgreSQL the index build locks writes to ``shipments`` while it runs; on a large existing
database, build it beforehand with ``CREATE INDEX CONCURRENTLY`` under the same name.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_shipments_created_id", "shipments", ["created_at", "id"], unique=False, if_not_exists=True
    )
    op.drop_index("ix_shipments_recipient_created", table_name="shipments", if_exists=True)


def downgrade() -> None:
    op.create_index(
        "ix_shipments_recipient_created", "shipments", ["recipient_id", "created_at"], unique=False
    )
    op.drop_index("ix_shipments_created_id", table_name="shipments")
