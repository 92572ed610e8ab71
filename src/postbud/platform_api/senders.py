"""Senders: register (with a certificate or a generated key), list, show, issue API keys."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import ApiKeyOut, SenderCreated, SenderIn, SenderOut
from postbud.services.parties import senders

router = APIRouter(
    prefix=f"{PREFIX}/senders", tags=["senders"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a sender and issue its API key")
async def add_sender(body: SenderIn, runtime: RuntimeDep, _: AdminDep) -> SenderCreated:
    command = senders.RegisterSender(
        name=body.name,
        organisation_number=body.organisation_number,
        digipost_id=body.digipost_id,
        certificate_pem=body.certificate_pem,
        generate_key=body.generate_key,
    )
    return SenderCreated.of(await senders.register_sender(command, runtime))


@router.get("", summary="List senders")
async def list_senders(runtime: RuntimeDep, _: AdminDep) -> list[SenderOut]:
    return [SenderOut.of(s) for s in await senders.list_senders(runtime)]


@router.get("/{sender_id}", summary="Show a sender")
async def get_sender(sender_id: uuid.UUID, runtime: RuntimeDep, _: AdminDep) -> SenderOut:
    return SenderOut.of(await senders.get_sender(sender_id, runtime))


@router.post("/{sender_id}/api-keys", status_code=status.HTTP_201_CREATED, summary="Issue another API key")
async def issue_api_key(sender_id: uuid.UUID, runtime: RuntimeDep, _: AdminDep) -> ApiKeyOut:
    return ApiKeyOut(sender_id=sender_id, api_key=await senders.issue_api_key(sender_id, runtime))
