"""the domain's datatypes stored under core field names instead of Digipost's wire names

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 00:50:00
"""

from __future__ import annotations

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
