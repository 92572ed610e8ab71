"""The reads on the Ekopost dialect's request path: who is calling, by an API key.

Every Ekopost request (three or four an envelope) names its caller by key. On a SQLite file the
lookup runs inline on the event loop as one prepared statement on a plain connection; elsewhere it
goes through the repositories like any other read. Both paths return the same Sender.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam

from postbud.domain.parties import Sender
from postbud.domain.sender_credentials import CredentialKind
from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.prepared_per_database import prepared_per_database
from postbud.storage.prepared_select import PreparedSelect
from postbud.storage.repos.parties import SENDERS, hash_api_key, sender_from_row
from postbud.storage.unit_of_work import SqlUnitOfWork

_KEY = schema.sender_credentials.alias("key_credential")
_BY_DIALECT_KEY = SENDERS.join(
    _KEY,
    and_(
        _KEY.c.sender_id == schema.senders.c.id,
        _KEY.c.dialect == bindparam("dialect"),
        _KEY.c.kind == CredentialKind.API_KEY.value,
        _KEY.c.identifier == bindparam("identifier"),
        _KEY.c.revoked_at.is_(None),
    ),
)
_BY_PLATFORM_KEY = SENDERS.join(schema.api_keys, schema.api_keys.c.sender_id == schema.senders.c.id).where(
    schema.api_keys.c.key_hash == bindparam("key_hash"), schema.api_keys.c.revoked_at.is_(None)
)


@dataclass(frozen=True, slots=True)
class _Statements:
    by_dialect_key: PreparedSelect
    by_platform_key: PreparedSelect


_statements = prepared_per_database(
    _Statements, by_dialect_key=_BY_DIALECT_KEY, by_platform_key=_BY_PLATFORM_KEY
)


async def sender_by_key(database: Database, dialect: str, identifier: str, key: str) -> Sender | None:
    """The sender whose live ``dialect`` API key has this identifier (the key's hash), or else
    whose live platform API key is ``key``."""
    if not database.has_plain_reads:
        async with SqlUnitOfWork(database, read_only=True, inline=True) as uow:
            credential = await uow.credentials.live(dialect, CredentialKind.API_KEY, identifier)
            if credential is not None:
                return await uow.senders.get(credential.sender_id)
            return await uow.senders.by_api_key(key)
    statements = _statements(database)
    with database.plain_read_connection() as conn:
        row = statements.by_dialect_key.first(conn, dialect=dialect, identifier=identifier)
        if row is None:
            row = statements.by_platform_key.first(conn, key_hash=hash_api_key(key))
    return sender_from_row(row) if row is not None else None
