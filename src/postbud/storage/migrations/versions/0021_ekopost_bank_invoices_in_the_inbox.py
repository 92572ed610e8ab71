"""Ekopost ebank and Mastercard e-invoices in the inbox

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 07:00:00
"""

from __future__ import annotations

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
