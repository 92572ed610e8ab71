"""webhook deliveries in order per letter and subscription; each attempt's request and response; request bin

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 00:50:00

The order of a subscription's deliveries needs no column: a delivery's id is time-ordered and made
in the order of the events of its letter (or batch), and the events name the letter.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import JsonDocument, UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_FALSE = sa.text("false")


def upgrade() -> None:
    # Plain ADD COLUMNs: a batch rebuild on SQLite would copy every attempt and delivery.
    op.add_column("webhook_attempts", sa.Column("request_method", sa.String(10), nullable=True))
    op.add_column("webhook_attempts", sa.Column("request_url", sa.String(2000), nullable=True))
    op.add_column("webhook_attempts", sa.Column("request_headers", JsonDocument, nullable=True))
    op.add_column("webhook_attempts", sa.Column("request_body", sa.Text(), nullable=True))
    op.add_column(
        "webhook_attempts",
        sa.Column("request_body_truncated", sa.Boolean(), nullable=False, server_default=_FALSE),
    )
    op.add_column("webhook_attempts", sa.Column("response_headers", JsonDocument, nullable=True))
    op.add_column("webhook_attempts", sa.Column("response_body", sa.Text(), nullable=True))
    op.add_column(
        "webhook_attempts",
        sa.Column("response_body_truncated", sa.Boolean(), nullable=False, server_default=_FALSE),
    )
    op.add_column(
        "webhook_deliveries", sa.Column("is_test", sa.Boolean(), nullable=False, server_default=_FALSE)
    )
    op.create_table(
        "request_bin_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bin", sa.String(64), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("headers", JsonDocument, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_size", sa.Integer(), nullable=False),
        sa.Column("body_truncated", sa.Boolean(), nullable=False),
        sa.Column("webhook_id", sa.Uuid(), nullable=True),
        sa.Column("signature", sa.String(20), nullable=False),
        sa.Column("signature_detail", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_bin_requests")),
    )
    op.create_index("ix_request_bin_requests_bin_id", "request_bin_requests", ["bin", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_request_bin_requests_bin_id", table_name="request_bin_requests")
    op.drop_table("request_bin_requests")
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_column("is_test")
    with op.batch_alter_table("webhook_attempts") as batch:
        for name in (
            "response_body_truncated",
            "response_body",
            "response_headers",
            "request_body_truncated",
            "request_body",
            "request_headers",
            "request_url",
            "request_method",
        ):
            batch.drop_column(name)
