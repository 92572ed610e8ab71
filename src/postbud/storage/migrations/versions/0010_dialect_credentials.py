"""per-dialect credentials of senders, the resource registry, and each webhook's payload format

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 22:15:00

A sender's Digipost id and certificate and its Altinn scopes are copied from its ``senders`` row
into ``sender_credentials``, where every dialect's credentials now live.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import JsonDocument, UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_senders = sa.table(
    "senders",
    sa.column("id", sa.Uuid()),
    sa.column("organisation_number", sa.String()),
    sa.column("digipost_id", sa.BigInteger()),
    sa.column("certificate_pem", sa.Text()),
    sa.column("altinn_scopes", JsonDocument),
    sa.column("created_at", UtcDateTime()),
)


def upgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("format", sa.String(length=20), nullable=False, server_default="standard")
        )
    credentials = op.create_table(
        "sender_credentials",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("dialect", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=True),
        sa.Column("data", JsonDocument, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["senders.id"],
            name=op.f("fk_sender_credentials_sender_id_senders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sender_credentials")),
    )
    op.create_index("ix_sender_credentials_sender_id", "sender_credentials", ["sender_id"], unique=False)
    live = sa.text("revoked_at IS NULL")
    op.create_index(
        "ix_sender_credentials_live",
        "sender_credentials",
        ["dialect", "kind", "identifier"],
        unique=True,
        sqlite_where=live,
        postgresql_where=live,
    )
    op.create_table(
        "resources",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("owner_sender_id", sa.Uuid(), nullable=False),
        sa.Column("titles", JsonDocument, nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("min_auth_level", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_sender_id"], ["senders.id"], name=op.f("fk_resources_owner_sender_id_senders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
    )
    op.create_index("ix_resources_owner_sender_id", "resources", ["owner_sender_id"], unique=False)
    op.bulk_insert(credentials, _credentials_on_sender_rows())


def _credentials_on_sender_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for sender in op.get_bind().execute(sa.select(_senders)).mappings():
        common = {"sender_id": sender["id"], "secret_hash": None, "created_at": sender["created_at"]}
        if sender["digipost_id"] is not None:
            rows.append(
                common
                | {
                    "id": uuid.uuid4(),
                    "dialect": "digipost",
                    "kind": "certificate",
                    "identifier": str(sender["digipost_id"]),
                    "data": {"certificate_pem": sender["certificate_pem"]},
                }
            )
        if sender["altinn_scopes"]:
            rows.append(
                common
                | {
                    "id": uuid.uuid4(),
                    "dialect": "altinn",
                    "kind": "organisation",
                    "identifier": sender["organisation_number"],
                    "data": {"scopes": list(sender["altinn_scopes"])},
                }
            )
    return rows


def downgrade() -> None:
    op.drop_index("ix_resources_owner_sender_id", table_name="resources")
    op.drop_table("resources")
    op.drop_index("ix_sender_credentials_live", table_name="sender_credentials")
    op.drop_index("ix_sender_credentials_sender_id", table_name="sender_credentials")
    op.drop_table("sender_credentials")
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_column("format")
