"""a registry of live workers, so a restarted Postbud takes over a dead worker's jobs within seconds

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 00:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workers",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("machine", sa.String(length=200), nullable=True),
        sa.Column("pid_started", sa.BigInteger(), nullable=True),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workers")),
    )


def downgrade() -> None:
    op.drop_table("workers")
