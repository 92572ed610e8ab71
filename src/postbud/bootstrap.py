"""The composition root: the one place where concrete adapters are chosen and wired."""

from __future__ import annotations

from postbud.channels.base import ChannelAdapter
from postbud.channels.inboxes import InboxChannel, UnavailableChannel
from postbud.config import Settings
from postbud.domain.channels import Channel
from postbud.services.clock import Clock
from postbud.services.runtime import Runtime
from postbud.storage.blobs import open_blob_store
from postbud.storage.database import Database
from postbud.storage.group_commit import GroupCommitWriter
from postbud.storage.migrate import migrate


def default_channels(settings: Settings) -> dict[Channel, ChannelAdapter]:
    channels: dict[Channel, ChannelAdapter] = {
        Channel.DIGITAL_MAILBOX: InboxChannel(Channel.DIGITAL_MAILBOX),
        Channel.BUSINESS_INBOX: InboxChannel(Channel.BUSINESS_INBOX),
    }
    for channel in (Channel.PRINT, Channel.EMAIL, Channel.SMS, Channel.EINVOICE):
        channels[channel] = UnavailableChannel(channel, f"the {channel} channel is not configured")
    return channels


async def build_runtime(settings: Settings, *, run_migrations: bool = True) -> Runtime:
    """Open storage (creating and migrating an embedded data folder if needed) and wire channels."""
    if not settings.database_url or not settings.blob_url:
        settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    if run_migrations:
        await migrate(database)
    blobs = open_blob_store(settings.resolved_blob_url, max_blob_bytes=settings.max_document_bytes)
    writer = GroupCommitWriter(
        database, max_batch=settings.ingest_batch_size, max_wait_ms=settings.ingest_batch_wait_ms
    )
    return Runtime(
        settings=settings,
        database=database,
        blobs=blobs,
        writer=writer,
        clock=Clock(),
        channels=default_channels(settings),
    )
