"""The SQL unit of work: one transaction, the repositories on it, and commit-or-rollback."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage.database import Database
from postbud.storage.repos.batches import BatchRepository
from postbud.storage.repos.events import EventRepository
from postbud.storage.repos.jobs import JobQueue
from postbud.storage.repos.parties import RecipientRepository, SenderRepository
from postbud.storage.repos.sharing import ShareRepository
from postbud.storage.repos.shipments import ShipmentRepository
from postbud.storage.repos.webhooks import WebhookRepository
from postbud.storage.writeset import WriteSet, apply


class SqlUnitOfWork:
    """``async with SqlUnitOfWork(db) as uow:`` commits on a clean exit and rolls back on error."""

    conn: AsyncConnection
    senders: SenderRepository
    recipients: RecipientRepository
    shipments: ShipmentRepository
    events: EventRepository
    jobs: JobQueue
    webhooks: WebhookRepository
    batches: BatchRepository
    sharing: ShareRepository

    def __init__(self, database: Database, *, read_only: bool = False, inline: bool = False) -> None:
        """``inline``: a few short reads on the hot path (see ``Database.reading``)."""
        self._database = database
        self._read_only = read_only
        self._inline = inline
        self._cm: AbstractAsyncContextManager[AsyncConnection] | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        self._cm = (
            self._database.reading(inline=self._inline) if self._read_only else self._database.transaction()
        )
        self.conn = await self._cm.__aenter__()
        self.senders = SenderRepository(self.conn)
        self.recipients = RecipientRepository(self.conn)
        self.shipments = ShipmentRepository(self.conn)
        self.events = EventRepository(self.conn)
        self.jobs = JobQueue(self.conn)
        self.webhooks = WebhookRepository(self.conn)
        self.batches = BatchRepository(self.conn)
        self.sharing = ShareRepository(self.conn)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._cm is not None
        await self._cm.__aexit__(exc_type, exc, tb)

    async def apply(self, writeset: WriteSet) -> None:
        await apply(self.conn, [writeset])
