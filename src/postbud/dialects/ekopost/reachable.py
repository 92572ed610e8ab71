"""Reachability: can a recipient be reached by einbox, ebank or einvoice? Answered from the same
recipient registry the Digipost dialect's identification uses.

``reachable/{type}`` takes ``{"recipient": "..."}`` (200 echoing it, 404 when not reachable) or
``{"recipients": [...]}`` (200 with the reachable ones, 404 when none is). ``einvoiceready`` takes
PascalCase keys and answers snake_case, with ``success`` and ``error_message``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.ekopost import render
from postbud.dialects.ekopost.addresses import recipient_id
from postbud.dialects.ekopost.context import Call
from postbud.dialects.ekopost.errors import EkopostError, invalid
from postbud.dialects.ekopost.wire_in import read_object, text
from postbud.domain.errors import NotFound
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.parties import Recipient
from postbud.domain.routing import takes_bank_invoices
from postbud.services.parties.recipients import get_recipient

_TESTS: Final[dict[str, Callable[[Recipient], bool]]] = {
    "einbox": lambda r: (
        MailboxProvider.POSTBUD in r.capabilities.mailbox_providers and not r.capabilities.reserved
    ),
    # The rule routing delivers ebank and eFaktura invoices by: reachable means delivered.
    "ebank": takes_bank_invoices,
    "einvoice": lambda r: r.capabilities.einvoice,
}
_MAX_RECIPIENTS = 1000


async def _reachable(call: Call, kind: str, raw: str) -> bool:
    party = recipient_id(raw, "recipient")
    try:
        recipient = await get_recipient(str(party), call.runtime)
    except NotFound:
        return False
    return _TESTS[kind](recipient)


async def reachable(call: Call, request: Request) -> Response:
    kind = request.path_params["type"].lower()
    if kind == "mastercard":
        return await _mastercard(call, request)
    if kind not in _TESTS:
        raise invalid("type", f"{kind!r} is not one of einbox, ebank, einvoice, mastercard")
    body = dict(request.query_params) if request.method == "GET" else await read_object(request, 1 << 20)
    many = body.get("recipients")
    if many is not None:
        if not isinstance(many, list) or not all(isinstance(r, str) for r in many):
            raise invalid("recipients", "must be an array of strings")
        if len(many) > _MAX_RECIPIENTS:
            raise invalid("recipients", f"at most {_MAX_RECIPIENTS} in one request")
        found = [r for r in many if await _reachable(call, kind, r)]
        if not found:
            raise EkopostError("119", f"none of the recipients is reachable by {kind}", 404)
        return render.json_response({"recipients": found})
    one = text(body, "recipient", max_length=40)
    if one is None:
        raise EkopostError("119", "recipient: required")
    if not await _reachable(call, kind, one):
        raise EkopostError("119", f"recipient {one} is not reachable by {kind}", 404)
    return render.json_response({"recipient": one})


async def _mastercard(call: Call, request: Request) -> Response:
    """Mastercard (Norwegian eFaktura) takes a person's details; Postbud finds them by ``ssn``."""
    body = dict(request.query_params) if request.method == "GET" else await read_object(request, 1 << 20)
    ssn = text(body, "ssn", max_length=20)
    if ssn is None:
        raise EkopostError("119", "ssn: the recipient's social security number is required")
    if not await _reachable(call, "ebank", ssn):
        raise EkopostError("119", f"ssn {ssn}: not reachable by eFaktura", 404)
    return render.json_response({"response": f"{ssn} receives eFaktura"})


async def einvoice_ready(call: Call, request: Request) -> Response:
    """Whether e-invoices can go from the sender to the receiver: the receiver must take them."""
    body = await read_object(request, 1 << 20)
    keys = {
        "receiver_cin": text(body, "ReceiverCin", max_length=40) or text(body, "receiver_cin", max_length=40),
        "sender_cin": text(body, "SenderCin", max_length=40) or text(body, "sender_cin", max_length=40),
        "receiver_gln": text(body, "ReceiverGln", max_length=40) or text(body, "receiver_gln", max_length=40),
        "sender_gln": text(body, "SenderGln", max_length=40) or text(body, "sender_gln", max_length=40),
    }
    receiver = keys["receiver_cin"] or keys["receiver_gln"]
    problem = None
    if receiver is None:
        problem = "ReceiverCin or ReceiverGln is required"
    elif not await _reachable(call, "einvoice", receiver):
        problem = f"the receiver {receiver} is not set up to receive e-invoices"
    return render.json_response({**keys, "success": problem is None, "error_message": problem})
