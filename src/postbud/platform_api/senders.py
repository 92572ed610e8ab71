"""Senders: register (with a certificate or a generated key), list, show, issue API keys; their
credentials in each dialect (list, Basic login, dialect API key, organisation scopes, revoke)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from postbud.domain.sender_credentials import CredentialKind, SenderCredential
from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import NON_EMPTY, ApiKeyOut, SenderCreated, SenderIn, SenderOut, StrictModel
from postbud.services.parties import credentials, senders

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


# --- Per-dialect credentials ------------------------------------------------------------------------


class CredentialOut(BaseModel):
    """A credential without its secret (only a hash of it is stored)."""

    id: uuid.UUID
    sender_id: uuid.UUID
    dialect: str
    kind: CredentialKind
    identifier: str
    scopes: list[str]
    has_certificate: bool
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, credential: SenderCredential) -> CredentialOut:
        return cls(
            id=credential.id,
            sender_id=credential.sender_id,
            dialect=credential.dialect,
            kind=credential.kind,
            identifier=credential.identifier,
            scopes=list(credential.scopes),
            has_certificate=credential.certificate_pem is not None,
            created_at=credential.created_at,
            revoked_at=credential.revoked_at,
        )


class BasicLoginIn(StrictModel):
    dialect: str = Field(
        "ekopost", json_schema_extra=NON_EMPTY, description="The dialect that accepts the login"
    )
    user: str | None = Field(None, description="The sender's organisation number if left out")
    password: str | None = Field(None, description="Generated (and shown once) if left out")


class BasicLoginOut(BaseModel):
    credential: CredentialOut
    user: str
    password: str = Field(description="Shown once; only its hash is stored")


class DialectKeyIn(StrictModel):
    dialect: str = Field(json_schema_extra=NON_EMPTY)


class DialectKeyOut(BaseModel):
    sender_id: uuid.UUID
    dialect: str
    api_key: str = Field(description="Valid only in that dialect; shown once")


class OrganisationIn(StrictModel):
    dialect: str = Field("altinn", json_schema_extra=NON_EMPTY)
    scopes: list[str] = Field(min_length=1)


@router.get("/{sender_id}/credentials", summary="A sender's credentials in each dialect")
async def list_credentials(
    sender_id: uuid.UUID, runtime: RuntimeDep, _: AdminDep, include_revoked: bool = False
) -> list[CredentialOut]:
    found = await credentials.list_credentials(runtime, sender_id, include_revoked=include_revoked)
    return [CredentialOut.of(c) for c in found]


@router.post(
    "/{sender_id}/credentials/basic-login",
    status_code=status.HTTP_201_CREATED,
    summary="Set an HTTP Basic login for a dialect",
)
async def set_basic_login(
    sender_id: uuid.UUID, body: BasicLoginIn, runtime: RuntimeDep, _: AdminDep
) -> BasicLoginOut:
    credential, password = await credentials.set_basic_login(
        runtime, sender_id, body.dialect, password=body.password, user=body.user
    )
    return BasicLoginOut(
        credential=CredentialOut.of(credential), user=credential.identifier, password=password
    )


@router.post(
    "/{sender_id}/credentials/api-keys",
    status_code=status.HTTP_201_CREATED,
    summary="Issue an API key valid in one dialect",
)
async def issue_dialect_key(
    sender_id: uuid.UUID, body: DialectKeyIn, runtime: RuntimeDep, _: AdminDep
) -> DialectKeyOut:
    key = await credentials.issue_dialect_api_key(runtime, sender_id, body.dialect)
    return DialectKeyOut(sender_id=sender_id, dialect=body.dialect, api_key=key)


@router.put("/{sender_id}/credentials/organisation", summary="Grant a dialect's organisation scopes")
async def grant_organisation(
    sender_id: uuid.UUID, body: OrganisationIn, runtime: RuntimeDep, _: AdminDep
) -> CredentialOut:
    granted = await credentials.grant_organisation(runtime, sender_id, body.dialect, tuple(body.scopes))
    return CredentialOut.of(granted)


@router.delete("/{sender_id}/credentials/{credential_id}", summary="Revoke a credential")
async def revoke_credential(
    sender_id: uuid.UUID, credential_id: uuid.UUID, runtime: RuntimeDep, _: AdminDep
) -> CredentialOut:
    revoked = await credentials.revoke_credential(runtime, credential_id, sender_id=sender_id)
    return CredentialOut.of(revoked)
