"""``POST /api/v1/sandbox/reset``: delete every letter and its history (admin, sandbox only)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import StrictModel
from postbud.services.sandbox.reset import Population, ResetOutcome, reset_sandbox

router = APIRouter(
    prefix=f"{PREFIX}/sandbox", tags=["sandbox"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


class ResetIn(StrictModel):
    population: Population = Field(
        Population.KEEP, description="keep: people and organisations stay; reseed: deleted and seeded again"
    )
    keep_credentials: bool = Field(
        True,
        description="false: senders, keys, API keys, logins, resources and webhooks are deleted too, and the "
        "sandbox sender is made again (with the configured POSTBUD_SANDBOX_* credentials, if any)",
    )


class SandboxSenderOut(BaseModel):
    sender_id: str
    digipost_id: int
    organisation_number: str
    api_key: str


class ResetOut(BaseModel):
    letters_deleted: int
    deleted: dict[str, int] = Field(description="Rows deleted per table")
    blobs_deleted: int
    population: Population
    credentials_kept: bool
    sandbox_sender: SandboxSenderOut

    @classmethod
    def of(cls, outcome: ResetOutcome) -> ResetOut:
        sender = outcome.sandbox_sender
        return cls(
            letters_deleted=outcome.letters_deleted,
            deleted=outcome.deleted,
            blobs_deleted=outcome.blobs_deleted,
            population=outcome.population,
            credentials_kept=outcome.credentials_kept,
            sandbox_sender=SandboxSenderOut(
                sender_id=sender.sender_id,
                digipost_id=sender.digipost_id,
                organisation_number=sender.organisation_number,
                api_key=sender.api_key,
            ),
        )


@router.post(
    "/reset",
    summary="Delete every letter, event, job, document, webhook delivery and captured e-mail/SMS",
    description="The sandbox sender keeps its id, key and API key unless `keep_credentials` is false. "
    "The clock and injected faults stay as they are.",
)
async def reset(runtime: RuntimeDep, _: AdminDep, body: ResetIn | None = None) -> ResetOut:
    given = body or ResetIn()
    outcome = await reset_sandbox(
        runtime, population=given.population, keep_credentials=given.keep_credentials
    )
    return ResetOut.of(outcome)
