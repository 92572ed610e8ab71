"""EDI: create a sender of EDI invoices, and list (or update and list) its invitations.

The seed gives the fields (PascalCase: ``Name``, ``Zip_Code``, ``CIN``, ``GLN``, ``Bank_Giro`` …;
read here in any case, with or without underscores) and the invitation status codes 1001–1010,
but no routes: ``POST edi/sender``, ``GET edi/invitations`` and ``POST edi/invitations/update``
are Postbud's (docs/dialects/ekopost.md). The sandbox plays the receivers (``domain/edi.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.ekopost.context import Call
from postbud.dialects.ekopost.errors import EkopostError, invalid
from postbud.dialects.ekopost.render import json_response, when
from postbud.dialects.ekopost.wire_in import read_object
from postbud.domain.errors import ValidationFailed
from postbud.services.edi.invitations import (
    EdiInvitation,
    EdiSenderDetails,
    InvitationStatus,
    invitations_of,
    register_edi_sender,
)

STATUS_CODES: Final = {
    InvitationStatus.REGISTERED: "1001",
    InvitationStatus.SENT: "1002",
    InvitationStatus.RECEIVED: "1003",
    InvitationStatus.ANSWERED: "1004",
    InvitationStatus.CONNECTION_APPROVED: "1005",
    InvitationStatus.CONNECTION_DENIED: "1006",
    InvitationStatus.REMINDER_SENT: "1007",
    InvitationStatus.INSUFFICIENT_INFORMATION: "1008",
    InvitationStatus.UNKNOWN: "1009",
    InvitationStatus.EXPIRED: "1010",
}
"""The seed's codes (``registered = 1001`` … ``expired = 1010``) for the core's statuses."""
WIRE_FIELDS: Final = {
    "name": "Name",
    "address1": "Address1",
    "address2": "Address2",
    "zip_code": "Zip_Code",
    "city": "City",
    "country_code": "Country_Code",
    "contact_name": "Contact_Name",
    "phone": "Phone",
    "email": "Email",
    "cin": "CIN",
    "gln": "GLN",
    "vat": "VAT",
    "bankgiro": "Bank_Giro",
    "plusgiro": "Plus_Giro",
    "iban": "IBAN",
    "bic": "BIC",
}
"""The core's name of each detail → the seed's."""
_BODY_LIMIT: Final = 64 * 1024


def _key(name: str) -> str:
    return name.replace("_", "").lower()


def _details(body: Mapping[str, Any]) -> EdiSenderDetails:
    by_key = {_key(k): v for k, v in body.items()}
    values: dict[str, str | None] = {}
    for core, wire in WIRE_FIELDS.items():
        value = by_key.get(_key(wire))
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            raise invalid(wire, f"must be a string, not {type(value).__name__}")
        values[core] = None if value is None else str(value)
    name, cin = values.pop("name") or "", values.pop("cin") or ""
    return EdiSenderDetails(name=name, cin=cin, **values)


async def create_sender(call: Call, request: Request) -> Response:
    details = _details(await read_object(request, _BODY_LIMIT))
    try:
        registered = await register_edi_sender(call.sender.id, details, call.runtime)
    except ValidationFailed as exc:
        first = exc.first
        raise EkopostError("127", f"{WIRE_FIELDS.get(first.field, first.field)}: {first.rule}") from None
    message = f"Sender {registered.sender.details.name} created"
    if registered.invitation is not None:
        message += f"; an invitation was sent to GLN {registered.invitation.receiver_gln}"
    return json_response({"message": message, "id": str(registered.sender.id)})


def _invitation(invitation: EdiInvitation) -> dict[str, Any]:
    return {
        "ReceiverCin": invitation.receiver_cin or "",
        "ReceiverGln": invitation.receiver_gln or "",
        "DateSent": when(invitation.date_sent),
        "Status": STATUS_CODES[invitation.status],
    }


async def invitations(call: Call, request: Request) -> Response:
    found = await invitations_of(call.sender.id, call.runtime)
    return json_response([_invitation(i) for i in found])


async def update_invitations(call: Call, request: Request) -> Response:
    await read_object(request, _BODY_LIMIT)
    found = await invitations_of(call.sender.id, call.runtime, update=True)
    return json_response([_invitation(i) for i in found])
