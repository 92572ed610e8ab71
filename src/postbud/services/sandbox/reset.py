"""Use case: start the sandbox afresh without losing what an integrator's configuration names.

Deletes every letter with its documents, events, jobs, webhook deliveries, shares, batches,
attachments and captured e-mails and SMS, in one transaction, then the blobs only those rows named.
The population (people and organisations) is kept, or deleted and seeded again (the same synthetic
people, the seed being deterministic). Senders with their keys, API keys, logins, resources and
webhook subscriptions are kept unless asked otherwise; then the sandbox sender is made again (with
the credentials fixed by configuration, if any, so a CI configuration stays valid either way).
The sandbox clock and injected faults are settings, not history: a reset leaves them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import structlog

from postbud.domain.errors import NotPermitted, PermissionCode
from postbud.services.runtime import Runtime
from postbud.services.sandbox.seed import SandboxSender, SeedOptions, sandbox_sender, seed
from postbud.webhooks.events_api import validate_the_unvalidated

log = structlog.get_logger(__name__)
DEFAULT_SEED_OPTIONS = SeedOptions()


class Population(StrEnum):
    KEEP = "keep"
    """The people and organisations stay as they are (with any added by hand)."""
    RESEED = "reseed"
    """Deleted, then seeded again: the synthetic population only."""


@dataclass(frozen=True, slots=True)
class ResetOutcome:
    deleted: dict[str, int]
    """Rows deleted per table (tables that had none are left out)."""
    blobs_deleted: int
    population: Population
    credentials_kept: bool
    sandbox_sender: SandboxSender
    """The sandbox sender after the reset: the same as before when its credentials were kept."""

    @property
    def letters_deleted(self) -> int:
        return self.deleted.get("shipments", 0)


async def reset_sandbox(
    runtime: Runtime,
    *,
    population: Population = Population.KEEP,
    keep_credentials: bool = True,
    seed_options: SeedOptions = DEFAULT_SEED_OPTIONS,
) -> ResetOutcome:
    """Empty the sandbox (refused outside sandbox mode). Safe to repeat."""
    if not runtime.settings.sandbox:
        raise NotPermitted(
            "a reset deletes every letter: only a sandbox may be reset", PermissionCode.NOT_APPROVED
        )
    reseed = population is Population.RESEED
    async with runtime.unit_of_work() as uow:
        cleared = await uow.sandbox_reset.clear(population=reseed, credentials=not keep_credentials)
        # The jobs went with the letters: a kept Events API subscription not yet validated is asked again.
        revalidating = await validate_the_unvalidated(uow, runtime.clock.now())
    if revalidating:
        runtime.jobs_available()
    blobs_deleted = 0
    for sha256 in sorted(cleared.blobs):
        if await runtime.blobs.exists(sha256):
            await runtime.blobs.delete(sha256)
            blobs_deleted += 1
    if reseed:
        sender = (await seed(runtime, seed_options)).sandbox_sender
    else:
        sender = await sandbox_sender(runtime)
    log.info(
        "sandbox reset",
        letters=cleared.rows.get("shipments", 0),
        blobs=blobs_deleted,
        population=population.value,
        credentials_kept=keep_credentials,
    )
    return ResetOutcome(cleared.rows, blobs_deleted, population, keep_credentials, sender)
