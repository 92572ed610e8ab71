"""The print production line: print batches, per-customer credit and large-document limits

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 03:45:00
"""

from __future__ import annotations

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
