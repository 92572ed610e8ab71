"""Recipients: register or update one, import many from CSV, list, show."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.platform_api import MAX_OFFSET, PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import (
    ImportOut,
    RecipientIn,
    RecipientOut,
    RecipientPage,
    RecipientRegistered,
)
from postbud.services.parties import recipients
from postbud.services.parties.recipients import CSV_COLUMNS, RecipientInput

router = APIRouter(
    prefix=f"{PREFIX}/recipients", tags=["recipients"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


@router.put("", summary="Register or update a recipient (keyed on its identifier)")
async def put_recipient(
    body: RecipientIn, runtime: RuntimeDep, _: AdminDep, response: Response
) -> RecipientRegistered:
    address = body.postal_address.as_line() if body.postal_address else body.address
    data = RecipientInput(
        id=body.id,
        name=body.name,
        mailbox=body.mailbox,
        reserved=body.reserved,
        email=body.email,
        mobile=body.mobile,
        address=address,
        ebank=body.ebank,
    )
    registered = await recipients.register_recipient(data, runtime)
    response.status_code = status.HTTP_201_CREATED if registered.created else status.HTTP_200_OK
    return RecipientRegistered(recipient=RecipientOut.of(registered.recipient), created=registered.created)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register or update a recipient (same as PUT)")
async def post_recipient(
    body: RecipientIn, runtime: RuntimeDep, who: AdminDep, response: Response
) -> RecipientRegistered:
    return await put_recipient(body, runtime, who, response)


@router.post(
    "/import",
    summary="Import recipients from CSV",
    description=f"Header: `{','.join(CSV_COLUMNS)}`. With an invalid row nothing is imported unless "
    "`skip_invalid=true`; rows are upserted by id.",
    openapi_extra={
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}
    },
)
async def import_recipients(
    request: Request, runtime: RuntimeDep, _: AdminDep, skip_invalid: bool = False
) -> ImportOut:
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed.of("body", "CSV must be UTF-8", RuleCode.WRONG_FORMAT) from None
    return ImportOut.of(await recipients.import_csv(text, runtime, skip_invalid=skip_invalid))


@router.get("", summary="List recipients by name")
async def list_recipients(
    runtime: RuntimeDep,
    _: AdminDep,
    q: Annotated[str | None, Query(description="Part of a name or mailbox address")] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> RecipientPage:
    found, total = await recipients.list_recipients(runtime, search=q, offset=offset, limit=limit)
    return RecipientPage(items=[RecipientOut.of(r) for r in found], total=total, offset=offset, limit=limit)


@router.get("/{identifier}", summary="Show a recipient by identifier")
async def get_recipient(identifier: str, runtime: RuntimeDep, _: AdminDep) -> RecipientOut:
    return RecipientOut.of(await recipients.get_recipient(identifier, runtime))
