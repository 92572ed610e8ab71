"""The composition root: the one place where concrete adapters are chosen and wired."""

from __future__ import annotations

from functools import partial

from postbud.channels.faults import FaultInjector
from postbud.channels.wiring import channel_adapters
from postbud.config import Settings
from postbud.domain.clock import Clock
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import stored_clock_offset
from postbud.services.sandbox.faults import stored_faults
from postbud.storage.blobs import open_blob_store
from postbud.storage.database import Database
from postbud.storage.group_commit import GroupCommitWriter
from postbud.storage.migrate import migrate


async def build_runtime(settings: Settings, *, run_migrations: bool = True) -> Runtime:
    """Open storage (creating and migrating an embedded data folder if needed) and wire channels."""
    if not settings.database_url or not settings.blob_url:
        settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    if run_migrations:
        await migrate(database)
    blobs = open_blob_store(
        settings.resolved_blob_url, max_blob_bytes=settings.max_document_bytes, local_sync=settings.blob_sync
    )
    writer = GroupCommitWriter(
        database,
        blobs=blobs,
        max_batch=settings.ingest_batch_size,
        max_wait_ms=settings.ingest_batch_wait_ms,
    )
    clock = Clock(source=partial(stored_clock_offset, database))
    faults = FaultInjector(source=partial(stored_faults, database))
    runtime = Runtime(
        settings=settings,
        database=database,
        blobs=blobs,
        writer=writer,
        clock=clock,
        channels=channel_adapters(settings, blobs=blobs, clock=clock, faults=faults),
        faults=faults,
    )
    await runtime.refresh_shared_settings()  # start on the sandbox's time, not on real time
    return runtime
