"""Signers without an inbox: they sign by e-ID on the signing page, so a signer needs no recipient row

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


# The table is copied on SQLite; its foreign keys are copied by name without reflecting the tables
# they point at (shipments' expression indexes cannot be reflected and would warn at every first start).
_REFLECT = {"resolve_fks": False}


def upgrade() -> None:
    with op.batch_alter_table("signing_signers", reflect_kwargs=_REFLECT) as batch:
        batch.alter_column("recipient_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM signing_signers WHERE recipient_id IS NULL")
    with op.batch_alter_table("signing_signers", reflect_kwargs=_REFLECT) as batch:
        batch.alter_column("recipient_id", existing_type=sa.Uuid(), nullable=False)
