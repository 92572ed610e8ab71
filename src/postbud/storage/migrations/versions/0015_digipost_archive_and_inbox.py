"""Digipost archive, an organisation's inbox read through the API, tags and user accounts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 00:50:00
"""

from __future__ import annotations

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
