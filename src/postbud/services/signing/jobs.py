"""The signing job kinds, as the worker calls them (registered in ``jobs/handlers.py``)."""

from __future__ import annotations

import uuid

from postbud.services.runtime import Runtime
from postbud.services.signing.complete import complete_signing, give_up_signing
from postbud.services.signing.invite import give_up_invitation, send_invitation
from postbud.storage.repos.jobs import Job


def _request(job: Job) -> uuid.UUID:
    return uuid.UUID(job.payload["request_id"])


async def invite(job: Job, runtime: Runtime) -> None:
    await send_invitation(_request(job), int(job.payload["position"]), runtime)


async def invite_give_up(job: Job, runtime: Runtime, error: str) -> None:
    await give_up_invitation(_request(job), int(job.payload["position"]), runtime, error)


async def complete(job: Job, runtime: Runtime) -> None:
    await complete_signing(_request(job), runtime)


async def complete_give_up(job: Job, runtime: Runtime, error: str) -> None:
    await give_up_signing(_request(job), runtime, error)
