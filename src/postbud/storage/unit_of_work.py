"""The SQL unit of work: one transaction, the repositories on it, and commit-or-rollback."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from functools import cached_property
from types import TracebackType

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage.database import Database
from postbud.storage.errors import DuplicateKey, duplicate_key
from postbud.storage.repos.activity import ActivityRepository
from postbud.storage.repos.archives import ArchiveRepository
from postbud.storage.repos.attachments import AttachmentRepository
from postbud.storage.repos.batches import BatchRepository
from postbud.storage.repos.captures import CaptureRepository
from postbud.storage.repos.credentials import CredentialRepository
from postbud.storage.repos.dead_jobs import DeadJobRepository
from postbud.storage.repos.delivery_log import DeliveryLogRepository
from postbud.storage.repos.documents import DocumentRepository
from postbud.storage.repos.edi import EdiRepository
from postbud.storage.repos.events import EventRepository
from postbud.storage.repos.events_api import EventsApiRepository
from postbud.storage.repos.inbox import InboxRepository
from postbud.storage.repos.jobs import JobQueue
from postbud.storage.repos.letter_terms import LetterTermsRepository
from postbud.storage.repos.page_images import PageImageRepository
from postbud.storage.repos.parties import RecipientRepository, SenderRepository
from postbud.storage.repos.print_line import PrintLineRepository
from postbud.storage.repos.received_letters import ReceivedLetterRepository
from postbud.storage.repos.registrations import RegistrationRepository
from postbud.storage.repos.request_bins import RequestBinRepository
from postbud.storage.repos.resource_letters import ResourceLetterRepository
from postbud.storage.repos.resources import ResourceRepository
from postbud.storage.repos.retention import RetentionRepository
from postbud.storage.repos.sandbox_reset import SandboxResetRepository
from postbud.storage.repos.sandbox_settings import SandboxSettingsRepository
from postbud.storage.repos.sharing import ShareRepository
from postbud.storage.repos.shipment_ids import ShipmentIdRepository
from postbud.storage.repos.shipment_jobs import ShipmentJobRepository
from postbud.storage.repos.shipments import ShipmentRepository
from postbud.storage.repos.signing import SigningRepository
from postbud.storage.repos.sms_mailings import SmsMailingRepository
from postbud.storage.repos.tags import TagRepository
from postbud.storage.repos.waiting_jobs import WaitingJobRepository
from postbud.storage.repos.webhooks import WebhookRepository
from postbud.storage.repos.workers import WorkerRegistry
from postbud.storage.writeset import WriteSet, apply


class SqlUnitOfWork:
    """``async with SqlUnitOfWork(db) as uow:`` commits on a clean exit and rolls back on error.

    Every repository is built here, on this transaction's connection, and nowhere else: a use case
    cannot end up with a repository that writes outside the transaction it commits. The ones most
    use cases need are built on entry; the others when first used, so the send path pays nothing
    for them.
    """

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

    @cached_property
    def shipment_ids(self) -> ShipmentIdRepository:
        return ShipmentIdRepository(self.conn)

    @cached_property
    def activity(self) -> ActivityRepository:
        return ActivityRepository(self.conn)

    @cached_property
    def attachments(self) -> AttachmentRepository:
        return AttachmentRepository(self.conn)

    @cached_property
    def captures(self) -> CaptureRepository:
        return CaptureRepository(self.conn)

    @cached_property
    def credentials(self) -> CredentialRepository:
        return CredentialRepository(self.conn)

    @cached_property
    def dead_jobs(self) -> DeadJobRepository:
        return DeadJobRepository(self.conn)

    @cached_property
    def archives(self) -> ArchiveRepository:
        return ArchiveRepository(self.conn)

    @cached_property
    def delivery_log(self) -> DeliveryLogRepository:
        return DeliveryLogRepository(self.conn)

    @cached_property
    def documents(self) -> DocumentRepository:
        return DocumentRepository(self.conn)

    @cached_property
    def edi(self) -> EdiRepository:
        return EdiRepository(self.conn)

    @cached_property
    def sms_mailings(self) -> SmsMailingRepository:
        return SmsMailingRepository(self.conn)

    @cached_property
    def inbox(self) -> InboxRepository:
        return InboxRepository(self.conn)

    @cached_property
    def letter_terms(self) -> LetterTermsRepository:
        return LetterTermsRepository(self.conn)

    @cached_property
    def page_images(self) -> PageImageRepository:
        return PageImageRepository(self.conn)

    @cached_property
    def print_line(self) -> PrintLineRepository:
        return PrintLineRepository(self.conn)

    @cached_property
    def events_api(self) -> EventsApiRepository:
        return EventsApiRepository(self.conn)

    @cached_property
    def received_letters(self) -> ReceivedLetterRepository:
        return ReceivedLetterRepository(self.conn)

    @cached_property
    def resource_letters(self) -> ResourceLetterRepository:
        return ResourceLetterRepository(self.conn)

    @cached_property
    def retention(self) -> RetentionRepository:
        return RetentionRepository(self.conn)

    @cached_property
    def registrations(self) -> RegistrationRepository:
        return RegistrationRepository(self.conn)

    @cached_property
    def request_bins(self) -> RequestBinRepository:
        return RequestBinRepository(self.conn)

    @cached_property
    def resources(self) -> ResourceRepository:
        return ResourceRepository(self.conn)

    @cached_property
    def sandbox_settings(self) -> SandboxSettingsRepository:
        return SandboxSettingsRepository(self.conn)

    @cached_property
    def sandbox_reset(self) -> SandboxResetRepository:
        return SandboxResetRepository(self.conn)

    @cached_property
    def shipment_jobs(self) -> ShipmentJobRepository:
        return ShipmentJobRepository(self.conn)

    @cached_property
    def signing(self) -> SigningRepository:
        return SigningRepository(self.conn)

    @cached_property
    def tags(self) -> TagRepository:
        return TagRepository(self.conn)

    @cached_property
    def waiting_jobs(self) -> WaitingJobRepository:
        return WaitingJobRepository(self.conn)

    @cached_property
    def workers(self) -> WorkerRegistry:
        return WorkerRegistry(self.conn)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._cm is not None
        try:
            await self._cm.__aexit__(exc_type, exc, tb)
        except IntegrityError as failed:  # broken at commit
            duplicate = duplicate_key(failed)
            if duplicate is None:
                raise
            raise duplicate from failed
        # A unique key broken inside the transaction leaves as a DuplicateKey that names the key, so
        # no use case reads the database's words to tell which one (after the rollback above).
        if isinstance(exc, IntegrityError) and not isinstance(exc, DuplicateKey):
            duplicate = duplicate_key(exc)
            if duplicate is not None:
                raise duplicate from exc

    async def apply(self, writeset: WriteSet) -> None:
        await apply(self.conn, [writeset])
