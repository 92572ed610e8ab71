"""What a use case needs at run time: storage, clock, channels. Built once by ``bootstrap``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from postbud.channels.base import ChannelAdapter
from postbud.channels.faults import FaultInjector
from postbud.config import Settings
from postbud.domain.channels import Channel
from postbud.domain.clock import Clock, WallClock
from postbud.storage.blobs import BlobStore
from postbud.storage.database import Database
from postbud.storage.group_commit import GroupCommitWriter
from postbud.storage.hot_reads import HotReads
from postbud.storage.unit_of_work import SqlUnitOfWork


@dataclass
class Runtime:
    settings: Settings
    database: Database
    blobs: BlobStore
    writer: GroupCommitWriter
    clock: Clock
    """Business time, which the sandbox clock moves (``domain/clock.py`` says which uses are which)."""
    channels: dict[Channel, ChannelAdapter]
    wall_clock: WallClock = field(default_factory=WallClock)
    """The real time, never moved: what a protocol's peer compares with its own clock."""
    job_signal: asyncio.Event = field(default_factory=asyncio.Event)
    faults: FaultInjector = field(default_factory=FaultInjector)
    """The sandbox's injected faults, shared with the channels (and read by webhook delivery)."""
    hot_reads: HotReads = field(init=False)
    """The lookups every send makes, prepared once."""

    def __post_init__(self) -> None:
        self.hot_reads = HotReads(self.database)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.database)

    def reader(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.database, read_only=True)

    def quick_reader(self) -> SqlUnitOfWork:
        """For a few indexed lookups on a request's hot path: on SQLite they run inline."""
        return SqlUnitOfWork(self.database, read_only=True, inline=True)

    def channel(self, channel: Channel) -> ChannelAdapter:
        return self.channels[channel]

    async def refresh_shared_settings(self) -> None:
        """Adopt the sandbox clock and faults that any process stored (each read at most once a second)."""
        await self.clock.refresh()
        await self.faults.refresh()

    def jobs_available(self) -> None:
        """Wake in-process workers now instead of at their next poll."""
        self.job_signal.set()

    async def close(self) -> None:
        await self.writer.stop()
        await self.blobs.close()
        await self.database.dispose()
