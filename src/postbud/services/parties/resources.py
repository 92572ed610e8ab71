"""Use cases of the resource registry: register a resource for its owner, change it, look it up, list.

The owner is a registered sender, named by its organisation number; a correspondence's sender is the
owner of the resource it names.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from postbud.domain.errors import Conflict, ConflictCode, NotFound, RuleCode, ValidationFailed
from postbud.domain.resources import Resource, resource_id, validate_auth_level, validate_titles
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey
from postbud.storage.hot_reads_send_many import resource_by_id


@dataclass(frozen=True, slots=True)
class RegisterResource:
    id: str
    owner: str
    """The owner's organisation number (or sender id)."""
    titles: Mapping[str, str] = field(default_factory=dict)
    confidential: bool = False
    min_auth_level: int = 0


async def _owner(runtime: Runtime, owner: str) -> uuid.UUID:
    text = owner.strip()
    async with runtime.reader() as uow:
        sender = await uow.senders.by_organisation_number(text)
        if sender is None:
            try:
                sender = await uow.senders.get(uuid.UUID(text))
            except ValueError:
                sender = None
    if sender is None:
        raise ValidationFailed.of("owner", f"no registered sender has {owner!r}", RuleCode.INVALID)
    return sender.id


async def register_resource(cmd: RegisterResource, runtime: Runtime) -> Resource:
    rid = resource_id(cmd.id)
    titles = validate_titles(cmd.titles)
    level = validate_auth_level(cmd.min_auth_level)
    owner_id = await _owner(runtime, cmd.owner)
    try:
        async with runtime.unit_of_work() as uow:
            store = uow.resources
            if await store.get(rid) is not None:
                raise Conflict("id", f"resource {rid} is registered already", ConflictCode.DUPLICATE)
            await store.add(
                Resource(
                    id=rid,
                    owner_sender_id=owner_id,
                    owner_organisation_number="",
                    created_at=runtime.clock.now(),
                    titles=titles,
                    confidential=cmd.confidential,
                    min_auth_level=level,
                )
            )
            stored = await store.get(rid)
    except DuplicateKey as exc:  # registered by a concurrent request since the check above
        if exc.constraint != "pk_resources":
            raise
        raise Conflict("id", f"resource {rid} is registered already", ConflictCode.DUPLICATE) from None
    assert stored is not None
    return stored


async def update_resource(
    runtime: Runtime,
    rid: str,
    *,
    titles: Mapping[str, str] | None = None,
    confidential: bool | None = None,
    min_auth_level: int | None = None,
    owner_sender_id: uuid.UUID | None = None,
) -> Resource:
    """Change what is given; ``owner_sender_id`` limits the change to that owner's resource."""
    key = resource_id(rid)
    async with runtime.unit_of_work() as uow:
        store = uow.resources
        resource = await store.get(key)
        if resource is None or (owner_sender_id is not None and resource.owner_sender_id != owner_sender_id):
            raise NotFound("resource", key)
        changed = replace(
            resource,
            titles=validate_titles(titles) if titles is not None else resource.titles,
            confidential=resource.confidential if confidential is None else confidential,
            min_auth_level=(
                resource.min_auth_level if min_auth_level is None else validate_auth_level(min_auth_level)
            ),
        )
        await store.update(changed, now=runtime.clock.now())
    return changed


async def get_resource(runtime: Runtime, rid: str) -> Resource:
    """The resource, or NotFound (a malformed id is not found either: no such resource can exist)."""
    try:
        key = resource_id(rid)
    except ValidationFailed:
        raise NotFound("resource", rid) from None
    resource = await resource_by_id(runtime.database, key)  # inline on SQLite: every initialize asks
    if resource is None:
        raise NotFound("resource", key)
    return resource


async def list_resources(runtime: Runtime, *, owner_sender_id: uuid.UUID | None = None) -> list[Resource]:
    async with runtime.reader() as uow:
        return await uow.resources.list(owner_sender_id=owner_sender_id)
