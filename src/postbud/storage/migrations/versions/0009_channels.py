"""channels that fit all three APIs: a sender's own time zone and country (NULL: the deployment's) and
whether it is set up for protected mailing

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 22:15:00

Mailbox providers, a business inbox for persons, print layouts, e-invoice formats, invoice details
and notice plans need no columns of their own: a recipient's providers come from its existing
``digital_mailbox``/``kivra`` flags, and a letter's channel options travel in ``shipments.request``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: a batch rebuild of ``senders`` on SQLite would drop a table others refer to.
    op.add_column("senders", sa.Column("time_zone", sa.String(64), nullable=True))
    op.add_column("senders", sa.Column("country", sa.String(2), nullable=True))
    op.add_column(
        "senders",
        sa.Column("may_protected_print", sa.Boolean(), nullable=False, server_default=sa.text("false")),
    )


def downgrade() -> None:
    with op.batch_alter_table("senders") as batch:
        batch.drop_column("may_protected_print")
        batch.drop_column("country")
        batch.drop_column("time_zone")
