"""The resource registry: register Altinn resources for their owners, change them, list them.

The admin registers and changes any resource; a sender's API key sees and changes its own.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from postbud.domain.errors import NotFound
from postbud.domain.resources import Resource
from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, PrincipalDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import NON_EMPTY, StrictModel
from postbud.services.parties import resources

router = APIRouter(
    prefix=f"{PREFIX}/resources", tags=["resources"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


class ResourceIn(StrictModel):
    id: str = Field(
        json_schema_extra=NON_EMPTY,
        description="The resource id, e.g. 'skd-melding' (urn:altinn:resource: is optional)",
    )
    owner: str = Field(
        json_schema_extra=NON_EMPTY, description="The owner's organisation number: a registered sender"
    )
    titles: dict[str, str] = Field({}, description="Title per language code: nb, nn, en")
    confidential: bool = False
    min_auth_level: int = Field(0, ge=0, le=4, description="Minimum authentication level, 0 to 4")


class ResourcePatch(StrictModel):
    titles: dict[str, str] | None = None
    confidential: bool | None = None
    min_auth_level: int | None = Field(None, ge=0, le=4)


class ResourceOut(BaseModel):
    id: str
    urn: str
    owner_sender_id: uuid.UUID
    owner_organisation_number: str
    titles: dict[str, str]
    confidential: bool
    min_auth_level: int
    created_at: datetime

    @classmethod
    def of(cls, resource: Resource) -> ResourceOut:
        return cls(
            id=resource.id,
            urn=resource.urn,
            owner_sender_id=resource.owner_sender_id,
            owner_organisation_number=resource.owner_organisation_number,
            titles=dict(resource.titles),
            confidential=resource.confidential,
            min_auth_level=resource.min_auth_level,
            created_at=resource.created_at,
        )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a resource for its owner")
async def add(body: ResourceIn, runtime: RuntimeDep, _: AdminDep) -> ResourceOut:
    command = resources.RegisterResource(
        id=body.id,
        owner=body.owner,
        titles=body.titles,
        confidential=body.confidential,
        min_auth_level=body.min_auth_level,
    )
    return ResourceOut.of(await resources.register_resource(command, runtime))


@router.get("", summary="List resources (an API key: its sender's own)")
async def list_(runtime: RuntimeDep, who: PrincipalDep) -> list[ResourceOut]:
    owner = who.sender.id if who.sender is not None else None
    return [ResourceOut.of(r) for r in await resources.list_resources(runtime, owner_sender_id=owner)]


@router.get("/{resource_id}", summary="Show a resource")
async def get(resource_id: str, runtime: RuntimeDep, who: PrincipalDep) -> ResourceOut:
    resource = await resources.get_resource(runtime, resource_id)
    if who.sender is not None and resource.owner_sender_id != who.sender.id:
        raise NotFound("resource", resource_id)
    return ResourceOut.of(resource)


@router.patch("/{resource_id}", summary="Change a resource's titles, confidentiality or level")
async def patch(resource_id: str, body: ResourcePatch, runtime: RuntimeDep, who: PrincipalDep) -> ResourceOut:
    changed = await resources.update_resource(
        runtime,
        resource_id,
        titles=body.titles,
        confidential=body.confidential,
        min_auth_level=body.min_auth_level,
        owner_sender_id=who.sender.id if who.sender is not None else None,
    )
    return ResourceOut.of(changed)
