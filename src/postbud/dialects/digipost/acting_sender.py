"""Who a sender-scoped request acts for: the authenticated broker, which must be the sender a path
(``/{senderId}/…``) or a body (``sender-id`` / ``sender-organization``) names, if it names one.
Postbud's brokers act only for themselves (``BROKER_NOT_AUTHORIZED`` otherwise)."""

from __future__ import annotations

from starlette.requests import Request

from postbud.dialects.digipost.auth import authenticate
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.domain.parties import Sender


def not_authorized(named: object) -> DigipostError:
    return DigipostError("BROKER_NOT_AUTHORIZED", f"the broker may not act for sender {named}", 403)


def check_named_sender(broker: Sender, sender_id: int | None, organisation: str | None) -> None:
    if sender_id is not None and sender_id != broker.digipost_id:
        raise not_authorized(sender_id)
    if organisation is not None and organisation != broker.organisation_number:
        raise not_authorized(organisation)


async def acting_sender(dialect: DigipostDialect, request: Request, body_sha256: str | None) -> Sender:
    """The authenticated broker, checked against the path's ``sender_id`` when it has one."""
    broker = (await authenticate(dialect, request, body_sha256)).sender
    assert broker is not None  # authenticate refuses brokers without a sender
    named = request.path_params.get("sender_id")
    check_named_sender(broker, int(named) if named is not None else None, None)
    return broker
